"""Payment card numbers: 13 to 19 digits, written together or in groups of digits (4-4-4-4,
4-6-5, 4-4-4-4-3; spaces, stops, underscores, dashes or a line break between them), kept only when
the Luhn check digit holds and the number starts as card numbers do (2 to 6). Commas are no
separator: "2004, 2005, 2006, 2007" is a list of years. TAB would mark one as CODE, and so does
this recognizer.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from .national_id import luhn_ok  # the Luhn check has one home

# between groups: one or two spaces (also no-break), a stop, an underscore or any dash, or a line break
SEP = r"(?:[ \u00a0]{1,2}|[.\-_\u2010-\u2013\u2212]|[ \t]*\n[ \t]*)"
GROUPED = rf"\d{{4}}{SEP}\d{{4}}{SEP}\d{{4}}{SEP}\d{{4}}(?:{SEP}\d{{1,3}})?|\d{{4}}{SEP}\d{{6}}{SEP}\d{{4,5}}"


@RECOGNIZERS.register("payment_card")
class PaymentCardRecognizer(PatternRecognizer):
    name = "payment_card"
    entity_type = "CODE"
    patterns = (Pattern("card", rf"(?<![\d-])(?:{GROUPED}|\d{{13,19}})(?![\d-]|{SEP}\d)", 0.9),)

    def validate(self, value: str):
        digits = "".join(c for c in value if c.isdigit())
        return -1.0 if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_ok(digits) else None
