"""Privacy metrics: what the detector caught (PDR) and what left the edge anyway (SELS)."""

from __future__ import annotations

from typing import Sequence

from .. import matching
from ..data.tab import MASKED_IDENTIFIER_TYPES as MASKED
from .registry import register
from .detection import coverage, is_covered
from .intervals import Parts, doc_ids, ratio_of, register_interval
from .settings import MetricSettings


def _masked(gold: dict) -> list[dict]:
    return [m for m in gold.get("mentions", []) if m.get("identifier_type") in MASKED]


@register("PDR", higher_is_better=True, order=1)
def pdr(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """PII Detection Rate: share of gold to-mask mentions whose word characters are all inside detected
    spans (a leading title such as "Mr" ignored). A sample whose detection failed detected nothing."""
    return pdr_parts(records, gold, settings).point()


@register_interval("PDR", higher_is_better=True)
def pdr_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: the to-mask mentions covered and the to-mask mentions (1.0 when there are none)."""
    hits, totals = [], []
    for r, g in zip(records, gold):
        mentions = _masked(g)
        covered = coverage(max((m["end"] for m in mentions), default=0), r.get("detected") or [])
        totals.append(len(mentions))
        hits.append(sum(is_covered(None, m, covered) for m in mentions))
    return Parts(doc_ids(records, gold), {"hit": hits, "total": totals}, ratio_of("hit", "total"), empty=1.0)


def leaked(mention_text: str, egress: str | matching.Folded) -> bool:
    """Whether the mention occurs in the egress as the egress guard would find it (``matching``)."""
    return matching.contains(egress, mention_text)


@register("SELS", higher_is_better=False, order=2)
def sels(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Sensitive Entity Leakage Score: weighted share (DIRECT 1.0, QUASI 0.5) of gold to-mask mentions
    whose surface form occurs in the egress text (``privacy_edge.matching``: case, diacritics,
    invisible characters and spacing do not hide it). No egress, no leak. Lower is better."""
    return sels_parts(records, gold, settings).point()


@register_interval("SELS", higher_is_better=False)
def sels_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: the weight of the to-mask mentions found in the egress and the weight of all of them."""
    weights = (settings or MetricSettings()).sels_weights
    leaks, totals = [], []
    for r, g in zip(records, gold):
        egress = matching.fold(r.get("egress") or "")
        total = leak = 0.0
        for m in _masked(g):
            w = weights.get(m["identifier_type"], 0.0)
            total += w
            if egress.text and leaked(m["span_text"], egress):
                leak += w
        leaks.append(leak)
        totals.append(total)
    return Parts(doc_ids(records, gold), {"leak": leaks, "total": totals}, ratio_of("leak", "total"), empty=0.0)


def leaks_by_type(records: Sequence[dict], gold: Sequence[dict]) -> dict[str, tuple[int, int]]:
    """Per TAB entity type: (to-mask mentions found in the egress, to-mask mentions), SELS's matching
    without weights; a document with no egress leaks nothing."""
    out: dict[str, list[int]] = {}
    for r, g in zip(records, gold):
        egress = matching.fold(r.get("egress") or "")
        for m in _masked(g):
            counts = out.setdefault(m["entity_type"], [0, 0])
            counts[0] += bool(egress.text) and leaked(m["span_text"], egress)
            counts[1] += 1
    return {t: (leak, total) for t, (leak, total) in sorted(out.items())}


def kept_share(record: dict) -> float | None:
    """The share of the case text its egress holds: what the minimizer kept (``method.params.minimize.
    kept_share``, characters), 1.0 for a text sent whole (raw or sanitized), None when nothing left."""
    if not record.get("egress"):
        return None
    minimized = ((record.get("method") or {}).get("params") or {}).get("minimize")
    return float(minimized["kept_share"]) if minimized else 1.0


@register("Kept", higher_is_better=True, order=12)
def kept(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Mean share of the case text that left the edge, over the samples that sent something (data
    minimization lowers it); NaN when nothing left the edge."""
    return kept_parts(records, gold, settings).point()


@register_interval("Kept", higher_is_better=True)
def kept_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    shares = [kept_share(r) for r in records]
    return Parts(doc_ids(records, gold), {"share": [s or 0.0 for s in shares], "sent": [s is not None for s in shares]},
                 ratio_of("share", "sent"))
