"""A detected part grows to the whole value: what is left beside a masked part still identifies
("Hortensia [LOC_1] Gallagher-Vane", "[QUANTITY_1]-539", "Nguyễn [PERSON_1]").

- A person's name takes in the capitalised words right before and after it on the same line, of any
  script ("Nguyễn" before "Thị Hồng Nhung", "Gallagher-Vane" after "Hortensia"), with the particles
  of names between them ("Ludwig van Beethoven"); a word that opens a sentence, a function word, a
  rank or role, a nationality or a word of institutions ("Court", "Government") stops it, and a name
  that opens with a title ("Mr H. Corell") does not grow to the left.
- In a line all in small letters, a one-word name takes the next word ("ophelia rainsford").
- A number (a code, a date or a quantity of digits only) takes in the digit groups joined to it by
  one space, dash, stop or slash when the whole has five digits or more ("31-539", "777 485 3456"):
  a postcode or a phone number is not two values.
"""

from __future__ import annotations

import calendar
import functools
import re
from typing import Sequence

from ..spans import Span
from .lexicon import FIRST_TITLE, PARTICLE, stopwords, words

_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019\-\u2010\u2011][^\W\d_])*")
_BEFORE = re.compile(rf"(?:^|(?<=[^\S\n]))((?:[^\W\d_](?:[^\W\d_]|['\u2019-][^\W\d_])*)|{PARTICLE})[^\S\n]+$")
_AFTER = re.compile(rf"^[^\S\n]+((?:{PARTICLE}[^\S\n]+)*)((?:[^\W\d_](?:[^\W\d_]|['\u2019\-\u2010\u2011][^\W\d_])*))")
_SENTENCE_END = re.compile(r"[.!?:;\n\"\u201c\u201d]\s*$")
_NOT_NAME = frozenset({"the", "and", "or", "of", "mr", "mrs", "ms", "dr", "miss", "sir", "madam", "judge", "in", "on",
                       "at", "for", "by", "to", "from", "with", "a", "an", "this", "that", "his", "her", "their"})
_DIGITS = re.compile(r"\d+")
_GROUP_AFTER = re.compile(r"^[ \-./]\d+")
_GROUP_BEFORE = re.compile(r"\d+[ \-./]$")
NUMERIC_TYPES = frozenset({"CODE", "DATETIME", "QUANTITY", "PHONE", "LOC"})
MIN_DIGITS = 5


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or word.isupper() and len(word) > 1 and word[:1].isalpha()


_RANKS = frozenset("""sergeant major captain colonel general lieutenant corporal private officer inspector constable
regimental adviser advisor counsel agent minister president chairman chairwoman director judge justice prosecutor
deputy secretary ambassador commissioner registrar governor mayor chief head doctor professor
article articles section rule rules paragraph protocol gazette official law act code""".split())


@functools.lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Capitalised words that are no part of a name: institutions, ranks and roles, nationalities."""
    return frozenset(w.casefold() for name in ("public_bodies", "org_heads", "demonyms", "occupations")
                     for w in words(name)) | _RANKS | _NOT_NAME


def _name_word(word: str) -> bool:
    folded = word.casefold()
    return _capitalised(word) and folded not in _generic() and folded not in stopwords()


def grow_names(text: str, spans: Sequence[Span]) -> list[Span]:
    """PERSON spans over the capitalised words next to them (see the module docstring)."""
    out = []
    for s in spans:
        if s.entity_type != "PERSON" or not any(c.isalpha() for c in text[s.start : s.end]):
            out.append(s)
            continue
        start, end = s.start, s.end
        titled = FIRST_TITLE.match(text, s.start, s.end) is not None  # a title opens the name
        while not titled:  # to the left
            m = _BEFORE.search(text, max(0, start - 60), start)
            if m is None or not _name_word(m.group(1)):
                break
            left = m.start(1)
            if left == 0 or _SENTENCE_END.search(text, max(0, left - 3), left):  # the sentence's first word
                break
            start = left
        while True:  # to the right
            m = _AFTER.match(text[end : end + 80])
            if m is None or not _name_word(m.group(2)):
                break
            end += m.end()
        out.append(s if (start, end) == (s.start, s.end) else s.with_(start=start, end=end, text=text[start:end]))
    return out


_LABEL = re.compile(r"^\s*[^\W\d_]+:\s")  # "User: ..." opens a message in small letters
_NEXT_SMALL = re.compile(r"[^\S\n]+([a-z][a-z'\u2019-]{2,})(?![\w])")


def grow_small(text: str, spans: Sequence[Span]) -> list[Span]:
    """In a line written all in small letters (a message), a one-word name the NER found ("for ophelia
    rainsford") takes the next word too, unless that is a function word, a word of institutions, a
    rank or a date word: small letters give no other sign of where a name ends."""
    out = []
    for s in spans:
        value = text[s.start : s.end]
        m = _NEXT_SMALL.match(text, s.end)
        if (s.entity_type in ("PERSON", "LOC") and value.isalpha() and value.islower() and m is not None
                and m.group(1) not in _generic() and m.group(1) not in stopwords()
                and m.group(1) not in _CALENDAR):
            line = text[text.rfind("\n", 0, s.start) + 1 : (text.find("\n", s.end) + 1 or len(text) + 1) - 1]
            if not any(c.isupper() for c in _LABEL.sub("", line, count=1)):
                out.append(s.with_(end=m.end(1), text=text[s.start : m.end(1)]))
                continue
        out.append(s)
    return out


_CALENDAR = frozenset(w.lower() for w in (*calendar.month_name, *calendar.day_name, "today", "tomorrow", "yesterday",
                                          "tonight", "morning", "evening", "week", "month", "year") if w)


def grow_numbers(text: str, spans: Sequence[Span]) -> list[Span]:
    """Spans of digits over the digit groups joined to them (see the module docstring)."""
    out = []
    for s in spans:
        value = text[s.start : s.end]
        if s.entity_type not in NUMERIC_TYPES or not value or not all(c.isdigit() or c in " -./" for c in value):
            out.append(s)
            continue
        start, end = s.start, s.end
        while (m := _GROUP_AFTER.match(text, end, min(len(text), end + 12))) is not None \
                and not text[m.end():m.end() + 1].isalpha():
            end = m.end()
        while (m := _GROUP_BEFORE.search(text, max(0, start - 12), start)) is not None \
                and (m.start() == 0 or not text[m.start() - 1].isalnum()):
            start = m.start()
        digits = sum(len(d) for d in _DIGITS.findall(text[start:end]))
        if (start, end) != (s.start, s.end) and digits >= MIN_DIGITS:
            out.append(s.with_(start=start, end=end, text=text[start:end]))
        else:
            out.append(s)
    return out
