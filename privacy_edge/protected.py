"""What must not leave the edge for a detection: the detected values, in every form a reader sees them,
and their aliases (a surname alone still names the person). The egress guard checks these and the
sanitizers cover them, so both read them here.
"""

from __future__ import annotations

import re
from typing import Sequence

from . import matching
from .detect.lexicon import LEADING_TITLES
from .detect.view import reader
from .spans import Span

_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s?$")


def aliases(value: str, entity_type: str) -> set[str]:
    """Shorter forms that still identify the same entity: the value without a possessive ending
    ("Wexley's" -> "Wexley"), without its title ("Mr Tomas Wexley" -> "Tomas Wexley") and, for a
    person, the surname ("Wexley")."""
    out = set()
    bare = _POSSESSIVE.sub("", value.strip())
    if bare and bare != value.strip():
        out.add(bare)
        value = bare
    core = LEADING_TITLES.sub("", value).strip()
    if core and core != value.strip():
        out.add(core)
    if entity_type == "PERSON":
        tokens = _NAME_TOKEN.findall(core)
        if len(tokens) >= 2 and len(tokens[-1]) >= 3 and tokens[-1][0].isupper():
            out.add(tokens[-1])
    return out


def protected_values(text: str, spans: Sequence[Span]) -> dict[str, tuple[str, str, str]]:
    """What must not leave the edge for these spans: ``{key: (surface, entity_type, canonical)}``, the
    detected values and their aliases (``key`` as ``matching.key``; ``canonical``: the key of the value
    an alias came from). The sanitizers cover these and the egress guard checks these."""
    out: dict[str, tuple[str, str, str]] = {}
    for s in spans:
        value = s.text or text[s.start : s.end]
        out.setdefault(matching.key(value), (value, s.entity_type, matching.key(value)))
    read = reader(text)
    for s in spans:
        value = s.text or text[s.start : s.end]
        forms = {value, read(s.start, s.end)} if read else {value}  # as stored, as a screen or a reader shows it
        for form in forms:
            for alias in ({form} - {value}) | aliases(form, s.entity_type):  # and its surname
                out.setdefault(matching.key(alias), (alias, s.entity_type, matching.key(value)))
    out.pop("", None)
    return out
