"""A name after a title or rank ("Mr H. K. Dorvan", "Mrs X", "Lord Justice Peter Hallam", "Dr Harlow",
"Mr and Mrs Tolland", "Corporal G"): the title makes a capitalised word a person's name even when
the NER does not know the name.

Ranks that are also ordinary words ("General", "Major", "Private", "Officer") take only a pseudonym
letter or an initialled name after them, so "General Directorate" or "Private Prosecutor" stay out.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import CAP_WORD, HYPHEN, INITIAL, PARTICLE, SP, UPPER

TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Mme|Mlle|Messrs|Sir|Dame|Lady|Baroness|Baron|Herr|Frau|"
    rf"Lord(?:{SP}+Justice)?|(?:Mr|Mrs|Ms){SP}+Justice|Judge|"
    rf"Captain|Corporal|Lance{SP}+Corporal|Sergeant|Staff{SP}+Sergeant|Lieutenant|Second{SP}+Lieutenant|Colonel|"
    rf"Lieutenant{SP}+Colonel|Brigadier|Gunner|Trooper|Detective(?:{SP}+(?:Constable|Sergeant|Inspector))?|"
    rf"Chief{SP}+Inspector|Superintendent|Chief{SP}+Superintendent)\.?"
)
AMBIGUOUS_RANK = r"(?:General|Major|Private|Officer|Commander|Constable|Inspector)"
PSEUDONYM = rf"{UPPER}(?:{HYPHEN}{UPPER})?(?:\.|\b)"
# One name: initials ("J.-P.", "A.N", "H. K.") then words ("De Meyer", "van der Berg"), or a pseudonym letter.
NAME = (
    rf"(?:(?:{INITIAL}{SP}?)*{CAP_WORD}(?:{SP}+(?:{PARTICLE}{SP}+){{0,2}}(?:{INITIAL}{SP}?)*{CAP_WORD}){{0,3}}"
    rf"(?:{SP}+of{SP}+{CAP_WORD})?"  # Lord Ainsley of Kirkbrae
    rf"|(?:{INITIAL}{SP}?)+|{PSEUDONYM})"
)


@RECOGNIZERS.register("titled_person")
class TitledPersonRecognizer(PatternRecognizer):
    name = "titled_person"
    entity_type = "PERSON"
    patterns = (
        # Above the NER's 0.85: where both find the same words, a title makes PERSON the better type.
        Pattern("title_name", rf"\b{TITLE}(?:{SP}+and{SP}+{TITLE})?{SP}+{NAME}", 0.9),
        Pattern("rank_name", rf"\b{AMBIGUOUS_RANK}{SP}+(?:(?:{INITIAL}{SP}?)+{CAP_WORD}|{PSEUDONYM}(?!{SP}*{CAP_WORD}))", 0.75),
    )
