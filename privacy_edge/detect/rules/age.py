"""Ages ("aged 25", "18-year-old", "sixteen years old", "at the age of 65", "60 years of age"):
an age narrows down who a person is, and TAB marks it as DEM.
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import HYPHEN, NUMBER_WORD

AGE = rf"(?:\d{{1,3}}|{NUMBER_WORD})"
AND_MORE = rf"(?:(?:,\s*|\s+and\s+){AGE})*"


@RECOGNIZERS.register("age")
class AgeRecognizer(PatternRecognizer):
    name = "age"
    entity_type = "DEM"
    patterns = (
        Pattern("aged", rf"\baged\s+(?:about\s+|around\s+|approximately\s+)?{AGE}{AND_MORE}(?:\s+years)?\b", 0.85, re.IGNORECASE),
        Pattern("year_old", rf"\b{AGE}\s*{HYPHEN}?\s*(?:year|month)s?(?:{HYPHEN}|\s+)old\b", 0.85, re.IGNORECASE),
        Pattern("years_of_age", rf"\b{AGE}{AND_MORE}\s+years\s+(?:old|of\s+age)\b", 0.85, re.IGNORECASE),
        Pattern("age_of", rf"\b(?:the\s+)?age\s+(?:of\s+)?{AGE}\b", 0.8, re.IGNORECASE),
    )
