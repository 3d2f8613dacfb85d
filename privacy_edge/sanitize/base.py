"""What every sanitizer shares: replacing spans end-to-start, the edge-side mapping, and restoration.

A sanitizer turns (text, detected spans) into a ``Sanitized``: the egress text plus the mapping
replacement -> original that never leaves the edge and restores the cloud's answer locally.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Iterable, Sequence

from .. import matching
from ..protected import protected_values
from ..registry import Registry
from ..settings import NoSettings, Strict
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
    rx = re.compile("|".join(word_bounded(k) for k in keys))
    return rx.sub(lambda m: mapping[m.group(0)], answer)


def word_bounded(value: str) -> str:
    """A regex for ``value`` as a whole word (bounded only where it starts or ends with a word character)."""
    left = r"(?<!\w)" if value[:1].isalnum() else ""
    right = r"(?!\w)" if value[-1:].isalnum() else ""
    return f"{left}{re.escape(value)}{right}"


def expand_to_all_occurrences(text: str, spans: Sequence[Span]) -> list[Span]:
    """Every occurrence of every detected value (and of its aliases) becomes a span of that value's type.

    The detector may find "Istanbul" three times and miss a fourth; the egress guard checks values,
    not positions, so sanitizers cover all occurrences (and consistent placeholders need them anyway),
    found as the guard finds them (``matching.occurrences``).
    A span that starts or ends inside a word is widened to the whole word: replacing "00" in "0000"
    alone would leave "00" beside the replacement, a word-bounded occurrence of the detected value.
    """
    from ..spans import resolve_overlaps

    protected = protected_values(text, spans)
    by_value = {}
    for s in spans:
        by_value.setdefault(matching.key(text[s.start : s.end]), s)
    template = spans[0] if spans else None
    extra = [(by_value.get(o.key) or template.with_(entity_type=protected[o.key][1])).with_(start=o.start, end=o.end)
             for o in matching.occurrences(text, (v for v, *_ in protected.values()))]
    return resolve_overlaps([whole_words(text, s) for s in list(spans) + extra], text)


def whole_words(text: str, span: Span) -> Span:
    """The span widened so that it neither starts nor ends inside a word as the matcher sees words
    (``matching.is_word_part``: a combining mark or a soft hyphen belongs to the word around it)."""
    a, b = span.start, span.end
    part = matching.is_word_part
    while 0 < a < len(text) and part(text[a - 1]) and part(text[a]):
        a -= 1
    while 0 < b < len(text) and part(text[b - 1]) and part(text[b]):
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


NEUTRAL_MARK = "[...]"  # holds no two alphanumerics, so it can never hold a detected value


def assemble(text: str, edits: Sequence[Replacement]) -> tuple[str, list[tuple[int, int, int, bool]]]:
    """Apply disjoint edits (sorted by start); also return the pieces (out_start, start, end, replaced)."""
    parts, pieces, pos, opos = [], [], 0, 0
    for e in edits:
        if e.start > pos:
            parts.append(text[pos : e.start])
            pieces.append((opos, pos, e.start, False))
            opos += e.start - pos
        parts.append(e.replacement)
        pieces.append((opos, e.start, e.end, True))
        opos += len(e.replacement)
        pos = e.end
    if pos < len(text):
        parts.append(text[pos:])
        pieces.append((opos, pos, len(text), False))
    return "".join(parts), pieces


def without_values(text: str, edits: Sequence[Replacement], values: Iterable[str],
                   mark: Callable[[str], tuple[str, str]], operator: str) -> tuple[str, list[Replacement]]:
    """The output of ``edits`` over ``text``, with no detected value left in it as the guard finds them.

    A value can reappear beside or across replacements (a surrogate's kept separator next to the same
    characters in the text, a perturbed word next to another). Each such occurrence is traced back to
    its range of ``text`` (replacements taken whole) and that range becomes one replacement,
    ``mark(key of the value) -> (entity_type, new_text)``, or ``NEUTRAL_MARK`` when the mark itself
    would hold a value. Every round covers more of the text or merges replacements, so it ends.
    """
    values = list(values)
    edits = sorted(edits, key=lambda e: e.start)
    while True:
        out, pieces = assemble(text, edits)
        hits = matching.occurrences(out, values)
        if not hits:
            return out, edits
        starts = [p[0] for p in pieces]
        ranges: list[list] = []  # [start, end, key] in text, merged where two hits share a replacement
        for a, b, k in ((o.start, o.end, o.key) for o in hits):
            pa = pieces[bisect.bisect_right(starts, a) - 1]
            pb = pieces[bisect.bisect_left(starts, b) - 1]
            oa = pa[1] if pa[3] else pa[1] + (a - pa[0])
            ob = pb[2] if pb[3] else pb[1] + (b - pb[0])
            if ranges and oa < ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], ob)
            else:
                ranges.append([oa, ob, k])
        for oa, ob, k in ranges:
            entity_type, new = mark(k)
            if matching.occurrences(new, values):
                new = NEUTRAL_MARK
            edits = [e for e in edits if e.end <= oa or e.start >= ob]  # those inside the range
            edits.append(Replacement(oa, ob, entity_type, text[oa:ob], new, operator))
        edits.sort(key=lambda e: e.start)


def protect_question(question: str, text: str, spans: Sequence[Span], sanitized: Sanitized,
                     question_spans: Sequence[Span] = ()) -> str:
    """A user's question with every protected value of its sample (detected in the text or in the
    question itself) replaced as the sanitizer replaced it in the text (so the cloud sees one
    placeholder or pseudonym, and ``restore`` maps it back), or by a typed neutral mark where the text
    had no replacement for it. The question gets no DP noise: it is the user's own request, not the
    case text the guarantee is about."""
    protected = {**protected_values(question, question_spans), **protected_values(text, spans)}
    hits = matching.occurrences(question, [v for v, *_ in protected.values()])
    if not hits:
        return question
    replacement = {}
    for it in sanitized.items:
        replacement.setdefault(matching.key(it.original), it.replacement)
    pieces, pos = [], 0
    for o in hits:
        _, entity_type, canonical = protected[o.key]
        new = replacement.get(o.key) or replacement.get(canonical) or f"[{entity_type}]"
        if matching.occurrences(new, [v for v, *_ in protected.values()]):
            new = NEUTRAL_MARK
        pieces += [question[pos : o.start], new]
        pos = o.end
    pieces.append(question[pos:])
    return "".join(pieces)


class Sanitizer:
    """Turns a text and its detected spans into what may leave the edge.

    A component: it declares its ``name``, its ``Settings`` (the knobs an EdgeModel hyperparameter
    ``<name>.<key>`` sets; validated at load) and what it needs: ``placeholders`` when its output holds
    placeholders the cloud's prompt explains (restored at the edge), ``needs_secret`` when it is keyed
    by the workspace secret. The assembler (assemble.py) builds it as ``cls(settings, secret=...)``.
    Registered under its name in ``SANITIZERS`` (or by an entry point ``privacy_edge.sanitizers``).
    """

    name: ClassVar[str] = ""
    Settings: ClassVar[type[Strict]] = NoSettings
    placeholders: ClassVar[bool] = False

    def __init__(self, settings: Strict | None = None, secret: bytes | None = None):
        self.config = settings if settings is not None else self.Settings()

    @classmethod
    def needs_secret(cls, settings: Strict) -> bool:
        """Whether these settings key it by the workspace secret (False: no key, or a research key)."""
        return False

    def warm_up(self) -> None:
        """Build one-off tables now, so that sanitization timings measure sanitizing, not set-up."""

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        raise NotImplementedError


SANITIZERS: Registry[type[Sanitizer]] = Registry("sanitizer", entry_points="privacy_edge.sanitizers", base=Sanitizer,
                                                 required=("sanitize",))
