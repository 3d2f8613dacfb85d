"""Web addresses, with a scheme, after "www.", or as a bare domain with a path ("example.org/users/
irina.volkova": a path is what tells a link from an abbreviation)."""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("url")
class UrlRecognizer(PatternRecognizer):
    name = "url"
    entity_type = "URL"
    patterns = (
        Pattern("scheme", r"\bhttps?://[^\s<>\"“”)]+[^\s<>\"“”).,;:]", 0.9),
        Pattern("www", r"\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"“”)]*[^\s<>\"“”).,;:])?", 0.85),
        Pattern("bare", r"(?<![\w@./-])(?:[a-z0-9][a-z0-9-]*\.)+[a-z]{2,24}/[^\s<>\"“”)]*[^\s<>\"“”).,;:]", 0.8),
    )
