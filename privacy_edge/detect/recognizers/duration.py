"""Lengths of time: sentences and periods ("twelve years and six months", "over 120 hours"), which
TAB marks as DATETIME because they narrow down who a person is.

Hyphenated adjectives ("the six-month time-limit") are left alone: they describe rules, not people.
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import APOS, NUMBER

UNIT = r"(?:years?|months?|weeks?|days?|hours?|minutes?)"
AMOUNT = rf"{NUMBER}\s+{UNIT}"
LEAD = r"(?:(?:over|about|approximately|some|nearly|almost|more than|less than|at least|up to)\s+)?"


@RECOGNIZERS.register("duration")
class DurationRecognizer(PatternRecognizer):
    name = "duration"
    entity_type = "DATETIME"
    patterns = (
        Pattern(
            "period",
            rf"\b{LEAD}{AMOUNT}(?:(?:,\s*|\s+and\s+){AMOUNT})*(?:{APOS})?",
            0.75,
            re.IGNORECASE,
        ),
    )
