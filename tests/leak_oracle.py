"""An oracle for "does this value still occur in this text?", written apart from privacy_edge.matching.

Tests of the protections must not look for leaks with the code they check, so this one shares no
code and no approach with it: it normalizes by compatibility decomposition (NFKD), drops marks and
invisible characters, lower-cases, cuts both texts into tokens (runs of letters and digits, and
single punctuation marks; white space only separates) and scans every position of the text for the
value's token sequence, by brute force. Word boundaries come free: a token is a maximal run, so
"inan" is no token of "financial".
"""

from __future__ import annotations

import re
import unicodedata

_SAME_LETTER = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-"}
_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> list[str]:
    kept = []
    for ch in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(ch)
        if category.startswith("M") or category == "Cf":
            continue
        kept.append(_SAME_LETTER.get(ch.lower(), ch.lower()))
    return _TOKEN.findall("".join(kept))


def occurs(value: str, text: str) -> bool:
    """Whether ``value`` occurs in ``text`` as a whole-token sequence (brute-force scan)."""
    want = tokens(value)
    have = tokens(text)
    if not want:
        return False
    n = len(want)
    return any(have[i : i + n] == want for i in range(len(have) - n + 1))


def survivors(text: str, values) -> list[str]:
    """The values that still occur in ``text`` (a value without a letter or digit, "::", identifies
    nothing and is not looked for)."""
    return sorted(v for v in set(values) if any(c.isalnum() for c in v) and occurs(v, text))
