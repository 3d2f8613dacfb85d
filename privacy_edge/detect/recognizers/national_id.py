"""National identity numbers in their own formats, with no keyword before them: each is accepted
only when its check digit (or its embedded date) is valid, so an 11-digit sum or a 10-digit
reference rarely passes.

Formats: Turkish T.C. kimlik no (11 digits, two check digits), Polish PESEL (11 digits, date and
check digit), Romanian CNP (13 digits, date and check digit), Finnish HETU (DDMMYY-NNNC, check
character), Swedish personnummer (YYMMDD-NNNN, Luhn), Danish CPR and Norwegian fødselsnummer shapes
are left to the keyword recognizer (id_number): their checks are weak or were abandoned. UK
National Insurance numbers (AB 12 34 56 C, letter rules), Spanish DNI/NIE (check letter), Italian
codice fiscale (16 characters, check letter), US Social Security numbers (AAA-GG-SSSS, the ranges
never issued refused) and UK NHS numbers (3-3-4 digits, mod-11 check digit).
"""

import datetime as _dt
import re

from ...spans import Span
from ..base import RECOGNIZERS, Pattern, PatternRecognizer

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def _date_ok(year: int, month: int, day: int) -> bool:
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def tckn_ok(n: str) -> bool:
    d = [int(c) for c in n]
    if len(d) != 11 or d[0] == 0:
        return False
    return (sum(d[0:9:2]) * 7 - sum(d[1:8:2])) % 10 == d[9] and sum(d[:10]) % 10 == d[10]


def pesel_ok(n: str) -> bool:
    d = [int(c) for c in n]
    if len(d) != 11 or (10 - sum(w * x for w, x in zip((1, 3, 7, 9) * 3, d[:10])) % 10) % 10 != d[10]:
        return False
    month, century = d[2] * 10 + d[3], 1900
    for offset, cent in ((80, 1800), (60, 2200), (40, 2100), (20, 2000), (0, 1900)):
        if month > offset:
            month, century = month - offset, cent
            break
    return _date_ok(century + d[0] * 10 + d[1], month, d[4] * 10 + d[5])


def cnp_ok(n: str) -> bool:
    d = [int(c) for c in n]
    if len(d) != 13 or d[0] == 0:
        return False
    check = sum(w * x for w, x in zip((2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9), d)) % 11
    if (1 if check == 10 else check) != d[12]:
        return False
    century = {1: 1900, 2: 1900, 3: 1800, 4: 1800, 5: 2000, 6: 2000}.get(d[0], 1900)
    return _date_ok(century + d[1] * 10 + d[2], d[3] * 10 + d[4], d[5] * 10 + d[6])


def hetu_ok(v: str) -> bool:
    day, month, yy, sep, num, check = v[0:2], v[2:4], v[4:6], v[6], v[7:10], v[10]
    century = {"+": 1800, "-": 1900, "A": 2000}.get(sep.upper(), 1900)
    if not _date_ok(century + int(yy), int(month), int(day)):
        return False
    return HETU_CHARS[int(day + month + yy + num) % 31] == check.upper()


def dni_ok(v: str) -> bool:
    v = v.upper().replace("-", "").replace(" ", "")
    body = v[:-1]
    if body[0] in "XYZ":
        body = str("XYZ".index(body[0])) + body[1:]
    return body.isdigit() and DNI_LETTERS[int(body) % 23] == v[-1]


def ssn_ok(v: str) -> bool:
    """A US Social Security number as issued: area not 000, 666 or 9xx, group not 00, serial not 0000."""
    area, group, serial = v.split("-")
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def nhs_ok(v: str) -> bool:
    """A UK NHS number: ten digits, the last a mod-11 check of the nine before it (10 is never issued)."""
    d = [int(c) for c in v if c.isdigit()]
    check = 11 - sum(x * w for x, w in zip(d[:9], range(10, 1, -1))) % 11
    return len(d) == 10 and (0 if check == 11 else check) == d[9]


def codice_fiscale_ok(v: str) -> bool:
    v = v.upper()
    total = 0
    for i, c in enumerate(v[:15]):
        k = int(c) if c.isdigit() else ord(c) - 65
        total += CF_ODD[k] if i % 2 == 0 else k
    return chr(65 + total % 26) == v[15]


CHECKS = {
    "tckn": tckn_ok,
    "pesel": pesel_ok,
    "cnp": cnp_ok,
    "hetu": hetu_ok,
    "personnummer": lambda v: luhn_ok(re.sub(r"\D", "", v)[-10:]) and 1 <= int(re.sub(r"\D", "", v)[-8:-6]) <= 12,
    "nino": lambda v: True,  # its letter rules are in the pattern
    "dni": dni_ok,
    "codice_fiscale": codice_fiscale_ok,
    "ssn": ssn_ok,
    "nhs": nhs_ok,
}


@RECOGNIZERS.register("national_id")
class NationalIdRecognizer(PatternRecognizer):
    name = "national_id"
    entity_type = "CODE"
    patterns = (
        Pattern("tckn", r"(?<![\d/.,-])[1-9]\d{10}(?![\d/.,-]\d)", 0.85),
        Pattern("pesel", r"(?<![\d/.,-])\d{11}(?![\d/.,-]\d)", 0.8),
        Pattern("cnp", r"(?<![\d/.,-])[1-8]\d{12}(?![\d/.,-]\d)", 0.85),
        Pattern("hetu", r"\b\d{6}[-+A]\d{3}[0-9A-Y]\b", 0.9),
        Pattern("personnummer", r"\b(?:19|20)?\d{6}[-+]\d{4}\b", 0.8),
        Pattern("nino", r"\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIQUVO])[A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", 0.85),
        Pattern("dni", r"\b(?:\d{8}|[XYZ]\d{7})-?[A-Z]\b", 0.85),
        Pattern("codice_fiscale", r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b", 0.9),
        Pattern("ssn", r"(?<![\d/.,-])\d{3}-\d{2}-\d{4}(?![\d/-]|[.,]\d)", 0.85),
        Pattern("nhs", r"(?<![\d/.,-])\d{3}[ -]\d{3}[ -]\d{4}(?![\d/-]|[.,]\d)", 0.8),
    )

    def analyze(self, text: str, doc=None):
        spans = []
        for pattern, rx in self._compiled:
            check = CHECKS[pattern.name]
            for m in rx.finditer(text):
                if check(m.group(0)):
                    spans.append(self._span(m, pattern))
        return spans

    def _span(self, m, pattern) -> Span:
        return Span(m.start(), m.end(), self.entity_type, pattern.score, f"{self.name}:{pattern.name}")
