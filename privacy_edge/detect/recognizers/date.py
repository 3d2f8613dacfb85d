"""Dates and times in the forms ECHR judgments use.

Single dates (21 March 2005, March 21, 2005, March 2005, 03/09/2004, 1983), lists and ranges that
annotators mark as one mention (12, 19 and 26 May 1994; between 3 May and 9 May 1991),
seasons and parts of a year (autumn 2002, the beginning of 2003), tax years (1996/97) and times of
day (10.30 a.m., between 1 p.m. and 5 p.m.).
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH = rf"(?:{MONTH_NAME}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
# A list of dates does not start inside a citation: "§§ 49-56, 17 April 2012" holds one date.
NOT_IN_CITATION = r"(?<!§ )(?<!§\xa0)(?<!para\. )(?<!p\. )(?<!pp\. )(?<![-\u2013\u2011])"
YEAR = r"(?:1[89]\d{2}|20\d{2})"
# A date that names a month, with or without day and year: 8 June, June 1988, 8 June 1988. A bare
# abbreviation ("Jan") is a first name as often as a month, so it needs a day or a year.
MONTH_DATE = (
    rf"(?:{DAY}\s+{MONTH}(?:\s+{YEAR})?|{MONTH}\s+{DAY},?\s+{YEAR}|{MONTH}\s+{YEAR}|{MONTH_NAME})"
)
SEP = r"(?:,\s*|\s+(?:and|or|to|until|till)\s+|\s*[-\u2013]\s*)"
LEAD = (
    r"(?:(?:[Bb]etween|[Oo]n or (?:about|around)|[Aa]round|[Aa]bout|[Ee]arly|[Ll]ate|[Mm]id"
    r"|(?:[Tt]he\s+)?(?:morning|afternoon|evening|night|beginning|end|middle) of)[\s-]+)?"
)
AMPM = r"(?:a\.m\.|p\.m\.|am\b|pm\b|hrs?\b|h\b)"
TIME = rf"\d{{1,2}}(?:[.:]\d{{2}})?\s*{AMPM}|\d{{1,2}}[.:]\d{{2}}(?=\s*(?:on|and|to|,|\)|$))"


@RECOGNIZERS.register("date")
class DateRecognizer(PatternRecognizer):
    name = "date"
    entity_type = "DATETIME"
    patterns = (
        # Lists and ranges end with the full date and may start with days only: "5 and 15 October 1993".
        Pattern(
            "month_dates",
            rf"{LEAD}\b{NOT_IN_CITATION}(?:(?:{DAY}|{MONTH_DATE}){SEP}){{0,8}}{MONTH_DATE}(?!\w)",
            0.95,
        ),
        Pattern("year_range", rf"{LEAD}\b{YEAR}s?(?:{SEP}{YEAR}s?)+\b", 0.8),
        Pattern("tax_year", rf"\b{YEAR}/\d{{1,2}}\b(?!/)", 0.8),
        Pattern(
            "season",
            rf"\b(?:(?:[Tt]he\s+)?(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter|[Ff]all)(?:\s+of)?|"
            rf"(?:[Tt]he\s+)?(?:beginning|end|middle|first half|second half) of)\s+{YEAR}\b",
            0.85,
        ),
        Pattern("numeric", r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b", 0.85),
        Pattern("year", rf"\b{YEAR}s?\b", 0.7),
        Pattern(
            "time",
            rf"(?:\b(?:[Bb]etween|[Ff]rom|at)\s+)?(?:(?:approximately|about|around)\s+)?\b(?:{TIME})"
            rf"(?:\s+(?:and|to|until)\s+(?:{TIME}))?(?:,?\s+on\s+{MONTH_DATE})?",
            0.6,
            re.IGNORECASE,
        ),
    )
