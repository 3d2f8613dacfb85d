"""What the recognizers and the NER read: the text as a reader sees it.

A name can be disguised for a parser without changing what a reader sees: an invisible format
character inside it (zero-width space, soft hyphen, BOM, bidi control) cuts it in two for a regex and
for spaCy's tokenizer ("I\\u200bvan" is "I" and "van"), and letters of another script drawn like Latin
ones (a Cyrillic "Р" in "Рetrov", full-width "Ｐ") are not the letters the rules and the model know.
Letters of Latin alphabets ("ı", "ł", "ş") stay as they are: they are not disguises.

Case carries the names too: in a sentence written all in capitals or all in small letters ("MR IVAN
PETROV WAS...", "mr ivan petrov was...") neither the rules nor the NER find them. Such a sentence is
read recased, each character keeping its offset:
- in capitals, a function word and a word the rest of the text writes in small letters are read in
  small letters (months and weekdays excepted), any other word capitalised, as a reader takes an unknown word in a shouted sentence
  for a name (this errs towards detecting too much, and only where the case was lost);
- in small letters, a title ("mr", "judge") and the words after it are capitalised, since a reader
  sees a name there; other small words are common in legal text (list items) and stay as they are.
A line counts as a sentence when it has at least four words and a comma or a final stop; headings
("I. THE CIRCUMSTANCES OF THE CASE") are left alone.
Detection therefore reads a *view* of the text: format characters removed, look-alike letters and
full-width forms written as the ASCII character they show (the matcher's table,
``matching.latin_look_alike``). Each view character keeps the offset of the original character it
came from, so spans map back to exactly the original characters, the invisible ones inside included.
Text without such characters is its own view.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass

from .. import matching
from ..spans import Span
from .lexicon import TITLES

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_]+")
MIN_CASELESS_LETTERS = 12  # a shorter line ("THE FACTS", "A.") is a heading or a label, not a sentence
MIN_SENTENCE_WORDS = 4
_CALENDAR = frozenset(w.lower() for w in (*calendar.month_name, *calendar.day_name) if w)  # "MAY" is May
_SENTENCE_MARK = re.compile(r",|[.!?;:][\s\"'\u201d\u2019)\]]*$")


@dataclass(frozen=True)
class View:
    """A text as detection reads it; ``origin[i]`` is the original offset of view character ``i``
    (``None``: every character kept its offset, as when only the case of some changed)."""

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
    text_view = _recased(text)  # same length: offsets unchanged
    changes = {m.start(): shown for m in _NON_ASCII.finditer(text_view)
               if (shown := _shown_as(m.group())) is not None} if not text_view.isascii() else {}
    if not changes:
        return View(text, text_view)
    chars: list[str] = []
    origin: list[int] = []
    last = 0
    for i in sorted(changes):
        chars.append(text_view[last:i])
        origin.extend(range(last, i))
        if changes[i]:
            chars.append(changes[i])
            origin.append(i)
        last = i + 1
    chars.append(text_view[last:])
    origin.extend(range(last, len(text)))
    return View(text, "".join(chars), tuple(origin))


def _caseless(line: str) -> str | None:
    """"upper" or "lower" for a sentence that lost its case (see the module docstring), else None."""
    letters = [c for c in line if c.isalpha() and c.lower() != c.upper()]
    if len(letters) < MIN_CASELESS_LETTERS or len(_WORD.findall(line)) < MIN_SENTENCE_WORDS:
        return None
    if not _SENTENCE_MARK.search(line.rstrip()):
        return None
    return "upper" if all(c.isupper() for c in letters) else "lower" if all(c.islower() for c in letters) else None


def _recased(text: str) -> str:
    """``text`` with every caseless sentence recased (see the module docstring); same length."""
    lines = [(m, case) for m in _LINE.finditer(text) if (case := _caseless(m.group()))]
    if not lines:
        return text
    small = _small_words(text, [m for m, _ in lines])
    titles = {t.lower() for t in TITLES}
    out = list(text)
    for line, case in lines:
        after_title, previous, previous_end = False, "", 0
        for n, w in enumerate(_WORD.finditer(line.group())):
            word = w.group().lower()
            gap = line.group()[previous_end : w.start()].strip()
            if gap and not (gap == "." and previous in titles):  # punctuation ends a name ("mr." does not)
                after_title = False
            previous, previous_end = word, w.end()
            function = word in _function_words()
            if case == "upper":
                capital = n == 0 or word in _CALENDAR or not (function or word in small)
            else:
                capital = word in titles or (after_title and not function)
                after_title = capital
            recased = word[:1].upper() + word[1:] if capital else word
            if len(recased) != len(word):  # a letter whose case changes its length ("ß"): leave the word
                continue
            if case == "lower" and not capital:
                continue
            at = line.start() + w.start()
            out[at : at + len(recased)] = recased
    return "".join(out)


def _small_words(text: str, caseless_lines) -> frozenset[str]:
    """Words the text writes in small letters more often than capitalised, outside caseless lines."""
    skip = {i for m in caseless_lines for i in range(m.start(), m.end())}
    tally: dict[str, int] = {}
    for w in _WORD.finditer(text):
        if w.start() in skip:
            continue
        word = w.group()
        tally[word.lower()] = tally.get(word.lower(), 0) + (1 if word.islower() else -1)
    return frozenset(w for w, score in tally.items() if score > 0)


@functools.lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS)
