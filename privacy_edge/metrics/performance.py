"""Cost metrics from the recorded timings: privacy work per sample (LO) and its share of time (TI)."""

from __future__ import annotations

from typing import Sequence

from ..record import PRIVACY_TIMINGS
from . import register


def privacy_seconds(record: dict) -> float:
    t = record.get("timings_s") or {}
    return sum(float(t.get(k) or 0.0) for k in PRIVACY_TIMINGS)


@register("LO", higher_is_better=False)
def lo(records: Sequence[dict], gold: Sequence[dict]) -> float:
    """Latency Overhead: mean seconds per sample spent on privacy work (detect + sanitize + restore)."""
    return sum(privacy_seconds(r) for r in records) / len(records) if records else 0.0
