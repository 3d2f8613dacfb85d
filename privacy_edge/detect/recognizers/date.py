"""Dates and times in the forms ECHR judgments use: 21 March 2005, March 2005, 1983, 03/09/2004, 10.30 a.m."""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)


@RECOGNIZERS.register("date")
class DateRecognizer(PatternRecognizer):
    name = "date"
    entity_type = "DATETIME"
    patterns = (
        Pattern("day_month_year", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:\s+\d{{4}})?\b", 0.95),
        Pattern("month_day_year", rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", 0.95),
        Pattern("month_year", rf"\b{MONTH}\s+\d{{4}}\b", 0.9),
        Pattern("numeric", r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b", 0.85),
        Pattern("year", r"\b(?:1[89]\d{2}|20\d{2})s?\b", 0.7),
        Pattern("time", r"\b\d{1,2}[.:]\d{2}\s*(?:a\.m\.|p\.m\.|am|pm|h)?(?=\W)", 0.6, re.IGNORECASE),
    )
