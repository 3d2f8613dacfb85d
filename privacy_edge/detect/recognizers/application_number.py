"""ECHR application numbers (36110/97) and other case or file numbers (no. 2001/123, E.2004/345)."""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("application_number")
class ApplicationNumberRecognizer(PatternRecognizer):
    name = "application_number"
    entity_type = "CODE"
    patterns = (
        Pattern("echr", r"\b\d{1,6}/\d{2}(?:\d{2})?\b", 0.95),
        Pattern(
            "file_number",
            r"(?<=\b[Nn]o\. )(?:[A-Z]{1,4}[.\s-]?)?\d[\d./-]*\d(?:\s?[A-Z]\b)?",
            0.85,
        ),
        Pattern("coded", r"\b[A-Z]{1,4}[-./]?\d{2,}(?:[-./]\d+)+\b", 0.7),
    )
