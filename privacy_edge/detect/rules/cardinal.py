"""Numbers the NER tags as CARDINAL that count people, acts or things of the case ("the four
co-accused", "held seventeen hearings", "315 other defendants"): TAB marks them as QUANTITY.

The NER's CARDINAL also covers numbers of legal provisions and paragraphs ("Article 6", "§ 1",
"paragraph 23"); numbers written as digits count only when no such reference word precedes them, and
bare one-digit numerals (mostly list items), paragraph numbers and "one" (mostly a pronoun) are left out.
"""

import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer
from ..lexicon import LEGAL_REFERENCE_BEFORE, NUMBER_WORD

WINDOW = 40
NUMBER_WORDS = re.compile(rf"(?:{NUMBER_WORD})(?:[\s-]+(?:hundred|thousand|million|{NUMBER_WORD}))*", re.IGNORECASE)


@RECOGNIZERS.register("cardinal")
class CardinalRecognizer(Recognizer):
    name = "cardinal"
    entity_types = ("QUANTITY",)
    score = 0.5

    def analyze(self, text: str, doc=None) -> list[Span]:
        if doc is None:
            return []
        spans = []
        for ent in doc.ents:
            if ent.label_ != "CARDINAL":
                continue
            value = ent.text
            if value.casefold() == "one":
                continue  # "one of them", "in one case": a pronoun far more often than a count
            if not any(c.isdigit() for c in value) and not NUMBER_WORDS.fullmatch(value):
                continue  # the NER's CARDINAL also fires on "half", "time-limit"...
            if value[:1].isdigit():
                line_start = text.rfind("\n", 0, ent.start_char) + 1
                if not text[line_start : ent.start_char].strip() and text[ent.end_char : ent.end_char + 1] == ".":
                    continue  # a paragraph number: "30. Having examined..."
                if len(value) == 1 or LEGAL_REFERENCE_BEFORE.search(text, max(0, ent.start_char - WINDOW), ent.start_char):
                    continue
            spans.append(Span(ent.start_char, ent.end_char, "QUANTITY", self.score, f"{self.name}:CARDINAL"))
        return spans
