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


def attacker_answers(records: Sequence[dict], settings: MetricSettings) -> dict[str, str]:
    """The attacker model's answer for every distinct egress (disk-cached, so each is asked once)."""
    todo = [e for e in dict.fromkeys(r["egress"] for r in records if r.get("egress")) if ("llm", e) not in _memo]
    if todo:
        model = chat_model(settings.attacker, settings.cache_dir if settings.cache else None)
        for e in todo:
            try:
                _memo[("llm", e)] = model.generate([build_messages(settings.attacker_question, case_text_of(e))])[0].text
            except Exception as err:  # an attacker failure is no success, and must not stop the job
                log.warning("attacker model failed: %s", err)
                _memo[("llm", e)] = ""
    return {e: str(_memo[("llm", e)]) for e in (r.get("egress") for r in records) if e}


def llm_attack_outcomes(records: Sequence[dict], gold: Sequence[dict], answers: dict[str, str]) -> list[bool | None]:
    """Per sample: did the attacker name the applicant (None: no known applicant to name)."""
    out: list[bool | None] = []
    for r, g in zip(records, gold):
        name = surname(g.get("applicant"))
        if name is None:
            out.append(None)
        elif not r.get("egress"):
            out.append(False)
        else:
            out.append(leaked(name, answers.get(r["egress"], "")))
    return out


def llm_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> list[bool | None]:
    return llm_attack_outcomes(records, gold, attacker_answers(records, settings))


def linking_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> list[bool | None]:
    path = os.environ.get("TAB_BACKGROUND") or settings.background
    if not path or not os.path.exists(path):
        log.warning("linking attack skipped: background file %s not found", path)
        return [None] * len(records)
    return linking_outcomes(records, gold, linker(path))


def linking_outcomes(records: Sequence[dict], gold: Sequence[dict], index) -> list[bool | None]:
    """Per sample: did retrieval over the background put the true case first (None: case unknown to it)."""
    known = set(index.doc_ids)
    queries = [case_text_of(r["egress"]) for r in records if r.get("egress")]
    hits = iter(index.top1(queries))
    out: list[bool | None] = []
    for r, g in zip(records, gold):
        if not r.get("egress"):
            out.append(None if g["doc_id"] not in known else False)
            continue
        hit = next(hits)
        out.append(None if g["doc_id"] not in known else hit == g["doc_id"])
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
    return resistance(asr_llm(records, gold, settings), asr_link(records, gold, settings))


def resistance(*success_rates: float) -> float:
    rates = [x for x in success_rates if not math.isnan(x)]
    return 1.0 - sum(rates) / len(rates) if rates else math.nan
