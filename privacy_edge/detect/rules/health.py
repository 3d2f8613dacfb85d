"""A person's health conditions ("a brain haemorrhage", "post-traumatic stress disorder", "an anxiety
disorder", "a hearing impairment"): special-category data that TAB marks as DEM.

A condition is a head noun from ``lexicons/health_conditions.txt`` with up to three lower-case
modifiers before it. Verbs in -ed are not modifiers ("sustained injuries" -> "injuries"), and
"public disorder" or "civil disorder" are matters of public order, not health.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import SP, alternation, words

CONDITION = alternation(words("health_conditions"))
PUBLIC_ORDER = r"(?:public|civil|social|political|mass|violent|electoral|economic)"
FUNCTION_WORD = r"(?:such|any|no|the|a|an|his|her|their|its|of|and|or|with|from|to|in|on|for|by|as|serious|severe)"
MODIFIER = rf"(?:(?!{FUNCTION_WORD}\b|{PUBLIC_ORDER}\b)[a-z][a-z-]*[a-z](?<!ed){SP}+)"


@RECOGNIZERS.register("health")
class HealthRecognizer(PatternRecognizer):
    name = "health"
    entity_type = "DEM"
    patterns = (Pattern("condition", rf"\b(?<!public )(?<!civil )(?<!social ){MODIFIER}{{0,3}}{CONDITION}s?\b", 0.6),)
