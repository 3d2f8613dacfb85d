"""The value of a form field whose name says what it holds ("Surname: Lindqvist", "Date of birth -
22/07/1995", "Tel.: 210 555 0143", "Nachname: Vogelsang"): the whole value is a span of the type the
field name gives (lexicons/field_keys.txt, several languages), whatever the NER makes of it.

A field is a line (or the cell of a record: the detector's fields reading, detect/fields.py, writes
JSON, CSV, HTML inputs and query strings as such lines), a list mark allowed before it, of a name of
at most five words (vCard parameters after a ";" aside: "TEL;TYPE=cell:"), a separator (":", "=", a
tab, or a dash between spaces) and a value. A name is looked up whole, then by its last
two words, then by its last word, without a trailing "no", "nr", "number", "#" or "(s)".
"""

from __future__ import annotations

import functools
import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer
from ..lexicon import LEXICON_DIR

FIELD = re.compile(
    r"^[^\S\n]*(?:[-*\u2022>][^\S\n]+)?"
    r"(?P<key>[^\W\d_][^\W_]*(?:(?:[^\S\n]+|[^\S\n]*[./'()-][^\S\n]*)[^\W_]+){0,4}\.?(?:\(s\))?)"
    r"(?:;[^:\n]{0,60})?[^\S\n]*(?::|=|\t|[^\S\n][-\u2013\u2014|][^\S\n])[^\S\n]*"
    r"(?P<value>[^\n]*?)[^\S\n]*[,;.]?[^\S\n]*$",
    re.MULTILINE,
)
_END = re.compile(r"(?:[\s.]+(?:no|nr|number|num|#)\.?|\(s\)|\.)$")
_SPACES = re.compile(r"[\s._/'()-]+")
MAX_VALUE = 80


@functools.lru_cache(maxsize=1)
def key_types() -> dict[str, str]:
    """{field name: entity type} from lexicons/field_keys.txt."""
    out = {}
    for line in (LEXICON_DIR / "field_keys.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if "\t" in line:
            key, etype = line.split("\t", 1)
            out[key.strip()] = etype.strip()
    return out


def field_type(key: str) -> str | None:
    """The type a field name gives its value, or None."""
    name = key.strip().casefold()
    while True:
        shorter = _END.sub("", name).strip()
        if shorter == name:
            break
        name = shorter
    words = _SPACES.sub(" ", name).split()
    types = key_types()
    for candidate in (" ".join(words), " ".join(words[-2:]), " ".join(words[-1:])):
        if candidate in types:
            return types[candidate]
    return None


def is_field_label(surface: str) -> bool:
    """Whether a surface form is a field name itself ("Phone", "DOB", "IBAN"), which identifies nobody."""
    return " ".join(_SPACES.sub(" ", surface.casefold()).split()) in key_types()


_NONE = frozenset({"none", "n/a", "na", "-", "unknown", "null", "nil", "tbd", "yes", "no", "true", "false"})


def fits(etype: str, value: str) -> bool:
    """Whether a value has the shape of its field's type: a field name alone can be a word of prose
    ("Order: please...", "User: i live at..."), and a value of the wrong shape is left to the NER."""
    words = value.split()
    digits = sum(c.isdigit() for c in value)
    if value.casefold() in _NONE:
        return False
    if etype == "PERSON":
        return len(words) <= 6 and digits <= 2 and len(value) <= 60
    if etype in ("USERNAME", "EMAIL"):
        return len(words) == 1
    if etype == "PHONE":
        return digits >= 6 and digits * 2 >= sum(c.isalnum() for c in value)
    if etype == "CODE":
        return len(words) <= 4 and (digits > 0 or len(words) == 1 and len(value) >= 4)
    if etype == "DATETIME":
        return digits > 0 and len(words) <= 6
    return len(words) <= 10


@RECOGNIZERS.register("form_field")
class FormFieldRecognizer(Recognizer):
    name = "form_field"
    entity_types = ("PERSON", "LOC", "ORG", "DATETIME", "PHONE", "EMAIL", "USERNAME", "CODE")

    def analyze(self, text: str, doc=None) -> list[Span]:
        spans = []
        if ":" not in text and "\t" not in text and "=" not in text and " - " not in text and "\u2013" not in text:
            return spans
        for m in FIELD.finditer(text):
            start, end = m.span("value")
            value = text[start:end].strip("\"'\u201c\u201d\u2018\u2019 ")
            if not value or len(value) > MAX_VALUE or not any(c.isalnum() for c in value):
                continue
            etype = field_type(m.group("key"))
            if etype is None:
                continue
            if not fits(etype, value):  # two fields on a line: "Plate: WX 5521 K, owner ..."
                value = re.split(r"\s*[,;|]\s", value, maxsplit=1)[0].strip()
                if not value or not fits(etype, value):
                    continue
            start = text.index(value, start)
            spans.append(Span(start, start + len(value), etype, 0.9, f"form_field:{etype.lower()}"))
        return spans
