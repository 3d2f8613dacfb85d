"""Nationality and origin of a person ("a Turkish national", "British citizens", "of Kurdish origin",
"German-Swiss", "a United Kingdom national"): quasi-identifiers TAB marks as DEM.

The NER tags a bare demonym but stops before "national"/"citizen", which leaves part of the mention
visible; this rule takes the whole phrase.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import HYPHEN, alternation, words

DEMONYM = alternation(words("demonyms"))
COUNTRY_AS_ADJ = r"(?:United Kingdom|UK|United States|US|Netherlands|Czech Republic|Russian Federation)"
NATIONALITY = rf"(?:{DEMONYM}|{COUNTRY_AS_ADJ})(?:{HYPHEN}{DEMONYM})*"
PERSON_NOUN = r"(?:nationals?|citizens?|citizenship|nationality|subjects?|origin|descent|extraction|passport holders?|residents?|expatriates?|immigrants?|refugees?|asylum[- ]seekers?|woman|women|man|men)"


@RECOGNIZERS.register("nationality")
class NationalityRecognizer(PatternRecognizer):
    name = "nationality"
    entity_type = "DEM"
    patterns = (
        Pattern("nationality_noun", rf"\b{NATIONALITY}\s+{PERSON_NOUN}\b", 0.8),
        Pattern("of_origin", rf"\b(?:of|with)\s+{NATIONALITY}\s+(?:origin|descent|extraction|nationality|citizenship|ethnicity)\b", 0.8),
        Pattern("double", rf"\b{DEMONYM}{HYPHEN}{DEMONYM}\b", 0.75),
    )
