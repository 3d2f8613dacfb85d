"""Counts of people, things and events ("three children", "twelve counts", "64 letters",
"thirty-two other defendants"): TAB marks them QUANTITY, and together they narrow a case down.

A count is a number (digits or words) before a plural noun, optionally with one modifier
("other", "further"...). Numbers that belong to legal references (Article 6, section 23) and years
are not counts.
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import NUMBER_WORD

DIGITS = r"\d{1,3}(?:,\d{3})+|\d{1,4}"
MODIFIER = r"(?:(?:other|more|further|different|separate|additional|new|former|co|young|small|minor|adult|armed|masked|consecutive)[\s-]+)?"
# A plural noun: lower case, ends in s (not "-ss", not "is"/"us"), or one of the irregular plurals.
PLURAL = (
    r"(?:(?!(?:was|has|does|goes|is|as|this|thus|yes|plus|less|unless|perhaps|whereas|its|his|hers)\b)"
    r"[a-z][a-z-]*[^sui\W]s|children|people|persons|men|women|police|cattle|sheep|feet|teeth|geese|mice)\b"
)
NOT_AFTER = "".join(
    rf"(?<!{w} )" for w in ("Article", "Articles", "article", "section", "sections", "Rule", "Rules", "paragraph",
                            "paragraphs", "§", "no.", "No.", "nos.", "Nos.", "Law", "Protocol", "page", "pages",
                            "point", "item", "Act", "Code", "Chapter", "chapter", "Schedule", "Part")
)
UNITS = r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|times)\b"


@RECOGNIZERS.register("count")
class CountRecognizer(PatternRecognizer):
    name = "count"
    entity_type = "QUANTITY"
    patterns = (
        Pattern(
            "count",
            # The cheap lookahead first: the lookbehinds then run only where a number starts.
            rf"\b(?=\d|{NUMBER_WORD}\b){NOT_AFTER}(?:{NUMBER_WORD}|{DIGITS})\s+{MODIFIER}(?!{UNITS}){PLURAL}",
            0.6,
            re.IGNORECASE,
        ),
        Pattern("times", rf"\b(?:once|twice|(?:{NUMBER_WORD}|\d+) times)(?: (?:a|per) (?:day|week|month|year))?\b", 0.5),
    )

    def validate(self, value: str):
        # Four-digit numbers before a plural are years more often than counts ("1998 elections").
        head = value.split(None, 1)[0]
        if head.isdigit() and len(head) == 4 and head[:2] in ("18", "19", "20"):
            return None
        return -1.0
