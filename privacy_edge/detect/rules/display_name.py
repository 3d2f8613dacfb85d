"""Names that a message's layout marks, not its grammar: the display name before an e-mail address
(``From: "Piotr Zieliński" <pz@firma.example>``, ``Bruno Carvalho <bruno@mail.example> wrote:``) and
the speaker of a chat transcript's line (``[10:43] Leo Hartmann: not yet``). A speaker is taken
after a time stamp (there also two words or more in small letters: ``[10:42] priya venkataraman:``),
or when at least two lines of the text open with speakers of two words or more.
"""

from __future__ import annotations

import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer
from ..lexicon import CAP_WORD, SP

NAME = rf"{CAP_WORD}(?:{SP}+(?:{CAP_WORD}|[a-z]{{1,3}}{SP}+{CAP_WORD})){{0,3}}"
_DISPLAY = re.compile(
    rf"(?:\"(?P<quoted>[^\"\n<>@]{{2,80}})\"|(?P<name>{NAME}))[^\S\n]*<[^<>\s@]+@[^<>\s]+>")
_STAMP = r"(?:[\[(]?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[^\S\n]*[AaPp]\.?[Mm]\.?)?[\])]?[^\S\n]*[-\u2013]?[^\S\n]*)"
_SPEAKER = re.compile(rf"^[^\S\n]*(?P<stamp>{_STAMP})?(?P<name>{NAME}):[^\S\n]", re.MULTILINE)
# after a time stamp a speaker may be written in small letters ("[10:42] priya venkataraman: ...")
_SMALL_SPEAKER = re.compile(rf"^[^\S\n]*{_STAMP}(?P<name>[^\W\d_]{{2,}}(?:[^\S\n]+[^\W\d_][\w'\u2019-]*){{1,3}}):[^\S\n]",
                            re.MULTILINE)


@RECOGNIZERS.register("display_name")
class DisplayNameRecognizer(Recognizer):
    name = "display_name"
    entity_types = ("PERSON",)

    def analyze(self, text: str, doc=None) -> list[Span]:
        spans = []
        if "<" in text and "@" in text:
            for m in _DISPLAY.finditer(text):
                group = "quoted" if m.group("quoted") is not None else "name"
                start, end = m.span(group)
                value = text[start:end].strip()
                if any(c.isalpha() for c in value):
                    start = text.index(value, start)
                    spans.append(Span(start, start + len(value), "PERSON", 0.9, "display_name:email"))
        if ":" in text:
            speakers = list(_SPEAKER.finditer(text))
            several = sum(len(m.group("name").split()) >= 2 for m in speakers) >= 2
            for m in speakers:
                if m.group("stamp") or several and len(m.group("name").split()) >= 2:
                    spans.append(Span(*m.span("name"), "PERSON", 0.85, "display_name:speaker"))
            spans += [Span(*m.span("name"), "PERSON", 0.8, "display_name:speaker") for m in _SMALL_SPEAKER.finditer(text)
                      if m.group("name").islower()]
        return spans
