"""Telephone and fax numbers: international (+CC ...) or introduced by a phone keyword."""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("phone")
class PhoneRecognizer(PatternRecognizer):
    name = "phone"
    entity_type = "PHONE"
    group = "number"
    patterns = (
        Pattern("international", r"(?P<number>\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4})", 0.85),
        Pattern(
            "keyword",
            r"\b(?:tel|telephone|phone|fax|mobile)\.?(?:\s+(?:no|number)\.?)?\s*:?\s*"
            r"(?P<number>\(?\d{2,5}\)?(?:[\s./-]?\d{2,5}){1,4})",
            0.8,
            re.IGNORECASE,
        ),
    )

    def validate(self, value: str):
        digits = sum(c.isdigit() for c in value)
        return None if digits < 6 else -1.0
