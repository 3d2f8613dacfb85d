"""Web addresses."""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("url")
class UrlRecognizer(PatternRecognizer):
    name = "url"
    entity_type = "URL"
    patterns = (
        Pattern("scheme", r"\bhttps?://[^\s<>\"“”)]+[^\s<>\"“”).,;:]", 0.9),
        Pattern("www", r"\bwww\.[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"“”)]*[^\s<>\"“”).,;:])?", 0.85),
    )
