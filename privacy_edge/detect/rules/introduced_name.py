"""A name after the words that introduce one ("my name is Ivan Petrov", "Surname: Petrov", "his
name was Anna Kowalska", "named Tomas Vrel"): those words make the capitalised words after them a
person's name even where the NER, reading one word alone, does not. The detection view has already
capitalised a name written in small letters there (view.py).
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import CAP_WORD, SP

CUE = (r"\b(?:(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir|[Yy]our|[Ww]hose|[Tt]he)\s+)?(?:(?:[Ff]ull|[Ff]irst|[Ll]ast|[Ff]amily"
       r"|[Gg]iven|[Mm]aiden)\s+)?(?:[Ss]ur)?[Nn]ames?(?:['\u2019]s|\s+(?:is|was|are|were)|\s*:)|\b[Nn]amed")


@RECOGNIZERS.register("introduced_name")
class IntroducedNameRecognizer(PatternRecognizer):
    name = "introduced_name"
    entity_type = "PERSON"
    group = "name"
    patterns = (
        Pattern("cue", rf"(?:{CUE})[^\S\n]*[\"\u201c'\u2018-]?\s*(?P<name>{CAP_WORD}(?:{SP}+{CAP_WORD}){{0,2}})", 0.85),
    )

    # Capitalised words that follow "named" or "name:" without being a name.
    NOT_NAMES = frozenset({"The", "A", "An", "In", "On", "As", "By", "For", "Mr", "Mrs", "Ms", "Dr", "Unknown", "None"})

    def validate(self, value: str):
        return None if value.split()[0] in self.NOT_NAMES else -1.0
