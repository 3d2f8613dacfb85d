"""Numbers written out digit by digit in words ("zero seven seven zero zero nine...", "five five five,
two three four"): a phone or an account number read aloud, as a message or a transcript writes it.
Seven digit words or more in a row ("oh" and "double"/"triple" included), nothing but spaces,
commas or dashes between them; fewer is more often a count ("one or two").
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

DIGIT = r"(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|niner)"
STEP = rf"(?:(?:double|triple)[\s-]+)?{DIGIT}(?:[\s-]+(?:hundred|thousand))?"
SEP = r"(?:[\s,;-]+)"


@RECOGNIZERS.register("spelled_number")
class SpelledNumberRecognizer(PatternRecognizer):
    name = "spelled_number"
    entity_type = "PHONE"
    patterns = (Pattern("digits", rf"(?i:\b{STEP}(?:{SEP}{STEP}){{6,}}\b)", 0.8),)
