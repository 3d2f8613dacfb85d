"""What the recognizers and the NER read: the text as a reader sees it.

A name can be disguised for a parser without changing what a reader sees: an invisible format
character inside it (zero-width space, soft hyphen, BOM, bidi control) cuts it in two for a regex and
for spaCy's tokenizer ("I\\u200bvan" is "I" and "van"), and letters of another script drawn like Latin
ones (a Cyrillic "Р" in "Рetrov", full-width "Ｐ") are not the letters the rules and the model know.
Letters of Latin alphabets ("ı", "ł", "ş") stay as they are: they are not disguises.
Detection therefore reads a *view* of the text: format characters removed, look-alike letters and
full-width forms written as the ASCII character they show (the matcher's table,
``matching.latin_look_alike``). Each view character keeps the offset of the original character it
came from, so spans map back to exactly the original characters, the invisible ones inside included.
Text without such characters is its own view.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .. import matching
from ..spans import Span

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class View:
    """A text as detection reads it; ``origin[i]`` is the original offset of view character ``i``
    (``None``: the view is the original text)."""

    original: str
    text: str
    origin: tuple[int, ...] | None = None

    def to_original(self, span: Span) -> Span:
        """The span over the original characters it covers (its text taken from the original)."""
        if self.origin is None:
            return span.with_(text=self.original[span.start : span.end])
        if span.end <= span.start:
            at = self.origin[span.start] if span.start < len(self.origin) else len(self.original)
            return span.with_(start=at, end=at, text="")
        start, end = self.origin[span.start], self.origin[span.end - 1] + 1
        return span.with_(start=start, end=end, text=self.original[start:end])


def _shown_as(c: str) -> str | None:
    """The character ``c`` is read as in the view: "" to drop it, None to keep it as it is."""
    if unicodedata.category(c) == "Cf":
        return ""
    nfkc = unicodedata.normalize("NFKC", c)
    if len(nfkc) == 1 and nfkc.isascii() and nfkc.isalnum():
        return nfkc
    if unicodedata.name(c, "").startswith("LATIN"):
        return None  # a letter of a Latin alphabet ("ı", "ł") is the letter it is, not a disguise
    return matching.latin_look_alike(c)


def view(text: str) -> View:
    """The detection view of ``text`` (see the module docstring)."""
    if text.isascii():
        return View(text, text)
    changes = {m.start(): shown for m in _NON_ASCII.finditer(text) if (shown := _shown_as(m.group())) is not None}
    if not changes:
        return View(text, text)
    chars: list[str] = []
    origin: list[int] = []
    last = 0
    for i in sorted(changes):
        chars.append(text[last:i])
        origin.extend(range(last, i))
        if changes[i]:
            chars.append(changes[i])
            origin.append(i)
        last = i + 1
    chars.append(text[last:])
    origin.extend(range(last, len(text)))
    return View(text, "".join(chars), tuple(origin))
