"""An oracle for "does this value still occur in this text?", written apart from privacy_edge.matching.

Tests of the protections must not look for leaks with the code they check, so this one shares no
code and no approach with it: it normalizes by compatibility decomposition (NFKD), drops marks and
invisible characters, lower-cases, cuts both texts into tokens (runs of letters and digits, and
single punctuation marks; white space only separates) and scans every position of the text for the
value's token sequence, by brute force. Word boundaries come free: a token is a maximal run, so
"inan" is no token of "financial". Cyrillic and Greek letters drawn like Latin ones are read as
those, from tables written here by their shapes (not Unicode's confusables data the code uses),
in either case: "КОВАЛЬ" holds "Коваль".
"""

from __future__ import annotations

import re
import unicodedata

_SAME_LETTER = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-"}
# Cyrillic and Greek letters drawn like Latin ones, written out here by their shapes. Capitals:
# Cyrillic А В Е К М Н О Р С Т Х І Ј Ѕ У Һ, Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ.
_CAPITAL_SHAPES = dict(zip(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408\u0405\u0423\u04ba"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7",
    "ABEKMHOPCTXIJSYH" "ABEZHIKMNOPTYX"))
# Small letters: Cyrillic а е о р с у х і ј ѕ һ, Greek α ι κ ν ο ρ υ χ.
_SMALL_SHAPES = dict(zip(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb"
    "\u03b1\u03b9\u03ba\u03bd\u03bf\u03c1\u03c5\u03c7",
    "aeopcyxijsh" "aikvopux"))
# Latin small capitals, by their shapes: ᴀ ʙ ᴄ ᴅ ᴇ ꜰ ɢ ʜ ɪ ᴊ ᴋ ʟ ᴍ ɴ ᴏ ᴘ ʀ ꜱ ᴛ ᴜ ᴠ ᴡ ʏ ᴢ.
_SMALL_SHAPES.update(zip(
    "\u1d00\u0299\u1d04\u1d05\u1d07\ua730\u0262\u029c\u026a\u1d0a\u1d0b\u029f\u1d0d\u0274\u1d0f\u1d18\u0280"
    "\ua731\u1d1b\u1d1c\u1d20\u1d21\u028f\u1d22",
    "abcdefghijklmnoprstuvwyz"))
# Capital letters A to Z drawn white in a black circle, then in a black square.
_SMALL_SHAPES.update({chr(0x1F150 + k): chr(97 + k) for k in range(26)})
_SMALL_SHAPES.update({chr(0x1F170 + k): chr(97 + k) for k in range(26)})
# Characters that show nothing: the Hangul fillers (choseong, jungseong, compatibility, half-width)
# and the blank braille cell.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Digits a writer puts for letters ("P3tr0v"), for the letters-only reading.
_DIGIT_LETTERS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _read(ch: str, own_case: bool = False) -> str:
    """A character as a reader reads it, case ignored: a small letter by its own shape, a capital by
    its small letter's shape, or by its own where the small letter has none ("В" reads as "b").
    A few small letters read otherwise than their capitals (Greek "ν" is a v, "Ν" an N): with
    ``own_case`` a capital reads by its own shape, letter by letter as a reader sees "Νoνak"."""
    small = ch.casefold()
    if own_case and ch != small and ch in _CAPITAL_SHAPES:
        return _CAPITAL_SHAPES[ch].lower()
    if small in _SMALL_SHAPES:
        return _SMALL_SHAPES[small]
    if ch.upper() in _CAPITAL_SHAPES:
        return _CAPITAL_SHAPES[ch.upper()].lower()
    return _SAME_LETTER.get(small, small)


def tokens(text: str, own_case: bool = False, blank: str = "") -> list[str]:
    """``blank``: what a character that shows an empty cell is read as (nothing, or a space)."""
    kept = []
    for ch in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(ch)
        if ch in _BLANK_LETTERS:
            kept.append(blank)
            continue
        if category.startswith("M") or category == "Cf":
            continue
        kept.append(_read(ch, own_case))
    return _TOKEN.findall("".join(kept))


def as_displayed(text: str) -> str:
    """The text in the order a screen shows it: what follows a right-to-left override (U+202E) up to
    its pop (U+202C) or the end of the line is reversed (Latin letters have no direction of their own)."""
    out, i = [], 0
    while (j := text.find("\u202e", i)) >= 0:
        k = j + 1
        while k < len(text) and text[k] not in "\u202c\n":
            k += 1
        out += [text[i:j], text[j + 1 : k][::-1]]
        i = k
    out.append(text[i:])
    return "".join(out)


def occurs(value: str, text: str) -> bool:
    if "\u202e" in text and _occurs(value, as_displayed(text)):
        return True
    return _occurs(value, text)


def _occurs(value: str, text: str) -> bool:
    """Whether ``value`` occurs in ``text`` as a whole-token sequence (brute-force scan), under
    either reading of the letters that have two, and with empty cells read as nothing or as spaces."""
    for own_case, blank in ((False, ""), (True, ""), (False, " "), (True, " ")):
        want = tokens(value, own_case)
        have = tokens(text, own_case, blank)
        n = len(want)
        if want and any(have[i : i + n] == want for i in range(len(have) - n + 1)):
            return True
    return False


def survivors(text: str, values) -> list[str]:
    """The values that still occur in ``text`` (a value without a letter or digit, "::", identifies
    nothing and is not looked for)."""
    return sorted(v for v in set(values) if any(c.isalnum() for c in v) and occurs(v, text))


def letters_only(text: str) -> str:
    """The text's letters alone, as read above, with digits put for letters read as those letters:
    a name spelled out ("I v a n", "P.e.t.r.o.v") or with digits ("P3tr0v") is a plain run in it."""
    return "".join(_DIGIT_LETTERS.get(t, t) for t in "".join(tokens(text)) if t.isalnum())


def hidden_in_letters(value: str, text: str) -> bool:
    """Whether ``value``'s letters occur as a run of ``text``'s letters, whatever separates them (a
    stricter test than ``occurs``: it also sees a value spelled out or run into other words)."""
    want = letters_only(value)
    return bool(want) and (want in letters_only(text) or want in letters_only(as_displayed(text)))


def rendered(text: str) -> str:
    """What a browser shows of ``text``, by the standard library's HTML parser (tags dropped,
    character references decoded, a ``<bdo dir="rtl">`` element as the right-to-left override it is,
    which ``occurs`` then reads as displayed); Markdown needs nothing here: the tokens above skip
    punctuation for ``hidden_in_letters``, and ``survivors`` is asked of the stored text as well."""
    from html.parser import HTMLParser

    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.handle_starttag = lambda tag, attrs: parts.append(
        "\u202e" if tag == "bdo" and ("dir", "rtl") in [(k, (v or "").lower()) for k, v in attrs] else "")
    parser.handle_endtag = lambda tag: parts.append("\u202c" if tag == "bdo" else "")
    parser.feed(text)
    parser.close()
    return "".join(parts)
