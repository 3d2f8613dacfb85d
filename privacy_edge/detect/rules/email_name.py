"""The name an e-mail address spells: "ilse.vermeer@bureau.example" names Ilse Vermeer, so where the
text writes "Vermeer" or "Ilse Vermeer" with capitals, that is a person, whatever the NER made of
the words around it ("[Contact Ilse Vermeer](mailto:...)"). The address's local part is split at
".", "_" and "-"; when it has two parts or more of three letters or more (a role mailbox such as
"info@" or "support@" has one), each is looked for as a capitalised word of the text, and a run of
such words is one span.
"""

from __future__ import annotations

import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer

_ADDRESS = re.compile(r"(?<![\w.+-])(?P<local>[A-Za-z][\w.+-]{1,63})@[\w-]+(?:\.[\w-]+)+")
_PART = re.compile(r"[^\W\d_]{3,}")
_WORD = re.compile(r"(?<![\w@.])[^\W\d_][^\W\d_'\u2019-]*(?![\w@])")


@RECOGNIZERS.register("email_name")
class EmailNameRecognizer(Recognizer):
    name = "email_name"
    entity_types = ("PERSON",)

    def analyze(self, text: str, doc=None) -> list[Span]:
        if "@" not in text:
            return []
        parts = {p.casefold() for m in _ADDRESS.finditer(text)
                 if len(found := _PART.findall(m.group("local"))) >= 2 for p in found}
        if not parts:
            return []
        spans: list[Span] = []
        for w in _WORD.finditer(text):
            if w.group()[0].isupper() and w.group().casefold() in parts:
                if spans and text[spans[-1].end : w.start()].strip() == "":
                    spans[-1] = spans[-1].with_(end=w.end())
                else:
                    spans.append(Span(w.start(), w.end(), "PERSON", 0.8, "email_name"))
        return spans
