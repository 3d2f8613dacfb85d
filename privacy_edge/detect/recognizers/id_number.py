"""Identity, passport, licence, tax, registration, booking and customer numbers, recognised by the
words that introduce them ("passport no. U1234567", "identity card number 12345678901", "booking
ref is QX7T9P").

Without such a keyword a long digit string is as likely to be a sum or a page count, so the keyword
is required.
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

KEYWORD = (
    r"(?:passport|identity card|identity document|ID card|ID|national identity|personal identity|"
    r"personal identification|social security|national insurance|tax(?:payer)?(?: identification)?|"
    r"driving licen[cs]e|driver'?s licen[cs]e|licen[cs]e plate|registration|vehicle registration|"
    r"bank account|account|file|case|record|prisoner|detainee|PESEL|TCKN|CPR|NHS|SSN|patient|"
    r"booking|reference|ref|confirmation|reservation|order|ticket|invoice|claim|membership|member|customer|"
    r"policy|client|SIN|CPF|BSN|NIF|VIN)"
)


@RECOGNIZERS.register("id_number")
class IdNumberRecognizer(PatternRecognizer):
    name = "id_number"
    entity_type = "CODE"
    group = "number"
    patterns = (
        Pattern(
            "keyword",
            rf"\b{KEYWORD}\s+(?:no\.|nos\.|number|num\.|nr\.?|#)?\s*(?::|is|was)?\s*"
            r"(?P<number>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9/-]{4,}[A-Z0-9])\b",
            0.8,
            re.IGNORECASE,
        ),
    )
