"""Inference attacks on what left the edge (IAR), from the honest-but-curious cloud's point of view.

- LLM attack: the attacker model reads the egress text and is asked who the applicant is; it
  succeeds when the gold applicant's surname is in its answer.
- Linking attack: TF-IDF retrieval of the matching public judgment among the attacker's background
  knowledge (../shared/tab/background_public.json); it succeeds when the top hit is the true case.

A sample whose text never left the edge resists both. Samples the attack cannot be scored on (no
known applicant; a case missing from the background) are left out of that attack's rate.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Sequence

from ..llm.base import build_messages, case_text_of
from ..sanitize.base import normalize
from . import register
from .privacy import leaked
from .resources import chat_model, linker
from .settings import MetricSettings

log = logging.getLogger(__name__)
_memo: dict[tuple, object] = {}


def surname(applicant: str | None) -> str | None:
    if not applicant or not applicant.strip():
        return None
    return applicant.replace(",", " ").split()[-1]


def llm_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> list[bool | None]:
    todo = {}
    for r in records:
        if r.get("egress"):
            todo.setdefault(r["egress"], None)
    if todo:
        model = chat_model(settings.attacker, settings.cache_dir if settings.cache else None)
        egresses = [e for e in todo if ("llm", e) not in _memo]
        for e in egresses:
            try:
                gen = model.generate([build_messages(settings.attacker_question, case_text_of(e))])[0]
                _memo[("llm", e)] = gen.text
            except Exception as err:  # an attacker failure is no success, and must not stop the job
                log.warning("attacker model failed: %s", err)
                _memo[("llm", e)] = ""
    out: list[bool | None] = []
    for r, g in zip(records, gold):
        name = surname(g.get("applicant"))
        if name is None:
            out.append(None)
        elif not r.get("egress"):
            out.append(False)
        else:
            out.append(leaked(name, normalize(str(_memo[("llm", r["egress"])]))))
    return out


def linking_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> list[bool | None]:
    path = os.environ.get("TAB_BACKGROUND") or settings.background
    if not path or not os.path.exists(path):
        log.warning("linking attack skipped: background file %s not found", path)
        return [None] * len(records)
    index = linker(path)
    known = set(index.doc_ids)
    queries = [case_text_of(r["egress"]) for r in records if r.get("egress")]
    hits = iter(index.top1(queries))
    out: list[bool | None] = []
    for r, g in zip(records, gold):
        if g["doc_id"] not in known:
            out.append(None)
        elif not r.get("egress"):
            out.append(False)
        else:
            out.append(next(hits) == g["doc_id"])
    return out


def rate(outcomes: list[bool | None]) -> float:
    scored = [o for o in outcomes if o is not None]
    return sum(scored) / len(scored) if scored else math.nan


@register("ASR-LLM", higher_is_better=False)
def asr_llm(records, gold, settings: MetricSettings) -> float:
    """Success rate of the attacker LLM naming the applicant from the egress."""
    return rate(llm_attack(records, gold, settings))


@register("ASR-Link", higher_is_better=False)
def asr_link(records, gold, settings: MetricSettings) -> float:
    """Success rate of linking the egress to its public judgment."""
    return rate(linking_attack(records, gold, settings))


@register("IAR", higher_is_better=True)
def iar(records, gold, settings: MetricSettings) -> float:
    """Inference Attack Resistance: 1 - the mean success rate of the two attacks (those that could run)."""
    rates = [x for x in (asr_llm(records, gold, settings), asr_link(records, gold, settings)) if not math.isnan(x)]
    return 1.0 - sum(rates) / len(rates) if rates else math.nan
