"""What every sanitizer shares: replacing spans end-to-start, the edge-side mapping, and restoration.

A sanitizer turns (text, detected spans) into a ``Sanitized``: the egress text plus the mapping
replacement -> original that never leaves the edge and restores the cloud's answer locally.
"""

from __future__ import annotations

import bisect
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
    rx = re.compile("|".join(word_bounded(k) for k in keys))
    return rx.sub(lambda m: mapping[m.group(0)], answer)


def word_bounded(value: str) -> str:
    """A regex for ``value`` as a whole word (bounded only where it starts or ends with a word character)."""
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
    parts = [word_bounded(v).replace(r"\ ", r"\s+") for v in vals]
    return re.compile("|".join(parts), re.IGNORECASE)


def occurrences(text: str, values: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where the values occur in ``text`` as the egress guard finds them: ``(start, end, normalized)``.

    The guard matches ``occurrence_pattern`` of the NFKC forms of the values in the NFKC form of the
    text, and counts a match when its ``normalize``d form is a value's. Offsets here are into
    ``text`` itself: a match inside the NFKC text covers the whole characters it came from ("ﬁx"
    for "fix"). Text that is already NFKC (any ASCII text) is matched directly.
    """
    values = [unicodedata.normalize("NFKC", v) for v in values]
    rx = occurrence_pattern(values)
    if rx is None:
        return []
    wanted = {normalize(v) for v in values}
    nfkc, starts, ends = _nfkc_with_offsets(text)
    out = []
    for m in rx.finditer(nfkc):
        key = normalize(m.group(0))
        if key in wanted:
            a, b = (m.start(), m.end()) if starts is None else (starts[m.start()], ends[m.end() - 1])
            out.append((a, b, key))
    return out


def _nfkc_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFKC(text) and, per character of it, the start and end in ``text`` of the piece it came from.

    Pieces are a character and the combining marks (or Hangul vowel/final jamo) that follow it, so
    canonical composition stays inside a piece.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text, None, None
    parts, starts, ends = [], [], []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or "\u1160" <= text[j] <= "\u11ff"):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        parts.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(parts), starts, ends


TITLE = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Judge|Sir|Dame|Lady|Lord|Mme|Mlle|M|Messrs)\.?\s+)+")
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def aliases(value: str, entity_type: str) -> set[str]:
    """Shorter forms that still identify the same entity: the value without its title ("Mr Tomas
    Wexley" -> "Tomas Wexley") and, for a person, the surname ("Wexley")."""
    out = set()
    core = TITLE.sub("", value).strip()
    if core and core != value.strip():
        out.add(core)
    if entity_type == "PERSON":
        tokens = _NAME_TOKEN.findall(core)
        if len(tokens) >= 2 and len(tokens[-1]) >= 3 and tokens[-1][0].isupper():
            out.add(tokens[-1])
    return out


def protected_values(text: str, spans: Sequence[Span]) -> dict[str, tuple[str, str, str]]:
    """What must not leave the edge for these spans: ``{normalized: (surface, entity_type, canonical)}``,
    the detected values and their aliases (``canonical``: the normalized value an alias came from).
    The sanitizers cover these and the egress guard checks these."""
    out: dict[str, tuple[str, str, str]] = {}
    for s in spans:
        value = s.text or text[s.start : s.end]
        out.setdefault(normalize(value), (value, s.entity_type, normalize(value)))
    for s in spans:
        value = s.text or text[s.start : s.end]
        for alias in aliases(value, s.entity_type):
            out.setdefault(normalize(alias), (alias, s.entity_type, normalize(value)))
    return out


def expand_to_all_occurrences(text: str, spans: Sequence[Span]) -> list[Span]:
    """Every occurrence of every detected value (and of its aliases) becomes a span of that value's type.

    The detector may find "Istanbul" three times and miss a fourth; the egress guard checks values,
    not positions, so sanitizers cover all occurrences (and consistent placeholders need them anyway),
    found as the guard finds them (``occurrences``: NFKC, case-insensitive, word-bounded).
    A span that starts or ends inside a word is widened to the whole word: replacing "00" in "0000"
    alone would leave "00" beside the replacement, a word-bounded occurrence of the detected value.
    """
    from ..spans import resolve_overlaps

    protected = protected_values(text, spans)
    by_value = {}
    for s in spans:
        by_value.setdefault(normalize(text[s.start : s.end]), s)
    template = spans[0] if spans else None
    extra = [(by_value.get(key) or template.with_(entity_type=protected[key][1])).with_(start=a, end=b)
             for a, b, key in occurrences(text, (v for v, *_ in protected.values()))]
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
    ``mark(normalized value) -> (entity_type, new_text)``, or ``NEUTRAL_MARK`` when the mark itself
    would hold a value. Every round covers more of the text or merges replacements, so it ends.
    """
    values = list(values)
    edits = sorted(edits, key=lambda e: e.start)
    while True:
        out, pieces = assemble(text, edits)
        hits = occurrences(out, values)
        if not hits:
            return out, edits
        starts = [p[0] for p in pieces]
        ranges: list[list] = []  # [start, end, key] in text, merged where two hits share a replacement
        for a, b, key in hits:
            pa = pieces[bisect.bisect_right(starts, a) - 1]
            pb = pieces[bisect.bisect_left(starts, b) - 1]
            oa = pa[1] if pa[3] else pa[1] + (a - pa[0])
            ob = pb[2] if pb[3] else pb[1] + (b - pb[0])
            if ranges and oa < ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], ob)
            else:
                ranges.append([oa, ob, key])
        for oa, ob, key in ranges:
            entity_type, new = mark(key)
            if occurrences(new, values):
                new = NEUTRAL_MARK
            edits = [e for e in edits if e.end <= oa or e.start >= ob]  # those inside the range
            edits.append(Replacement(oa, ob, entity_type, text[oa:ob], new, operator))
        edits.sort(key=lambda e: e.start)


class Sanitizer:
    """Turns a text and its detected spans into what may leave the edge."""

    name: str = ""
    complexity: int = 0

    def warm_up(self) -> None:
        """Build one-off tables now, so that sanitization timings measure sanitizing, not set-up."""

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        raise NotImplementedError


SANITIZERS: Registry[type[Sanitizer]] = Registry("sanitizer")
