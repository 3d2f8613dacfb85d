"""Where a protected value occurs in a text: the one matcher of the egress guard, the sanitizers,
detection's propagation and the leakage metrics.

An adversary who reads this code knows every way a value can be written that a naive matcher
misses, so texts and values are compared in a *folded* form where those differences vanish:

- Unicode compatibility forms are unified (NFKC: full-width letters, ligatures, no-break spaces);
- diacritics are dropped and case is folded, dotted and dotless I included ("İNAN", "Inan",
  "ınan" and decomposed "I\u0307nan" all fold to "inan"; "Şahin" to "sahin");
- letters of other scripts that a reader takes for Latin ones (Cyrillic "а", "о", "Р", "І", Greek
  "Κ", "ο": Unicode's confusables, UTS #39) are those Latin letters, so "Рорov" with Cyrillic
  letters is "Popov". A few letters read otherwise than their capitals (Greek "ν" is a v, "Ν" an
  N): a text holding such a capital is also read *letter by letter in its own case*, and a value
  found in either reading is found ("Νoνak" is "Novak" letter by letter, "ΑΝΑ" is "Ανα" folded);
- Latin small capitals ("ᴘᴇᴛʀᴏᴠ") and capitals in black circles or squares ("🅟") are the letters
  they stand for;
- invisible characters are removed, since a reader does not see them but they split a value for a
  regex: format characters (Unicode category Cf: soft hyphen, zero-width space and joiner, BOM,
  bidi controls), variation selectors, the grapheme joiner, and the Hangul fillers and the blank
  braille cell, which are drawn as empty cells: a text holding one is read with them as nothing
  and as spaces ("Iv\u3164an" is "Ivan", "Kemal\u2800Inan" is "Kemal Inan");
- text under a right-to-left override is read both as stored (what a model reads) and in the order
  a screen shows it;
- every kind of white space is one space, and typographic apostrophes and dashes are the ASCII ones;
- a number (seven digits or more, only separators besides) is its digits: "020 7946 0958" is found in
  "02079460958" and in "+44 (0)20 7946 0958";
- a name written in another script is found in either: "Коваль" where "Koval" was detected and the
  converse, both read through a transliteration library (anyascii).

A value then matches as a whole word (not inside a longer word: "Inan" is not in "financial";
"Brennholt's" holds "Brennholt"), any run of white space standing for a space of the value, and
optional white space around its punctuation ("36110 / 97" is "36110/97"). Offsets are mapped back
to the original text, so that what a sanitizer replaces is exactly the original characters, the
invisible ones inside a value included.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

# Letters that fold to an ASCII letter a reader takes for the same, but that no decomposition gives.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ŀ": "l",
                          "æ": "ae", "œ": "oe", "þ": "th"})
_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
                              "\u2010": "-", "\u2011": "-", "\u2012": "-",
                              "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u201c": '"', "\u201d": '"'})
_ASCII_FOLD = str.maketrans({**{c: " " for c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85"},
                             **{chr(c): chr(c + 32) for c in range(65, 91)}, "`": "'"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Invisible beyond the format characters (Cf): Hangul fillers (letters that show nothing), the
# braille blank, the combining grapheme joiner, Mongolian and standard variation selectors (marks
# that change no letter).
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
                       + "".join(map(chr, (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)))))


# Of those, the ones drawn as an empty cell rather than nothing, and the zero-width space (a word
# break that shows nothing): a reader takes one for a space between two words ("Kemal\u2800Inan",
# "Ivan\u200bPetrov") and for nothing inside a word ("Iv\u3164an"), so a text holding one is read
# both ways (``Folded.orders``).
_BLANKS = frozenset("\u115f\u1160\u200b\u2800\u3164\uffa0")
_BLANK = re.compile("[" + "".join(sorted(_BLANKS)) + "]")
# Latin small capitals ("ᴀ"), which read as the letters they stand for.
SMALL_CAPITAL = "LATIN LETTER SMALL CAPITAL "

# A right-to-left override and what it covers: up to its pop, another directional control or the
# end of the line. A screen shows Latin text under it backwards ("\u202evorteP navI" is "Ivan Petrov").
_OVERRIDE = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069\n\r\u2029]*)")


def override_runs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each run of ``text`` under a right-to-left override."""
    return [(m.start(1), m.end(1)) for m in _OVERRIDE.finditer(text)] if "\u202e" in text else []


def is_invisible(c: str) -> bool:
    """Whether a reader sees nothing of the character ``c`` (Unicode's default-ignorable ones)."""
    return c in _INVISIBLE or unicodedata.category(c) == "Cf"


def is_blank(c: str) -> bool:
    """Whether ``c`` reads as a space between words and as nothing inside one (Hangul fillers, the
    blank braille cell, the zero-width space)."""
    return c in _BLANKS


def latin_look_alike(c: str) -> str | None:
    """The ASCII letter or digit a reader takes the non-ASCII character ``c`` for, if any."""
    return _look_alikes().get(ord(c)) if len(c) == 1 else None


@functools.lru_cache(maxsize=1)
def _look_alikes() -> dict[int, str]:
    """Non-ASCII characters a reader takes for an ASCII letter or digit, mapped to it.

    The pairs are Unicode's confusables (UTS #39) as the confusable-homoglyphs package ships them.
    Where a character looks like several ASCII ones (Cyrillic "І": "I", "l", "1"), a letter of its
    own case wins, so that it folds as the letter it stands in for.
    """
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    parent: dict[str, str] = {}  # look-alike classes (union-find): "І" is like "l", "l" like "I"

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c] = parent[parent[c]]
        return c

    for key, entries in data.items():
        for other in (e["c"] for e in entries):
            if len(key) == 1 and len(other) == 1:
                parent[root(key)] = root(other)
    members: dict[str, list[str]] = {}
    for c in parent:
        members.setdefault(root(c), []).append(c)
    candidates = {c: {t for t in group if t.isascii() and t.isalnum()}
                  for group in members.values() for c in group if not c.isascii()}
    candidates = {c: ts for c, ts in candidates.items() if ts}

    def rank(c: str, target: str) -> tuple:
        same_case = target.isalpha() and (target.isupper() == c.isupper())
        return (not same_case, not target.isalpha(), target)

    table = {ord(c): min(ts, key=lambda t: rank(c, t)) for c, ts in candidates.items()}
    table.update(_letters_by_name())
    return table


def _letters_by_name() -> dict[int, str]:
    """Letters that the confusables data leave out and no compatibility form decomposes, by their
    Unicode names: Latin small capitals ("ᴀ" for a; not "...SMALL CAPITAL TURNED R") and capitals
    drawn in a black circle or square ("🅐", "🅰" for A)."""
    out = {}
    for code in [*range(0x0250, 0xAB70), *range(0x1F150, 0x1F18A)]:
        name = unicodedata.name(chr(code), "")
        for prefix, case in ((SMALL_CAPITAL, str.lower), ("NEGATIVE CIRCLED LATIN CAPITAL LETTER ", str.upper),
                             ("NEGATIVE SQUARED LATIN CAPITAL LETTER ", str.upper)):
            if name.startswith(prefix) and len(name) == len(prefix) + 1:
                out[code] = case(name[-1])
    return out


@functools.lru_cache(maxsize=2)
def _folded_look_alikes(capitals: bool = False) -> dict[int, str]:
    """The look-alike table for case-folded text: each character's case-folded form maps to the
    small ASCII letter, so that "КОВАЛЬ", "Коваль" and "коваль" fold alike. Where a small letter
    and its capital read as different letters ("ν" v, "Ν" N), the small letter's reading wins, or,
    with ``capitals``, the capital's (for a capital read in its own case, see ``fold``)."""
    table: dict[int, str] = {}
    for own_case in ((True, False) if capitals else (False, True)):
        for code, target in _look_alikes().items():
            c = chr(code)
            if (c == c.casefold()) != own_case:
                continue
            folded = c.casefold()
            if len(folded) == 1 and not folded.isascii():
                table[ord(folded)] = target.lower()
    return table


@functools.lru_cache(maxsize=1)
def _capitals_read_otherwise() -> re.Pattern:
    """The capitals (with any marks, in any compatibility form) whose letter reads otherwise than its
    small letter ("Ν", "Ϋ", a mathematical bold Nu): a text holding one is read twice."""
    small, capital = _folded_look_alikes(False), _folded_look_alikes(True)
    differ = {chr(c) for c in small if small[c] != capital.get(c)}
    chars = []
    for code in range(0x80, 0x30000):
        c = chr(code)
        if unicodedata.category(c) not in ("Lu", "Lt"):
            continue
        base = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", c))[:1].casefold()
        if base in differ:
            chars.append(c)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]") if chars else re.compile(r"(?!)")


def _reads_twice(text: str) -> bool:
    return not text.isascii() and bool(_capitals_read_otherwise().search(text))


@functools.lru_cache(maxsize=8192)
def _fold_piece(piece: str, own_case: bool = False) -> str:
    """The folded form of a character with the combining marks that follow it (``own_case``: a
    capital's look-alike read as the capital's, see ``fold``)."""
    if len(piece) == 1 and is_invisible(piece):
        return ""
    capital = own_case and unicodedata.category(piece[0]) in ("Lu", "Lt")
    out = unicodedata.normalize("NFKC", piece)
    out = unicodedata.normalize("NFD", out.translate(_PUNCTUATION))
    out = "".join(c for c in out if not unicodedata.category(c).startswith("M")).casefold()  # a mark
    # can case-fold to a letter (the iota subscript of "ᾼ" to "ι"), so marks go first
    out = unicodedata.normalize("NFD", out)  # casefold can compose again ("İ" -> "i̇")
    out = "".join(" " if c.isspace() else c for c in out if not unicodedata.category(c).startswith("M")
                  and not is_invisible(c))
    return out.translate(_LETTERS).translate(_folded_look_alikes(capital)).translate(_PUNCTUATION)


def _is_mark(c: str) -> bool:
    return unicodedata.category(c).startswith("M") or "\u1160" < c <= "\u11ff"  # U+1160 is a blank cell


@dataclass(frozen=True)
class Folded:
    """A text in folded form, with the original offsets of every folded character.

    ``starts[i]``/``ends[i]``: the piece of the original text that folded character ``i`` came from
    (``None``: the folding kept every offset, as for ASCII text).
    """

    original: str
    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None
    shown: bool = False  # runs under a right-to-left override in the order a screen shows them
    blank: str = ""  # what a blank cell (``_BLANKS``) folded to: nothing or a space

    @functools.cached_property
    def read_twice(self) -> bool:
        """Whether the text holds a capital whose small letter reads otherwise (see ``fold``)."""
        return _reads_twice(self.original)

    @functools.cached_property
    def own_case(self) -> Folded:
        """The second reading (``fold(original, own_case=True)``); the text itself when there is none."""
        return fold(self.original, True, self.shown, self.blank) if self.read_twice else self

    @functools.cached_property
    def orders(self) -> tuple[Folded, ...]:
        """This folding and the others a reader or a model may take: blank cells as spaces as well
        as nothing, runs under an override in the order shown as well as stored. Their lengths
        differ, so each is scanned on its own and the hits are merged in original offsets."""
        blanks = ("", " ") if self.starts is not None and _BLANK.search(self.original) else ("",)
        shown = (False, True) if "\u202e" in self.original else (False,)
        others = tuple(fold(self.original, False, s, b) for s in shown for b in blanks if (s, b) != (False, ""))
        return (self, *others)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original offsets of the folded range [a, b) (b > a)."""
        if self.starts is None:
            return a, b
        if self.shown:
            return min(self.starts[a:b]), max(self.ends[a:b])
        return self.starts[a], self.ends[b - 1]


def fold(text: str, own_case: bool = False, shown: bool = False, blank: str = "") -> Folded:
    """The folded form of ``text`` (see the module docstring), offsets kept. ``own_case``: the
    second reading, where a capital whose small letter reads otherwise ("Ν" N, "ν" v) reads as
    itself; both readings fold each character to as many characters, so their offsets agree.
    ``shown``: runs under a right-to-left override in the order a screen shows them; ``blank``:
    what a blank cell folds to (see ``Folded.orders``)."""
    if isinstance(text, Folded):
        return text if not own_case else text.own_case
    if not _NON_ASCII.search(text):
        return Folded(text, text.translate(_ASCII_FOLD))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n, done = len(text), 0  # text[:done] is folded

    def ascii_run(a: int, b: int) -> None:  # one translate for a run of ASCII characters
        if b > a:
            parts.append(text[a:b].translate(_ASCII_FOLD))
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))

    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i < done:  # a mark already folded with its base character
            continue
        if _is_mark(text[i]) and i > done:  # a combining mark on an ASCII letter: fold them together
            i -= 1
        ascii_run(done, i)
        j = i + 1
        while j < n and _is_mark(text[j]):
            j += 1
        piece = blank if j == i + 1 and text[i] in _BLANKS else _fold_piece(text[i:j], own_case)
        if piece:
            parts.append(piece)
            starts += [i] * len(piece)
            ends += [j] * len(piece)
        done = j
    ascii_run(done, n)
    folded = "".join(parts)
    runs = override_runs(text) if shown else []
    if not runs:
        return Folded(text, folded, tuple(starts), tuple(ends), blank=blank)
    chars = list(folded)
    bounds = [(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)) for a, b in runs]
    for lo, hi in bounds:  # reverse the run piece by piece: "æ" folded to "ae" stays "ae"
        pieces, k = [], lo
        while k < hi:
            m = k + 1
            while m < hi and starts[m] == starts[k]:
                m += 1
            pieces.append((chars[k:m], starts[k:m], ends[k:m]))
            k = m
        pieces.reverse()
        chars[lo:hi] = [c for p in pieces for c in p[0]]
        starts[lo:hi] = [s for p in pieces for s in p[1]]
        ends[lo:hi] = [e for p in pieces for e in p[2]]
    return Folded(text, "".join(chars), tuple(starts), tuple(ends), shown=True, blank=blank)


_SPACES = re.compile(r" +")
_SPACE_BY_PUNCT = re.compile(r" ?([^\w ]) ?")


def key(value: str, own_case: bool = False) -> str:
    """How two surface forms are compared: equal keys are the same value ("İnan" = "INAN" = "inan",
    "36110 / 97" = "36110/97"). ``own_case``: the key under the second reading (see ``fold``)."""
    if isinstance(value, Folded):
        return _canonical(value.text if not own_case else value.own_case.text)
    return _key_of(value, own_case)


@functools.lru_cache(maxsize=65536)
def _key_of(value: str, own_case: bool) -> str:  # values recur: every mention, every document
    return _canonical(fold(value, own_case).text)


def _canonical(folded: str) -> str:
    return _SPACE_BY_PUNCT.sub(r"\1", _SPACES.sub(" ", folded).strip())


def is_word_part(c: str) -> bool:
    """A letter, digit or underscore, or a mark or invisible format character: folding removes the
    latter two, so none of these ever separates two words."""
    return c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M" or is_invisible(c)


def has_word(value: str) -> bool:
    """Whether a value holds a letter or digit (only such values can be matched as words)."""
    return any(c.isalnum() for c in value)


def _value_regex(k: str) -> str:
    """The regex for a folded value key: spaces as runs of spaces, optional spaces around punctuation."""
    out = []
    for i, c in enumerate(k):
        if c == " ":
            out.append(" +")
        elif re.match(r"\w", c):
            out.append(re.escape(c))
        else:
            out.append((" *" if i > 0 else "") + re.escape(c) + (" *" if i < len(k) - 1 else ""))
    left = r"(?<!\w)" if re.match(r"\w", k[0]) else ""
    right = r"(?!\w)" if re.match(r"\w", k[-1]) else ""
    return left + "".join(out) + right


@functools.lru_cache(maxsize=256)
def _pattern(keys: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(_value_regex(k) for k in keys))


def compile_values(values: Iterable[str]) -> tuple[re.Pattern | None, frozenset[str]]:
    """One regex for all values (longest first, so "Kemal Inan" wins over "Inan") and their keys."""
    return _compile_keys(key(v) for v in values if has_word(v))


def _compile_keys(keys: Iterable[str]) -> tuple[re.Pattern | None, frozenset[str]]:
    ordered = sorted(set(keys) - {""}, key=lambda k: (-len(k), k))
    return (_pattern(tuple(ordered)), frozenset(ordered)) if ordered else (None, frozenset())


@dataclass(frozen=True)
class Occurrence:
    start: int  # offsets into the original text
    end: int
    key: str  # the key of the value found


def occurrences(text: str | Folded, values: Iterable[str]) -> list[Occurrence]:
    """Every non-overlapping occurrence of any of the values in ``text``, in text order (the leftmost
    first, the longest of those, over both readings when the text or a value has two)."""
    values = [v for v in values if has_word(v)]
    rx, keys = compile_values(values)
    if rx is None:
        return []
    folded = fold(text)
    twice = any(map(_reads_twice, values))
    second_rx = second = None
    if twice or folded.read_twice:
        second = {}
        for v in values:
            second.setdefault(key(v, True), key(v))
        second.pop("", None)
        second_rx = _compile_keys(second)[0]
    hits: list[Occurrence] = []
    for order in folded.orders:
        readings = [(order, rx, {k: k for k in keys})]
        if second is not None:
            readings.append((order.own_case, second_rx, second))
        hits += _scan(readings)
    extra = _digit_hits(folded, values) + _transliterated_hits(folded.original, values)
    return _disjoint(hits + extra) if len(folded.orders) > 1 or extra else hits


def _scan(readings) -> list[Occurrence]:
    """Leftmost-longest non-overlapping hits over readings of one text (their offsets agree)."""
    out: list[Occurrence] = []
    pending: list = [(-1, -1, None)] * len(readings)  # each reading's next hit at or after pos (None: no more)
    pos = 0
    while True:
        best = None
        for r, (folded, rx, keys) in enumerate(readings):
            hit = pending[r]
            if hit is not None and hit[0] < pos:
                hit = pending[r] = _next_hit(folded, rx, keys, pos)
            if hit is not None and (best is None or (hit[0], -hit[1]) < (best[0], -best[1])):
                best = hit
        if best is None:
            return _disjoint(out)
        a, b = readings[0][0].span(best[0], best[1])
        out.append(Occurrence(a, b, best[2]))
        pos = best[1]


def _disjoint(hits: list[Occurrence]) -> list[Occurrence]:
    """Hits in original order, merged where they share original characters: one character can fold
    to two values ("½" to "1/2"), and a run under an override is read backwards."""
    out: list[Occurrence] = []
    for o in sorted(hits, key=lambda o: (o.start, -o.end)):
        if out and o.start < out[-1].end:
            out[-1] = Occurrence(out[-1].start, max(o.end, out[-1].end), out[-1].key)
        else:
            out.append(o)
    return out


def _next_hit(folded: Folded, rx: re.Pattern, keys: dict[str, str], pos: int):
    """(start, end, key) of the first hit of ``rx`` in the folded text at or after ``pos``."""
    while (m := rx.search(folded.text, pos)) is not None:
        k = keys.get(_canonical(m.group(0)))
        if k is not None:
            return m.start(), m.end(), k
        pos = m.start() + 1
    return None


# Numbers written with other separators or prefixes: a value of digits and separators only, with at
# least MIN_DIGITS digits, is also found where its digits, leading zeros aside, stand inside a run of
# digits joined by spaces and signs ("020 7946 0958" in "02079460958" and "+44 (0)20 7946 0958").
MIN_DIGITS = 7
_DIGITS_ONLY = re.compile(r"[\d .\-/()+]+")
_DIGIT_RUN = re.compile(r"(?<![^\W\d_])\d(?:[ .\-/()+]{0,3}\d)*")


def digits_key(value: str) -> str | None:
    """The digits a number is compared by (leading zeros off: a trunk prefix), or None for a value
    that is not a number of at least ``MIN_DIGITS`` digits."""
    folded = fold(value).text.strip()
    if not _DIGITS_ONLY.fullmatch(folded):
        return None
    digits = "".join(c for c in folded if c.isdigit())
    return digits.lstrip("0") if len(digits) >= MIN_DIGITS else None


def _digit_hits(folded: Folded, values: list[str]) -> list[Occurrence]:
    cores: dict[str, str] = {}
    for v in values:
        core = digits_key(v)
        if core and len(core) >= MIN_DIGITS - 1:
            cores.setdefault(core, key(v))
    if not cores:
        return []
    out = []
    text = folded.text
    for m in _DIGIT_RUN.finditer(text):
        positions = [i for i in range(m.start(), m.end()) if text[i].isdigit()]
        joined = "".join(text[i] for i in positions)
        for core, k in cores.items():
            at = joined.find(core)
            while at != -1:
                a, b = folded.span(positions[at], positions[at + len(core) - 1] + 1)
                out.append(Occurrence(a, b, k))
                at = joined.find(core, at + 1)
    return out


# Names across scripts: a value in one script is also found written in another ("Коваль" where
# "Koval" was detected, and the converse), both read through a transliteration library (anyascii),
# apostrophes of a transliteration (a soft sign: "Koval'") dropped.
_OTHER_SCRIPT = re.compile("[\u0370-\u1dff\u1f00-\u1fff\u2c00-\u2dff\u2e80-\ua6ff\ua700-\ua7ff\uac00-\ud7ff\uf900-\uffef]")


@functools.lru_cache(maxsize=4096)
def _latin_of(c: str) -> str:
    from anyascii import anyascii

    return anyascii(c).replace("'", "")


def transliterated(value: str) -> str:
    """``value`` with every letter of another script written in Latin letters."""
    return "".join(_latin_of(c) if c.isalpha() and _OTHER_SCRIPT.match(c) else c for c in value) \
        if _OTHER_SCRIPT.search(value) else value


def _transliterated_hits(text: str, values: list[str]) -> list[Occurrence]:
    if not (_OTHER_SCRIPT.search(text) or any(_OTHER_SCRIPT.search(v) for v in values)):
        return []
    latin: dict[str, str] = {}
    for v in values:
        latin.setdefault(key(transliterated(v)), key(v))
    latin.pop("", None)
    rx = _compile_keys(latin)[0]
    if rx is None:
        return []
    pieces, starts, ends = [], [], []
    for i, c in enumerate(text):
        piece = _latin_of(c) if c.isalpha() and _OTHER_SCRIPT.match(c) else c
        pieces.append(piece)
        starts += [i] * len(piece)
        ends += [i + 1] * len(piece)
    written = fold("".join(pieces))
    if written.starts is None:
        mapped = Folded(text, written.text, tuple(starts), tuple(ends))
    else:
        mapped = Folded(text, written.text, tuple(starts[s] for s in written.starts),
                        tuple(ends[e - 1] for e in written.ends))
    return _scan([(mapped, rx, latin)])


def found_keys(text: str | Folded, values: Iterable[str]) -> set[str]:
    """The keys of the values that occur in ``text``, each value looked for on its own (a value
    inside a longer one that also occurs is found too), in either reading."""
    values = [v for v in values if has_word(v)]
    out: set[str] = set()
    twice = any(map(_reads_twice, values))
    original = text.original if isinstance(text, Folded) else text
    for v in values:  # numbers in other layouts, names in other scripts
        if _digit_hits(fold(text), [v]) or _transliterated_hits(original, [v]):
            out.add(key(v))
    for folded in fold(text).orders:
        out |= {k for k in {key(v) for v in values} - {""} if _pattern((k,)).search(folded.text)}
        if folded.read_twice or twice:
            second = folded.own_case
            out |= {key(v) for v in values if key(v, True) and _pattern((key(v, True),)).search(second.text)}
    return out


def contains(text: str | Folded, value: str) -> bool:
    """Whether ``value`` occurs in ``text`` as a whole word."""
    return bool(found_keys(text, [value]))
