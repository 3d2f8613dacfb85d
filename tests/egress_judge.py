"""A judge of egress written on another principle than privacy_edge.matching and detect/view: it
shares no code, table or reading with them.

Both texts are transliterated to ASCII by ``unidecode`` (a library the project does not use), cased
down and cut into alphanumeric tokens. A value has left when some run of consecutive tokens of the
text spells exactly the value's letters and digits (so "Pet rov", "P.E.T.R.O.V." and "Коваль" all
spell "petrov" / "koval"), and, for a value with six digits or more, when its digits (a leading
trunk 0 aside) stand inside a run of digit groups of the text joined across spaces and signs
("+44 20 7946 0958" holds "020 7946 0958"). Runs start and end on token boundaries, so "inan" is not
in "financial".
"""

from __future__ import annotations

import re

from unidecode import unidecode

_TOKEN = re.compile(r"[a-z0-9]+")
_DIGIT_RUN = re.compile(r"\d[\d\s().+/\-]*\d")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unidecode(text).casefold())


def spelled(text_tokens: list[str], target: str) -> bool:
    """Whether consecutive tokens concatenate to ``target`` exactly."""
    for i in range(len(text_tokens)):
        built = ""
        for tok in text_tokens[i:]:
            built += tok
            if built == target:
                return True
            if not target.startswith(built):
                break
    return False


def digits_inside(text: str, value: str) -> bool:
    digits = re.sub(r"\D", "", value).lstrip("0")
    if len(digits) < 6:
        return False
    return any(digits in re.sub(r"\D", "", run) for run in _DIGIT_RUN.findall(unidecode(text)))


def leaked(text: str, values) -> list[str]:
    """The values that still stand in ``text``."""
    toks = tokens(text)
    out = []
    for value in values:
        target = "".join(tokens(value))
        if target and (spelled(toks, target) or digits_inside(text, value)):
            out.append(value)
    return out
