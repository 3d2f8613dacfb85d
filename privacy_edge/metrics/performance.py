"""Cost metrics from the recorded timings: privacy work per sample (LO) and its share of time (TI)."""

from __future__ import annotations

from typing import Sequence

from ..record import PRIVACY_TIMINGS
from .registry import register
from .intervals import Parts, ratio_of, register_interval


def privacy_seconds(record: dict) -> float:
    t = record.get("timings_s") or {}
    return sum(float(t.get(k) or 0.0) for k in PRIVACY_TIMINGS)


@register("LO", higher_is_better=False, order=9)
def lo(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Latency Overhead: mean seconds per sample spent on privacy work (detect + sanitize + the egress
    guard's checks, the HTTP layer's included + restore)."""
    return lo_parts(records, gold, settings).point()


@register_interval("LO", higher_is_better=False)
def lo_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: its privacy seconds, out of one sample."""
    return Parts([str(r.get("doc_id", i)) for i, r in enumerate(records)],
                 {"privacy": [privacy_seconds(r) for r in records], "one": [1] * len(records)},
                 ratio_of("privacy", "one"), empty=0.0)


@register("TI", higher_is_better=False, order=10)
def ti(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Throughput Impact: share of total processing time spent on privacy work (the throughput lost to it)."""
    return ti_parts(records, gold, settings).point()


@register_interval("TI", higher_is_better=False)
def ti_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: its privacy seconds and its total seconds (a ratio of sums over the documents)."""
    return Parts([str(r.get("doc_id", i)) for i, r in enumerate(records)],
                 {"privacy": [privacy_seconds(r) for r in records],
                  "total": [float((r.get("timings_s") or {}).get("total") or 0.0) for r in records]},
                 ratio_of("privacy", "total"), empty=0.0)


@register("Failed", higher_is_better=False, order=11)
def failed(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Share of samples that ended with an error (recorded, never raised): every sample is counted."""
    return failed_parts(records, gold, settings).point()


@register_interval("Failed", higher_is_better=False)
def failed_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: 1 when its sample failed, out of 1."""
    return Parts([str(r.get("doc_id", i)) for i, r in enumerate(records)],
                 {"failed": [bool(r.get("error")) for r in records], "one": [1] * len(records)},
                 ratio_of("failed", "one"), empty=0.0)
