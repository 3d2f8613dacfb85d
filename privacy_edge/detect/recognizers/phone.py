"""Telephone and fax numbers: international (+CC ...), introduced by a phone keyword, or in a
national layout of three or more groups: a trunk prefix 0 ("020-7946-0958", "020 7946 0958"), an
area code in brackets ("(555) 123-4567", "(020) 7946 0958") or the North American 3-3-4 with
hyphens or stops ("555-123-4567"). Without a prefix, a bracket or a keyword, groups of digits are
as likely to be sums or references, so they are left alone."""

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
        # each starts with the character it looks for, the check of the one before it after: a scan
        # then skips to each "0" or "(" instead of trying every position
        Pattern("trunk", r"(?P<number>0(?<![\w/.-]0)\d{1,4}([ .-])\d{3,4}\2\d{3,4}(?:\2\d{2,4})?)(?![\w/-]|\.\d)", 0.75),
        Pattern("area_code", r"(?P<number>\((?<![\w/]\()\d{2,5}\)[ .-]?\d{3,4}[ .-]\d{3,4})(?![\w/-]|\.\d)", 0.75),
        Pattern("north_american", r"(?<![\w/.-])(?P<number>\d{3}([.-])\d{3}\2\d{4})(?![\w/-]|\.\d)", 0.75),
    )

    def validate(self, value: str):
        digits = sum(c.isdigit() for c in value)
        return None if digits < 6 else -1.0
