"""Proper names written in another cased script (Cyrillic, Greek, Armenian, Georgian...): the
English NER reads them poorly ("Иван Сергеевич Коваленко" came out as "Сергеевич Коваленко" and
"Харькове" not at all). As in English, a capitalised word inside a sentence is a proper noun: a
run of two or more is a PERSON, one alone a LOC (a place is the commoner proper noun alone; the
type only names the placeholder). A run that opens a sentence loses its first word when it is
three words or more ("Заявитель Иван Сергеевич Коваленко": the applicant, then the name); one
word alone there is the sentence's first word, not a name. Scripts without capitals (Arabic,
Hebrew, Chinese) give no such sign: there only cue words and field names find a name.
"""

from __future__ import annotations

import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer


def _cased_other(c: str) -> bool:
    """A letter of a cased script other than Latin."""
    return c.isalpha() and ord(c) >= 0x370 and not 0x1E00 <= ord(c) <= 0x1EFF and c.lower() != c.upper()


_OTHER = "".join(chr(i) for i in range(0x370, 0x2000) if _cased_other(chr(i)))
_UPPER = "".join(c for c in _OTHER if c.isupper())
_LOWER = "".join(c for c in _OTHER if c.islower())
_WORD = rf"[{re.escape(_UPPER)}][{re.escape(_LOWER)}]+(?:[-'\u2019][{re.escape(_UPPER)}]?[{re.escape(_LOWER)}]+)*"
_RUN = re.compile(rf"(?<![\w-]){_WORD}(?:[^\S\n]+{_WORD})*(?![\w-])")
_HINT = re.compile(f"[{re.escape(_UPPER)}]")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n])[\s\"'«»\u201c\u201d\u2018\u2019()\-\u2013\u2014]*$")


def sentence_start(text: str, at: int) -> bool:
    return _SENTENCE_END.search(text, max(0, at - 12), at) is not None


@RECOGNIZERS.register("script_name")
class ScriptNameRecognizer(Recognizer):
    name = "script_name"
    entity_types = ("PERSON", "LOC")

    def analyze(self, text: str, doc=None) -> list[Span]:
        if _HINT.search(text) is None:
            return []
        spans = []
        for m in _RUN.finditer(text):
            words = list(re.finditer(r"\S+", m.group()))
            start = m.start()
            if sentence_start(text, start):
                if len(words) < 2:
                    continue
                if len(words) >= 3:
                    start = m.start() + words[1].start()
                    words = words[1:]
            etype = "PERSON" if len(words) >= 2 else "LOC"
            spans.append(Span(start, m.end(), etype, 0.8, f"script_name:{etype.lower()}"))
        return spans


def guessed_in_other_script(text: str, start: int, end: int) -> bool:
    """Whether an English NER's entity is one word of another cased script that no proper noun can
    be: written in small letters, or opening a sentence ("Спасибо", "Καλημέρα")."""
    value = text[start:end]
    if not value or value.isascii() or any(c.isascii() and c.isalpha() for c in value) or len(value.split()) != 1:
        return False
    if not any(_cased_other(c) for c in value):
        return False
    return not value[0].isupper() or sentence_start(text, start)
