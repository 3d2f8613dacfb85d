"""One span type for detections and gold mentions, and the one function that resolves overlaps.

Offsets are half-open character offsets into the original text, as in TAB.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Iterable


@dataclass(frozen=True, order=True)
class Span:
    """A typed region of a text: a detection (with source and score) or a gold mention."""

    start: int
    end: int
    entity_type: str
    score: float = 1.0
    source: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"invalid span offsets [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def intersects(self, other: "Span") -> int:
        """Number of characters the two spans share (0 when disjoint)."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def with_(self, **changes) -> "Span":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["type"] = d.pop("entity_type")
        d.pop("text")
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            entity_type=str(d.get("type") or d.get("entity_type")),
            score=float(d.get("score", 1.0)),
            source=str(d.get("source", "")),
        )


def resolve_overlaps(spans: Iterable[Span], text: str | None = None) -> list[Span]:
    """Merge overlapping or touching-by-overlap spans into disjoint spans, sorted by start.

    A merged span covers the union of its parts; it keeps the type and source of the part with the
    highest score (ties: the longer part), and that score. Masking needs disjoint spans that
    cover every detected character, so a union is the safe resolution: it never uncovers a
    character that some recognizer flagged.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in ordered:
        if len(span) == 0:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = max((last, span), key=lambda s: (s.score, len(s)))
            merged[-1] = best.with_(start=last.start, end=max(last.end, span.end))
        else:
            merged.append(span)
    if text is not None:
        merged = [s.with_(text=text[s.start : s.end]) for s in merged]
    return merged
