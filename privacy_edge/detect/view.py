"""What the recognizers and the NER read: the text as a reader sees it.

A name can be disguised for a parser without changing what a reader sees, and detection reads a
*view* of the text where those disguises are undone. First, markup is read as rendered (HTML tags
and character references, Markdown emphasis and links, words hyphenated across a line break:
markup.py); then three steps:

1. Invisible characters (zero-width space and joiner, soft hyphen, word joiner, BOM, bidi marks,
   variation selectors, Hangul fillers: ``matching.is_invisible``) are left out: "I\\u200bvan" is
   one word, not "I" and "van". A combining mark is read composed with its letter where Unicode has
   the composed letter ("a" + acute is "á") and left out otherwise. Full-width, circled and other
   compatibility forms of one ASCII letter or digit are read as it ("Ｐ", "Ⓟ", "🅟" are "P"), and
   full-width and small forms of an ASCII sign as the sign ("＠" is "@"). Words
   spelled out letter by letter ("I v a n", "P.e.t.r.o.v.", "I-v-a-n P-e-t-r-o-v", three letters
   or more, each word in the shape of a name, or four capitals or more between spaces or dashes,
   five or more between stops: "U.S.S.R." stays an acronym, "F.E.N.W.I.C.K." is a word) are read as the words, and so are capitalised words run together
   ("IvanPetrov", each of three letters or more), and a number of seven digits or more with a space
   between its digits ("0 7 7 0 0 9 ...") as the number. Text under a right-to-left override, which
   a reader sees backwards ("\\u202evorteP navI" shows "Ivan Petrov"), is read in the order shown;
   the detector also reads such a text as stored, as a model would (``view(text, shown=False)``).
2. In a word whose every letter is Latin or drawn like a Latin one (a Cyrillic "Р" in "Рetrov",
   a Cyrillic "Мау", small capitals "ᴘᴇᴛʀᴏᴠ"), those are read as the Latin letters they show
   (``matching``'s table, Unicode's confusables), a word of small capitals capitalised. A word with
   a letter no Latin one resembles ("Коваль") is a word of its own script and stays as it is; so
   do letters of Latin alphabets ("ı", "ł", "ş"). Digits written for letters inside a capitalised
   word of at least three letters, one of them small ("P3tr0v", "Iv4n"), are read as those letters.
3. A sentence that lost its case ("MR IVAN PETROV WAS...", "mr ivan petrov was...") is read
   recased, character by character ("İ" reads "i"; a letter whose capital is two, as "ß", stays):
   - after a title (one the text never writes in small letters: "mr", "dr", not "judge" in a text
     that speaks of the judge) up to three words are capitalised: the first unless it is a closed-class
     word ("mr white" and "MR WILL SMITH" are names, "MR AND MRS" is not), the next two unless they
     are function words or words the text writes in small letters;
   - in any sentence, words in small letters after words that introduce a name: one after a strong
     cue ("my name is", "name's", "Name:"), two after a weak one ("I am", "this is", "call me",
     "regards,"; "called", "named", "it's" and "my husband", "my landlord"... only in a sentence in
     small letters, as a message is), function words ending it;
   - in a sentence in capitals, the other words are read in small letters when they are function
     words or words the text writes in small letters, and capitalised otherwise (months and
     weekdays are capitalised): a reader takes an unknown word in a shouted sentence for a name, so
     this errs towards detecting too much, and only where the case was lost.
   A line counts as a sentence when it has at least four words and, in capitals, a comma or a final
   stop, or eight words: headings ("I. THE CIRCUMSTANCES OF THE CASE") are left alone, and a message
   in small letters or in capitals often ends without one. Inside a line with small letters,
   two to four words in capitals ("the applicant IVAN PETROV was") are read the same way as words of
   a sentence in capitals; one word alone is left as it is (more often an acronym than a name).

Each view character keeps the offset of the original character it came from, so spans map back to
exactly the original characters, the invisible ones inside included. A text with none of this is
its own view.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from .. import matching
from ..spans import Span
from .lexicon import LOWER, TITLES, UPPER, stopwords
from .markup import render

_SPECIAL = re.compile(r"[^\x00-\x7f]")
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # the combining-mark blocks
_ALNUM_RUN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")  # a word with the marks on its letters
_LINE = re.compile(r"[^\n]+")
_SMALL_ASCII, _CAPITAL_ASCII = re.compile("[a-z]"), re.compile("[A-Z]")
_WORD = re.compile(r"[^\W\d_]+")
MIN_CASELESS_LETTERS = 12  # a shorter line ("THE FACTS", "A.") is a heading or a label, not a sentence
MIN_SENTENCE_WORDS = 4
MIN_SHOUTED_MESSAGE_WORDS = 8  # a line in capitals without a stop this long is a message, not a heading
NAME_WORDS_AFTER_TITLE = 3
# Closed-class words that never begin a name after a title ("MR AND MRS SMITH"); open-class words
# can ("MR WILL SMITH", "MR BACK"), so spaCy's wider stop list is not used here.
NOT_A_NAME = frozenset({
    "and", "or", "nor", "but", "of", "the", "a", "an", "to", "in", "on", "at", "by", "for", "with", "from", "as",
    "his", "her", "their", "its", "our", "your", "my", "who", "whose", "whom", "which", "that", "this", "these",
    "those", "was", "were", "is", "are", "be", "been", "has", "had", "have", "said", "did", "does"})
_CALENDAR = frozenset(w.lower() for w in (*calendar.month_name, *calendar.day_name) if w)  # "MAY" is May
# Two to four words in capitals inside a line: a name written in capitals ("IVAN PETROV", "Jean
# DUPONT" needs no help). One word alone is more often an acronym ("ECHR"), and so is a word of two
# letters ("EU LAW"); a run with a function word is a phrase ("THE UN AND THE EU"): those stay.
_CAPS_WORD = rf"{UPPER}+(?:['\u2019-]{UPPER}+)*"
_SHOUTED = re.compile(rf"(?<![\w'\u2019-]){_CAPS_WORD}(?:[^\S\n]+{_CAPS_WORD}){{1,3}}(?![\w'\u2019-])")
# Words that introduce a name, and what may stand between them and it (a colon, a dash, a quotation
# mark, a line break). After a "strong" one ("my name is", "name:", "surname:") one word in
# small letters is taken for a name; after a "weak" one ("this is", "i am", "call me", "regards,")
# two are needed, so that "i am innocent" or "this is urgent" stay as written.
_CUE_END = (r"(?=[\s:\-\u2013\u2014\"\u201c'\u2018])[^\S\n]*(?:[:\-\u2013\u2014\"\u201c'\u2018][^\S\n]*){0,2}"
            r"(?:\n[^\S\n]*)?")
_STRONG_CUE = re.compile(r"(?:name(?:['\u2019]s|[^\S\n]+(?:is|was)\b)|name[^\S\n]*(?=:))" + _CUE_END, re.IGNORECASE)
_NAME_OWNERS = frozenset({"my", "his", "her", "our", "their", "your", "whose", "full", "first", "last", "family",
                          "given", "maiden", "birth"})  # "my name is", "his full name was"; not "the name is"
_PREVIOUS_WORD = re.compile(r"([\w'\u2019]+)[^\S\n]+$")
_WEAK_CUE = re.compile(r"(?<![-\w])(?:[Cc]all[^\S\n]+me|[Tt]his[^\S\n]+is|[Ii][^\S\n]+am|[Ii]['\u2019]?m"
                       r"|[Rr]egards,)" + _CUE_END)
# Cues that introduce as many things as names in a judgment ("called upon", "a named attorney", "it
# is", "my client"): they count only in a sentence written all in small letters, as a message is.
_KIN = ("husband|wife|partner|son|daughter|brother|sister|mother|mom|mum|father|dad|friend|neighbou?r|boss|"
        "landlord|landlady|lawyer|doctor|colleague|cousin|uncle|aunt|grand(?:mother|father|ma|pa)|boyfriend|"
        "girlfriend|fianc[eé]e?|client|tenant|employer|manager|teacher|ex")
_CALLED = re.compile(rf"(?<![-\w])(?:called|named|it['\u2019]?s|it[^\S\n]+is|my[^\S\n]+(?:{_KIN}))\b" + _CUE_END)
_NAME_WORD = re.compile("[Nn][Aa][Mm][Ee]")
_SPACES_AFTER = re.compile(r"[^\S\n]*")
_PARTS = re.compile(r"([-'\u2019])")
_NAME_PART = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")  # "jean-luc", "o'neill"
_SENTENCE_MARK = re.compile(r",|[.!?;:][\s\"'\u201d\u2019)\]]*$")
# Three or more single letters, the same separator between each ("I v a n", "P.e.t.r.o.v", "I-v-a-n"):
# spaces (not tabs or line breaks) or one of - . _ / · and the typographic hyphens and dash.
_SPACES = " \u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPELLED = re.compile(rf"(?<![^\W_])[^\W\d_]([{_SPACES}]+|[.\-_/\u00b7\u2010\u2011\u2013])[^\W\d_](?:\1[^\W\d_])+(?![^\W_])")
_SPELLED_DIGITS = re.compile(r"(?<![\w.,])\d(?: \d){6,}(?![\w.,])")  # seven digits or more, one space between
_CAPITALS_SEPARATOR = re.compile(rf"[{_SPACES}]+|[-\u2010\u2011\u2013]")  # "U.S.S.R." stays an acronym
MIN_DOTTED_CAPITALS = 5  # capitals with stops between them are a word from five on: no acronym is that long
# A capitalised word with digits between its letters, each digit one drawn for a letter ("P3tr0v").
_LEET = re.compile(r"(?<![^\W_])[^\W\d_]+(?:[013457]{1,2}[^\W\d_]+)+(?![^\W_])")
_LEET_HINT = re.compile(r"[^\W\d_][013457]{1,2}[^\W\d_]")  # most texts have none: one quick search
_LEET_LETTERS = str.maketrans("013457", "oieast")
_RUN_TOGETHER = re.compile(rf"(?<!\w){UPPER}{LOWER}{{2,}}(?:{UPPER}{LOWER}{{2,}})+(?!\w)")
_CAPITAL = re.compile(UPPER)


@dataclass(frozen=True)
class View:
    """A text as detection reads it; ``origin[i]`` is the original offset of view character ``i``
    (``None``: every character kept its offset, as when only the case of some changed)."""

    original: str
    text: str
    origin: tuple[int, ...] | None = None
    rendered: bool = False  # markup or words run together were read as shown (the detector then
    #                         also reads the text as stored)
    extents: dict[int, int] = field(default_factory=dict)  # markup read as one character: start -> end
    runs: tuple[tuple[int, int], ...] = ()  # original ranges of words run together ("IvanPetrov")
    overridden: bool = False  # a right-to-left override, written or from markup (also read as stored)

    def reading(self, start: int, end: int) -> str:
        """What the view reads for the original characters ``[start, end)`` ("IvanPetrov" reads
        "Ivan Petrov", "Iv&#97;n" reads "Ivan"): a value's form to protect besides the one stored."""
        if self.origin is None:
            return self.text[start:end]
        if self.overridden:  # origins run backwards under an override: by the characters in origin order
            order = self._by_origin
            lo, hi = bisect.bisect_left(order, (start, -1)), bisect.bisect_left(order, (end, -1))
            return "".join(self.text[i] for i in sorted(i for _, i in order[lo:hi]))
        return self.text[bisect.bisect_left(self.origin, start) : bisect.bisect_left(self.origin, end)]

    @functools.cached_property
    def _by_origin(self) -> list[tuple[int, int]]:
        """(origin, view index) of every view character, sorted: built once, searched per span."""
        return sorted((o, i) for i, o in enumerate(self.origin or ()))

    def to_original(self, span: Span) -> Span:
        """The span over the original characters it covers (its text taken from the original), with
        the marks and invisible characters that follow its last one (the view left them out)."""
        if self.origin is None:
            return span.with_(text=self.original[span.start : span.end])
        if span.end <= span.start:
            at = self.origin[span.start] if span.start < len(self.origin) else len(self.original)
            return span.with_(start=at, end=at, text="")
        shown = self.origin[span.start : span.end]  # in text order, except under an override
        start, end = min(shown), max(self.extents.get(i, i + 1) for i in shown)
        stop = self.origin[span.end] if span.end < len(self.origin) else len(self.original)
        while end < stop and _left_out(self.original[end]):
            end += 1
        for a, b in self.runs:  # part of a run is all of it
            if a < end and start < b:
                start, end = min(start, a), max(end, b)
        return span.with_(start=start, end=end, text=self.original[start:end])


def _blank(text: str, i: int) -> str:
    """What the empty cell ``text[i]`` reads as here: a space where a new word starts (a small
    letter, then a capital; a letter next to a digit; invisible characters and marks between
    skipped), otherwise nothing. The view has one reading; the matcher reads both ways."""
    a, b = i - 1, i + 1
    while a >= 0 and (matching.is_invisible(text[a]) or unicodedata.category(text[a])[0] == "M"):
        a -= 1
    while b < len(text) and matching.is_invisible(text[b]):
        b += 1
    if a < 0 or b >= len(text):
        return ""
    before, after = text[a], text[b]
    new_word = (before.islower() and after.isupper() or before.isalpha() and after.isdigit()
                or before.isdigit() and after.isalpha())
    return " " if new_word else ""


def _left_out(c: str) -> bool:
    return unicodedata.category(c)[0] == "M" or matching.is_invisible(c)


def view(text: str, shown: bool = True, rendered: bool = True) -> View:
    """The detection view of ``text`` (see the module docstring). ``shown=False``: text under a
    right-to-left override in the order stored, as a model reads it, not as a screen shows it.
    ``rendered=False``: markup and words run together read as stored, not as a browser or a
    reader shows them."""
    markup, extents = render(text) if rendered else ({}, {})
    page, from_page = _apply(text, markup, None) if markup else (text, None)  # the text as rendered
    chars, origin = _visible(page)
    if shown:  # an override may come from the markup ("&#x202e;", <bdo dir="rtl">)
        chars, origin = _as_shown(page, chars, origin)
    if from_page is not None:
        origin = from_page if origin is None else tuple(from_page[k] for k in origin)
    chars, origin = _joined(chars, origin)
    runs: tuple[tuple[int, int], ...] = ()
    if rendered:
        chars, origin, runs = _split_runs(chars, origin)
        runs = tuple((a, extents.get(b - 1, b)) for a, b in runs)  # a run may end in a reference
    chars = _recased(_unleet(_unmixed(chars)))
    if len(chars) != (len(origin) if origin is not None else len(text)):
        raise AssertionError("detection view: a step changed the length")  # never: each step is 1:1
    return View(text, chars, origin, bool(markup or runs), extents, runs, "\u202e" in page)


def reader(text: str):
    """``reading(start, end)`` of the view of ``text`` (``View.reading``: a value as a screen or a
    reader shows it, an override reversed, markup rendered, words run together apart), or None where
    the view reads the text as stored."""
    v = view(text) if text else None
    return v.reading if v is not None and v.origin is not None else None


def _visible(text: str) -> tuple[str, tuple[int, ...] | None]:
    """Step 1: without invisible characters, marks composed with their letters, compatibility forms
    and letters in black circles as ASCII; the origin of each character."""
    if text.isascii():
        return text, None
    changes: dict[int, str] = {}
    for m in _SPECIAL.finditer(text):
        c, i = m.group(), m.start()
        if matching.is_invisible(c):
            changes[i] = _blank(text, i) if matching.is_blank(c) else ""
        elif unicodedata.category(c)[0] == "M":
            changes[i] = ""  # composed with the letter before it, or left out
            j = i - 1
            while j >= 0 and changes.get(j) == "":
                j -= 1
            if j >= 0 and len(composed := unicodedata.normalize("NFC", changes.get(j, text[j]) + c)) == 1:
                changes[j] = composed
        elif unicodedata.category(c) == "Cs":
            changes[i] = "\ufffd"  # half a surrogate pair, as a JSON escape can give: no text model reads it
        elif ((c.isalnum() or unicodedata.category(c) == "So") and len(n := unicodedata.normalize("NFKC", c)) == 1
              and n.isascii() and n.isalnum()):
            changes[i] = n
        elif (unicodedata.decomposition(c).startswith(("<wide>", "<small>"))
              and len(n := unicodedata.normalize("NFKC", c)) == 1 and n.isascii() and n.isprintable()):
            changes[i] = n  # a full-width or small form of an ASCII sign ("＠", "﹫", "．")
        elif unicodedata.name(c, "").startswith("NEGATIVE ") and (n := matching.latin_look_alike(c)) is not None:
            changes[i] = n  # a capital drawn in a black circle or square ("🅟")
    if not changes:
        return text, None
    return _apply(text, changes, None)


def _as_shown(text: str, shown: str, origin: tuple[int, ...] | None) -> tuple[str, tuple[int, ...] | None]:
    """Text under a right-to-left override (up to its pop, another directional control or the end
    of the line), which a reader sees backwards, in the order shown; ``origin`` follows."""
    if "\u202e" not in text or origin is None:  # the override itself is left out, so origin is set
        return shown, origin
    ranges = [(bisect.bisect_left(origin, a), bisect.bisect_left(origin, b))
              for a, b in matching.override_runs(text)]  # origin is in text order until here
    chars, order = list(shown), list(origin)
    for lo, hi in ranges:
        chars[lo:hi], order[lo:hi] = chars[lo:hi][::-1], order[lo:hi][::-1]
    return "".join(chars), tuple(order)


def _apply(text: str, changes: dict[int, str], origin: tuple[int, ...] | None) -> tuple[str, tuple[int, ...] | None]:
    """``text`` with the character at each position of ``changes`` replaced by its value ("": left
    out; a space before it: read after a space), and the original offset of every character of the
    result (``origin``: those of ``text``'s own; a space put in takes the offset of its character)."""
    chars: list[str] = []
    kept: list[int] = []
    last = 0
    for i in sorted(changes):
        chars.append(text[last:i])
        kept.extend(range(last, i))
        if changes[i]:  # a character, or a space and the character
            chars.append(changes[i])
            kept.extend([i] * len(changes[i]))
        last = i + 1
    chars.append(text[last:])
    kept.extend(range(last, len(text)))
    if origin is not None:
        kept = [origin[k] for k in kept]
    elif all(o == i for i, o in enumerate(kept)) and len(kept) == len(text):
        return "".join(chars), None
    return "".join(chars), tuple(kept)


def _joined(text: str, origin: tuple[int, ...] | None) -> tuple[str, tuple[int, ...] | None]:
    """Words spelled out letter by letter read as the words (see the module docstring): a run splits
    into words where a capital follows a small letter ("I v a n P e t r o v"), each word must have
    the shape of a name (a capital, then small letters) or be four capitals or more, and the
    separator between two words reads as a space."""
    changes: dict[int, str] = {}
    for m in _SPELLED_DIGITS.finditer(text):  # a number read out digit by digit: "0 7 7 0 0 9 0 0 5 1 2"
        changes.update((i, "") for i in range(m.start() + 1, m.end()) if not text[i].isdigit())
    for m in _SPELLED.finditer(text):
        sep = m.group(1)
        after = m.end() + len(sep)
        if (text.startswith(sep, m.end()) and after + 1 < len(text) and text[after].islower()
                and text[after + 1].isupper()):
            continue  # a run the regex cut short ("I v a nPetrov"): not a word spelled out
        at = [m.start()]
        while at[-1] + 1 < m.end():
            at.append(at[-1] + 1 + len(sep))
        words, word = [], [at[0]]
        for i in at[1:]:
            if text[i].isupper() and text[word[-1]].islower():
                words.append(word)
                word = []
            word.append(i)
        words.append(word)
        shapes = ["".join(text[i] for i in w) for w in words]
        capitals_ok = _CAPITALS_SEPARATOR.fullmatch(sep) is not None
        least = 4 if capitals_ok else MIN_DOTTED_CAPITALS  # "U.S.S.R." stays an acronym, "F.E.N.W.I.C.K." is a word
        if sum(map(len, shapes)) < 3 or not all(len(s) >= 2 and s[0].isupper() and s[1:].islower()
                                                or len(s) >= least and s.isupper() for s in shapes):
            continue
        for w, nxt in zip(words, [*words[1:], None]):
            for i in w[:-1]:
                changes.update((j, "") for j in range(i + 1, i + 1 + len(sep)))
            if nxt is not None:  # the separator between two words: one space
                changes.update((j, "") for j in range(w[-1] + 2, nxt[0]))
                changes[w[-1] + 1] = " "
        if sep == "." and text.startswith(".", m.end()):  # "I.v.a.n." ends with the stop of its last letter
            changes[m.end()] = ""
    return _apply(text, changes, origin) if changes else (text, origin)


def _split_runs(text: str, origin: tuple[int, ...] | None):
    """Capitalised words run together ("IvanPetrov", as in a hashtag or a user name) read as the
    words, each of three letters or more ("McElduff" stays one word); the space read between two
    takes the offset of the capital after it. Also returns each run's original range: a span over
    part of a run covers all of it, since masking "Smith" alone in "JohnSmith" leaves "John"."""
    changes: dict[int, str] = {}
    runs = []
    for run in _RUN_TOGETHER.finditer(text):
        for capital in _CAPITAL.finditer(text, run.start() + 1, run.end()):
            changes[capital.start()] = " " + capital.group()
        at = origin[run.start() : run.end()] if origin is not None else (run.start(), run.end() - 1)
        runs.append((min(at), max(at) + 1))  # under an override the origins run backwards
    return (*(_apply(text, changes, origin) if changes else (text, origin)), tuple(runs))


def _unleet(text: str) -> str:
    """Digits written for letters inside a capitalised word read as the letters (see the module
    docstring); a word in small letters is left alone, since the NER takes no small word for a name."""
    if not _LEET_HINT.search(text):
        return text
    out = None
    for m in _LEET.finditer(text):
        word = m.group()
        if word[0].isupper() and sum(c.isalpha() for c in word) >= 3 and any(c.islower() for c in word):
            out = out or list(text)
            out[m.start() : m.end()] = word.translate(_LEET_LETTERS)
    return "".join(out) if out is not None else text


def _unmixed(text: str) -> str:
    """Step 2: a word whose letters are all Latin or drawn like Latin ones, read in Latin letters."""
    if text.isascii():
        return text
    out = list(text)
    for word in _ALNUM_RUN.finditer(text):
        if word.group().isascii():
            continue
        shown = [_latin(c) for c in word.group()]
        if all(shown):
            if unicodedata.name(word.group()[0], "").startswith(matching.SMALL_CAPITAL):  # "ᴘᴇᴛʀᴏᴠ" reads "Petrov"
                shown[0] = shown[0].upper()
            out[word.start() : word.end()] = shown
    return "".join(out)


def _latin(c: str) -> str | None:
    """The Latin character ``c`` reads as: itself when ASCII, not a letter, or a letter of a Latin
    alphabet; its look-alike letter for a letter of another script; None when it resembles none (or
    only a digit: the Cyrillic "З" of "ЗАО" is a letter)."""
    name = unicodedata.name(c, "")
    if c.isascii() or not c.isalpha() or (name.startswith("LATIN") and not name.startswith(matching.SMALL_CAPITAL)):
        return c
    shown = matching.latin_look_alike(c)
    return shown if shown is not None and shown.isalpha() else None


def _caseless(line: str) -> str | None:
    """"upper" or "lower" for a sentence that lost its case (see the module docstring), else None."""
    if _SMALL_ASCII.search(line) and _CAPITAL_ASCII.search(line):  # most lines: a quick no
        return None
    letters = [c for c in line if c.isalpha() and c.lower() != c.upper()]
    if len(letters) < MIN_CASELESS_LETTERS or len(_WORD.findall(line)) < MIN_SENTENCE_WORDS:
        return None
    case = "upper" if all(c.isupper() for c in letters) else "lower" if all(c.islower() for c in letters) else None
    # a heading in capitals has no stop; a message often has none, in small letters or in capitals
    # (a line of eight words or more is a sentence, not a heading)
    sentence = _SENTENCE_MARK.search(line.rstrip()) or len(_WORD.findall(line)) >= MIN_SHOUTED_MESSAGE_WORDS
    return case if case == "lower" or sentence else None


def _lower(word: str) -> str:
    """Small letters, one character for one ("İ" is "i", not "i" and a combining dot)."""
    return "".join(c.lower()[0] for c in word)


def _capitalised(word: str) -> str:
    first = word[:1].upper() if len(word[:1].upper()) == 1 else word[:1]
    return first + _lower(word[1:])


def _recased(text: str) -> str:
    """Step 3: every caseless sentence, and every run of words in capitals inside a sentence that has
    small letters, recased (see the module docstring); same length."""
    lines = [(m, case) for m in _LINE.finditer(text) if (case := _caseless(m.group()))]
    has_small = _lines_with_small_letters(text)
    shouted = [m for m in _SHOUTED.finditer(text) if has_small(m.start())
               and all(len(w) > 2 and w.lower() not in stopwords() for w in _WORD.findall(m.group()))]
    named = [(m, 1) for m in _strong_cues(text)] + [(m, 2) for m in _WEAK_CUE.finditer(text)]
    named += [(m, 2) for line, case in lines if case == "lower" for m in _CALLED.finditer(text, line.start(), line.end())]
    if not lines and not shouted and not named:
        return text
    small = _small_words(text, [m for m, _ in lines])
    titles = {t.lower() for t in TITLES} - small
    out = list(text)
    for cue, needed in named:  # "My name is ivan petrov and I": "Ivan Petrov"; "i am innocent" stays
        words, at = [], cue.end()
        while len(words) < NAME_WORDS_AFTER_TITLE and (w := _NAME_PART.match(text, at)) is not None:
            if w.group().lower() in stopwords() or not (w.group().islower() or w.group().istitle()):
                break
            words.append(w)
            gap = _SPACES_AFTER.match(text, w.end()).end()
            if gap == w.end():
                break
            at = gap
        if len(words) >= needed:
            for w in words:
                out[w.start() : w.end()] = "".join(_capitalised(p) if p.isalpha() else p for p in _PARTS.split(w.group()))
    for run in shouted:  # "the applicant IVAN PETROV was": "Ivan Petrov"
        for w in _WORD.finditer(run.group()):
            word = _lower(w.group()).lower()
            capital = word in _CALENDAR or not (word in stopwords() or word in small)
            recased = _capitalised(w.group()) if capital else _lower(w.group())
            out[run.start() + w.start() : run.start() + w.start() + len(recased)] = recased
    for line, case in lines:
        run, previous, previous_end = 0, "", 0  # run: name words still allowed after a title
        sentence = line.group()  # once: a match's group() is a new string each time
        for n, w in enumerate(_WORD.finditer(sentence)):
            word = _lower(w.group()).lower()
            gap = sentence[previous_end : w.start()].strip()
            if gap and not (gap == "." and previous in titles):  # punctuation ends a name ("mr." does not)
                run = 0
            previous, previous_end = word, w.end()
            function = word in stopwords()
            if word in titles and sentence[w.start() - 1 : w.start()] not in ("'", "\u2019"):  # "i'm" has no title
                capital, run = True, NAME_WORDS_AFTER_TITLE
            elif (run == NAME_WORDS_AFTER_TITLE and word not in NOT_A_NAME  # "mr white": a name right after a title
                  or run and not (function or word in small)):
                capital, run = True, run - 1
            else:
                run = 0
                capital = case == "upper" and (n == 0 or word in _CALENDAR or not (function or word in small))
            if case == "lower" and not capital:
                continue
            recased = _capitalised(w.group()) if capital else _lower(w.group())
            at = line.start() + w.start()
            out[at : at + len(recased)] = recased
    return "".join(out)


def _strong_cues(text: str):
    """The strong cues of a text: "name:", or "name is/was", "name's" after a possessive or a
    qualifier ("my name is", "the applicant's name was", "his full name is", "surname:"). Looked for
    from each "name", since a pattern of many alternatives would be tried at every character."""
    for at in _NAME_WORD.finditer(text):
        word = at.start() - 3 if text[max(0, at.start() - 3) : at.start()].lower() == "sur" else at.start()
        if word and text[word - 1].isalnum() or (m := _STRONG_CUE.match(text, at.start())) is None:
            continue
        before = _PREVIOUS_WORD.search(text, max(0, word - 30), word)
        owner = before is not None and (before.group(1).lower() in _NAME_OWNERS
                                        or before.group(1).lower().endswith(("'s", "\u2019s")))
        if owner or text[at.start() + 4 : m.end()].lstrip().startswith(":"):
            yield m


def _lines_with_small_letters(text: str):
    """``has_small(at)``: whether the line that holds offset ``at`` has a small letter, each line
    looked at once (a text of many runs in capitals on one long line stays linear)."""
    seen: dict[int, bool] = {}

    def has_small(at: int) -> bool:
        start = text.rfind("\n", 0, at) + 1
        if start not in seen:
            end = text.find("\n", at)
            seen[start] = any(c.islower() for c in text[start : len(text) if end < 0 else end])
        return seen[start]

    return has_small


def _small_words(text: str, caseless_lines) -> frozenset[str]:
    """Words the text writes in small letters more often than capitalised, outside caseless lines."""
    skip = {i for m in caseless_lines for i in range(m.start(), m.end())}
    tally: dict[str, int] = {}
    for w in _WORD.finditer(text):
        if w.start() in skip:
            continue
        word = w.group().lower()
        tally[word] = tally.get(word, 0) + (1 if w.group().islower() else -1)
    return frozenset(w for w, score in tally.items() if score > 0)

