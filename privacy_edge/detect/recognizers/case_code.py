"""Codes of court cases and reports other than application numbers: old Court case numbers
(45/1995/551/637), neutral citations ([2011] EWHC 1234 (Admin), [2003] UKHL 12) and report references
("CPT/Inf (2004) 12"). Each points at one case, so each is as identifying as an application number.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("case_code")
class CaseCodeRecognizer(PatternRecognizer):
    name = "case_code"
    entity_type = "CODE"
    patterns = (
        Pattern("court_case_number", r"\b\d{1,4}/(?:19|20)\d{2}/\d{1,5}/\d{1,5}\b", 0.95),
        Pattern(
            "neutral_citation",
            r"\[(?:19|20)\d{2}\]\s+(?:[A-Z][A-Za-z]{1,6}\s+){1,2}\d{1,5}(?:\s+\((?:[A-Z][A-Za-z]{0,9})\))?",
            0.9,
        ),
        Pattern("report_reference", r"\b[A-Z]{2,6}/[A-Z][a-z]{1,5}\s?\((?:19|20)\d{2}\)\s?\d{1,4}\b", 0.85),
    )
