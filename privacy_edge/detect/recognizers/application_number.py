"""ECHR application numbers (36110/97, "nos. 51234/01 and 51235/01") and other case or file
numbers introduced by "no." (no. 2001/123, E.2004/345).

Numbers of laws, protocols and the Court's own reports ("Law no. 3713", "Protocol No. 11", "Series A
no. 174") are public references that identify nobody, so "no." after those words is not a file number.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

PUBLIC_REFERENCE = "".join(
    rf"(?<!{w} [Nn]o\. )" for w in ("Law", "law", "Protocol", "protocol", "Decree", "decree", "Directive", "Regulation",
                            "Act", "Convention", "Resolution", "Recommendation", "Order", "Ordinance", "Series A", "Series B")
)


@RECOGNIZERS.register("application_number")
class ApplicationNumberRecognizer(PatternRecognizer):
    name = "application_number"
    entity_type = "CODE"
    patterns = (
        Pattern("echr", r"\b\d{1,6}/\d{2}(?:\d{2})?\b(?!/)", 0.95),
        Pattern(
            "file_number",
            rf"{PUBLIC_REFERENCE}(?<=\b[Nn]o\. )(?:[A-Z]{{1,4}}[.\s-]?)?\d[\d./-]*\d(?:\s?[A-Z]\b)?",
            0.85,
        ),
        Pattern("coded", r"\b[A-Z]{1,4}[-./]?\d{2,}(?:[-./]\d+)+\b", 0.7),
    )
