"""What every sanitizer shares: replacing spans end-to-start, the edge-side mapping, and restoration.

A sanitizer turns (text, detected spans) into a ``Sanitized``: the egress text plus the mapping
replacement -> original that never leaves the edge and restores the cloud's answer locally.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from ..registry import Registry
from ..spans import Span


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    entity_type: str
    original: str
    replacement: str
    operator: str


@dataclass(frozen=True)
class Sanitized:
    text: str
    method: str
    params: dict
    items: tuple[Replacement, ...] = ()
    mapping: dict = field(default_factory=dict)  # replacement -> original; stays at the edge

    def restore(self, answer: str) -> str:
        """Put originals back in place of placeholders or pseudonyms in a cloud answer (longest first)."""
        return restore(answer, self.mapping)


def restore(answer: str, mapping: dict[str, str]) -> str:
    if not answer or not mapping:
        return answer
    keys = sorted(mapping, key=len, reverse=True)
    rx = re.compile("|".join(_word_bounded(k) for k in keys))
    return rx.sub(lambda m: mapping[m.group(0)], answer)


def _word_bounded(value: str) -> str:
    left = r"(?<!\w)" if value[:1].isalnum() else ""
    right = r"(?!\w)" if value[-1:].isalnum() else ""
    return f"{left}{re.escape(value)}{right}"


def normalize(value: str) -> str:
    """How surface forms are compared: Unicode NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def occurrence_pattern(values: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive, word-bounded regex for all values (longest first), or None."""
    vals = sorted({v.strip() for v in values if sum(c.isalnum() for c in v) >= 2}, key=len, reverse=True)
    if not vals:
        return None
    parts = [_word_bounded(v).replace(r"\ ", r"\s+") for v in vals]
    return re.compile("|".join(parts), re.IGNORECASE)


def expand_to_all_occurrences(text: str, spans: Sequence[Span]) -> list[Span]:
    """Every occurrence of every detected value becomes a span of that value's type.

    The detector may find "Istanbul" three times and miss a fourth; the egress guard checks values,
    not positions, so sanitizers cover all occurrences (and consistent placeholders need them anyway).
    A span that starts or ends inside a word is widened to the whole word: replacing "00" in "0000"
    alone would leave "00" beside the replacement, a word-bounded occurrence of the detected value.
    """
    from ..spans import resolve_overlaps

    by_value = {}
    for s in spans:
        by_value.setdefault(normalize(text[s.start : s.end]), s)
    rx = occurrence_pattern(text[s.start : s.end] for s in spans)
    extra = []
    if rx is not None:
        for m in rx.finditer(text):
            src = by_value.get(normalize(m.group(0)))
            if src is not None:
                extra.append(src.with_(start=m.start(), end=m.end(), score=src.score, source=src.source))
    return resolve_overlaps([whole_words(text, s) for s in list(spans) + extra], text)


_WORD_CHAR = re.compile(r"\w")


def whole_words(text: str, span: Span) -> Span:
    """The span widened so that it neither starts nor ends inside a run of word characters."""
    a, b = span.start, span.end
    while 0 < a < len(text) and _WORD_CHAR.match(text[a - 1]) and _WORD_CHAR.match(text[a]):
        a -= 1
    while 0 < b < len(text) and _WORD_CHAR.match(text[b - 1]) and _WORD_CHAR.match(text[b]):
        b += 1
    return span if (a, b) == (span.start, span.end) else span.with_(start=a, end=b)


def replace_spans(text: str, spans: Sequence[Span], replacement: Callable[[Span], str],
                  operator: str) -> tuple[str, tuple[Replacement, ...]]:
    """Replace disjoint spans (in text order, so replacements are chosen in reading order)."""
    pieces, items, pos = [], [], 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            raise ValueError(f"overlapping spans at {s.start}: resolve overlaps first")
        new = replacement(s)
        pieces += [text[pos : s.start], new]
        items.append(Replacement(s.start, s.end, s.entity_type, text[s.start : s.end], new, operator))
        pos = s.end
    pieces.append(text[pos:])
    return "".join(pieces), tuple(items)


class Sanitizer:
    """Turns a text and its detected spans into what may leave the edge."""

    name: str = ""
    complexity: int = 0

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        raise NotImplementedError


SANITIZERS: Registry[type[Sanitizer]] = Registry("sanitizer")
