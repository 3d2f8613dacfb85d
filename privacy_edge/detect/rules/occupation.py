"""A person's occupation or position where the text says what someone is or works as ("worked as a
teacher", "is a consultant psychiatrist", "the applicant, a police officer"): TAB marks these as
DEM because they narrow down who the person is.

Only occupations in a predicative or appositive frame are taken: "a lawyer practising in Istanbul"
after a representative's name, or "the police officers" as actors in the story, identify no one.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import alternation, words

OCCUPATION = alternation(words("occupations"))
FUNCTION_WORDS = r"(?:a|an|the|of|in|and|or|to|for|with|by|at|on|from|his|her|their|its|not|also|then|who|which)\b"
MODIFIER = rf"(?:(?!{FUNCTION_WORDS})[a-z][a-z-]+\s+)"
# "consultant psychiatrist", "primary school teacher", "owner and editor", "lecturer in law".
PHRASE = rf"{MODIFIER}{{0,2}}(?i:{OCCUPATION})s?(?:\s+and\s+(?i:{OCCUPATION})s?)?(?:\s+in\s+[a-z]+)?"
FRAME = (
    r"(?i:\b(?:is|was|were|are|be|been|being|became|become|becomes|worked as|works as|working as|employed as|"
    r"served as|serving as|appointed as|trained as|qualified as|retired|practising as|job as|post of|position of|"
    r"employment as|capacity as|post as|work as|career as|living as)"
    r"|\bapplicants?(?:\u2019|')?,)"
)


@RECOGNIZERS.register("occupation")
class OccupationRecognizer(PatternRecognizer):
    name = "occupation"
    entity_type = "DEM"
    group = "occupation"
    patterns = (
        Pattern(
            "predicative",
            rf"{FRAME}\s+(?:(?i:an?|the)\s+)?(?P<occupation>(?i:(?:former|retired|senior|junior|chief|deputy|assistant|head)\s+)?"
            rf"{PHRASE})\b",
            0.7,
        ),
    )
