"""Privacy metrics: what the detector caught (PDR) and what left the edge anyway (SELS)."""

from __future__ import annotations

from typing import Sequence

from .. import matching
from . import register
from .detection import coverage, is_covered

MASKED = ("DIRECT", "QUASI")
SELS_WEIGHTS = {"DIRECT": 1.0, "QUASI": 0.5}


def _masked(gold: dict) -> list[dict]:
    return [m for m in gold.get("mentions", []) if m.get("identifier_type") in MASKED]


@register("PDR", higher_is_better=True)
def pdr(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """PII Detection Rate: share of gold to-mask mentions whose word characters are all inside detected
    spans (a leading title such as "Mr" ignored). A sample whose detection failed detected nothing."""
    total = hit = 0
    for r, g in zip(records, gold):
        mentions = _masked(g)
        if not mentions:
            continue
        covered = coverage(max(m["end"] for m in mentions), r.get("detected") or [])
        total += len(mentions)
        hit += sum(is_covered(None, m, covered) for m in mentions)
    return hit / total if total else 1.0


def leaked(mention_text: str, egress: str | matching.Folded) -> bool:
    """Whether the mention occurs in the egress as the egress guard would find it (``matching``)."""
    return matching.contains(egress, mention_text)


@register("SELS", higher_is_better=False)
def sels(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Sensitive Entity Leakage Score: weighted share (DIRECT 1.0, QUASI 0.5) of gold to-mask mentions
    whose surface form occurs in the egress text (``privacy_edge.matching``: case, diacritics,
    invisible characters and spacing do not hide it). No egress, no leak. Lower is better."""
    weights = settings.sels_weights if settings is not None else SELS_WEIGHTS
    total = leak = 0.0
    for r, g in zip(records, gold):
        egress = matching.fold(r.get("egress") or "")
        for m in _masked(g):
            w = weights.get(m["identifier_type"], 0.0)
            total += w
            if egress.text and leaked(m["span_text"], egress):
                leak += w
    return leak / total if total else 0.0
