"""International bank account numbers, kept only when the ISO 13616 mod-97 checksum holds."""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


def iban_is_valid(value: str) -> bool:
    s = value.replace(" ", "").upper()
    if not (15 <= len(s) <= 34) or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


@RECOGNIZERS.register("iban")
class IbanRecognizer(PatternRecognizer):
    name = "iban"
    entity_type = "IBAN"
    patterns = (Pattern("iban", r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b", 0.5),)

    def validate(self, value: str):
        return 1.0 if iban_is_valid(value) else None
