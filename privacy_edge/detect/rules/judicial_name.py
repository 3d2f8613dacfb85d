"""English judges named by post-nominal ("Marwood J", "Crane LJ", "Lord Ashby CJ", "Fenwick and
Oldham LJJ"): the letters after a capitalised surname mark it as a judge's name.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import CAP_WORD, SP

POSTNOMINAL = r"(?:J|JJ|LJ|LJJ|CJ)"


@RECOGNIZERS.register("judicial_name")
class JudicialNameRecognizer(PatternRecognizer):
    name = "judicial_name"
    entity_type = "PERSON"
    patterns = (
        Pattern(
            "postnominal",
            rf"\b{CAP_WORD}(?:{SP}+{CAP_WORD})?(?:(?:,{SP}*|{SP}+and{SP}+){CAP_WORD})*{SP}+{POSTNOMINAL}\b(?![.\u2019']\w|{SP}*\.{SP}*[A-Z]\.)",
            0.8,
        ),
    )

    # Capitalised words that head a letter-numbered item ("Part J", "Schedule A") or start a sentence.
    NOT_NAMES = frozenset({
        "The", "In", "On", "At", "By", "As", "If", "It", "He", "She", "See", "And", "Part", "Schedule", "Annex",
        "Appendix", "Section", "Article", "Rule", "Category", "Class", "Group", "Type", "Form", "Chapter",
        "Title", "Block", "Wing", "Unit", "Room", "Cell", "Plan", "Exhibit", "Table", "Box", "Zone", "Grade",
    })

    def validate(self, value: str):
        return None if value.split(None, 1)[0] in self.NOT_NAMES else -1.0
