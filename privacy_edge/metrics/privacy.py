"""Privacy metrics: what the detector caught (PDR) and what left the edge anyway (SELS)."""

from __future__ import annotations

from typing import Sequence

from .. import matching
from ..data.tab import MASKED_IDENTIFIER_TYPES as MASKED
from ..llm.base import case_text_of
from .leaks import leak_shares
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
    """Whether the mention occurs whole in the egress as the egress guard would find it (``matching``)."""
    return matching.contains(egress, mention_text)


@register("SELS", higher_is_better=False, order=2)
def sels(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """Sensitive Entity Leakage Score: the weighted share (DIRECT 1.0, QUASI 0.5) of the gold to-mask
    mentions' identifying tokens that reached the egress (metrics/leaks.py, a judge apart from the
    guard's matcher): a mention counts by the share of its words and numbers that went out ("Mr
    [PERSON_1] Wexley" leaks half of "Tomas Wexley"). No egress, no leak. Lower is better."""
    return sels_parts(records, gold, settings).point()


def _token_leaks(records: Sequence[dict], gold: Sequence[dict], settings) -> tuple[list[float], list[float], list[bool]]:
    """Per document: the weight of the to-mask mentions' leaked shares, the weight of all of them, and
    whether anything left the edge."""
    weights = (settings or MetricSettings()).sels_weights
    leaks, totals, sent = [], [], []
    for r, g in zip(records, gold):
        mentions = _masked(g)
        w = [weights.get(m["identifier_type"], 0.0) for m in mentions]
        egress = r.get("egress") or ""
        text = (g.get("reference_input") or {}).get("text")
        if egress and text is None:  # no source text in the gold: whole mentions only
            shares = [float(leaked(m["span_text"], egress)) for m in mentions]
        else:
            shares = leak_shares(text, [(m["start"], m["end"]) for m in mentions], case_text_of(egress)) \
                if egress else [0.0] * len(mentions)
        leaks.append(sum(x * y for x, y in zip(w, shares)))
        totals.append(sum(w))
        sent.append(bool(egress))
    return leaks, totals, sent


@register_interval("SELS", higher_is_better=False)
def sels_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: the weight of the tokens leaked and the weight of all to-mask mentions."""
    leaks, totals, _ = _token_leaks(records, gold, settings)
    return Parts(doc_ids(records, gold), {"leak": leaks, "total": totals}, ratio_of("leak", "total"), empty=0.0)


@register("SELS_sent", higher_is_better=False, order=13)
def sels_sent(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """SELS over the samples that sent something: what sanitizing let through, routing aside (SELS
    counts a sample kept at the edge as leaking nothing). NaN when nothing left the edge."""
    leaks, totals, sent = _token_leaks(records, gold, settings)
    return Parts(doc_ids(records, gold), {"leak": [x * s for x, s in zip(leaks, sent)],
                                          "total": [t * s for t, s in zip(totals, sent)]},
                 ratio_of("leak", "total")).point()


@register("SELS_mention", higher_is_better=False, order=14)
def sels_mention(records: Sequence[dict], gold: Sequence[dict], settings=None) -> float:
    """The weighted share of gold to-mask mentions whose whole surface form occurs in the egress as the
    egress guard's matcher finds it (SELS before it counted tokens: a partial leak counts as none)."""
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
    return Parts(doc_ids(records, gold), {"leak": leaks, "total": totals}, ratio_of("leak", "total"), empty=0.0).point()


def leaks_by_type(records: Sequence[dict], gold: Sequence[dict]) -> dict[str, tuple[float, int]]:
    """Per TAB entity type: (the to-mask mentions' leaked shares summed, the number of such mentions),
    judged as SELS judges (metrics/leaks.py, token level, not the guard's matcher), without weights;
    a document with no egress leaks nothing."""
    out: dict[str, list[float]] = {}
    for r, g in zip(records, gold):
        mentions = _masked(g)
        egress = r.get("egress") or ""
        text = (g.get("reference_input") or {}).get("text")
        if not egress:
            shares = [0.0] * len(mentions)
        elif text is None:  # no source text in the gold: whole mentions only
            shares = [float(leaked(m["span_text"], matching.fold(egress))) for m in mentions]
        else:
            shares = leak_shares(text, [(m["start"], m["end"]) for m in mentions], case_text_of(egress))
        for m, share in zip(mentions, shares):
            counts = out.setdefault(m["entity_type"], [0.0, 0])
            counts[0] += share
            counts[1] += 1
    return {t: (leak, int(total)) for t, (leak, total) in sorted(out.items())}


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
