"""Inference attacks on what left the edge (IAR), from the honest-but-curious cloud's point of view.

- LLM attack: the attacker model reads the egress text and is asked who the applicant is; it
  succeeds when the gold applicant's surname is in its answer.
- Linking attack: TF-IDF retrieval of the matching public judgment among the attacker's background
  knowledge (data/tab/background.json, written by `prepare`); it succeeds when the top hit is the true case.

A sample whose text never left the edge resists both. Samples the attack cannot be scored on (no
known applicant; a case missing from the background; an attacker request that failed) are left out of
that attack's rate, and the ``_n`` metrics say how many were scored: a failure is never a success.
"""

from __future__ import annotations

import math
from typing import Sequence

from ..llm.base import build_messages, case_text_of
from . import register
from .privacy import leaked
from .resources import ask_each, chat_model, digest, endpoint_key, linker, outcomes
from .settings import MetricSettings, background_path

FAILED = math.nan  # a sample's outcome when the attacker model gave no answer: not scorable


def surname(applicant: str | None) -> str | None:
    if not applicant or not applicant.strip():
        return None
    return applicant.replace(",", " ").split()[-1]


def attacker_answers(records: Sequence[dict], gold: Sequence[dict],
                     settings: MetricSettings) -> dict[str, str | None]:
    """The attacker model's answer for every distinct egress with an applicant to name, None where it
    failed (asked again next time)."""
    egress = list(dict.fromkeys(r["egress"] for r, g in zip(records, gold)
                                if r.get("egress") and surname(g.get("applicant"))))
    if not egress:
        return {}
    raw = any(r.get("route") == "cloud_raw" and r.get("egress") for r in records)
    model = chat_model(settings.attacker, settings.cache_dir if settings.cache else None,
                       raw_egress="ASR-LLM attacker on cloud_raw egress" if raw else None)
    prompts = [build_messages(settings.attacker_question, case_text_of(e)) for e in egress]
    return dict(zip(egress, ask_each(model, prompts, "ASR-LLM attacker")))


def llm_attack_outcomes(records: Sequence[dict], gold: Sequence[dict],
                        answers: dict[str, str | None]) -> list[bool | float | None]:
    """Per sample: did the attacker name the applicant (None: no known applicant to name; FAILED: the
    attacker gave no answer)."""
    out: list[bool | float | None] = []
    for r, g in zip(records, gold):
        name = surname(g.get("applicant"))
        if name is None:
            out.append(None)
        elif not r.get("egress"):
            out.append(False)
        elif answers.get(r["egress"]) is None:
            out.append(FAILED)
        else:
            out.append(leaked(name, answers[r["egress"]]))
    return out


def llm_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings,
               fresh: bool = True) -> list:
    """The LLM attack's outcomes; fresh=False reuses the latest ones for these records and this attacker."""
    key = ("ASR-LLM", endpoint_key(settings.attacker), settings.attacker_question, settings.cache_dir,
           digest([(r.get("egress"), g.get("applicant")) for r, g in zip(records, gold)]))
    return outcomes(key, lambda: llm_attack_outcomes(records, gold, attacker_answers(records, gold, settings)),
                    fresh)


def linking_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> list[bool | None]:
    """The linking attack's outcomes; all None when linking is switched off (`background: null`). A
    background file that is missing or unreadable is an error, never a silent NaN."""
    path = background_path(settings)
    if path is None:
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


def scored(outcomes: Sequence) -> list[bool]:
    """The outcomes that count: None (not applicable) and FAILED (no answer) are left out."""
    return [o for o in outcomes if isinstance(o, bool)]


def rate(outcomes: Sequence) -> float:
    s = scored(outcomes)
    return sum(s) / len(s) if s else math.nan


@register("ASR-LLM", higher_is_better=False)
def asr_llm(records, gold, settings: MetricSettings) -> float:
    """Success rate of the attacker LLM naming the applicant from the egress, over the samples scored."""
    return rate(llm_attack(records, gold, settings))


@register("ASR-LLM_n", higher_is_better=True)
def asr_llm_n(records, gold, settings: MetricSettings) -> int:
    """How many samples ASR-LLM was scored on (fewer than all: no known applicant, or the attacker failed)."""
    return len(scored(llm_attack(records, gold, settings, fresh=False)))


@register("ASR-Link", higher_is_better=False)
def asr_link(records, gold, settings: MetricSettings) -> float:
    """Success rate of linking the egress to its public judgment; NaN when linking is switched off."""
    return rate(linking_attack(records, gold, settings))


@register("ASR-Link_n", higher_is_better=True)
def asr_link_n(records, gold, settings: MetricSettings) -> int:
    """How many samples ASR-Link was scored on (cases known to the background; 0 when linking is off)."""
    return len(scored(linking_attack(records, gold, settings)))


@register("IAR", higher_is_better=True)
def iar(records, gold, settings: MetricSettings) -> float:
    """Inference Attack Resistance: 1 - the mean success rate of the enabled attacks; NaN when any of them
    is NaN (nothing scored), 1 - ASR-LLM when linking is switched off (`background: null`)."""
    rates = [asr_llm(records, gold, settings)]
    if background_path(settings) is not None:
        rates.append(asr_link(records, gold, settings))
    return resistance(*rates)


def resistance(*success_rates: float) -> float:
    if not success_rates or any(math.isnan(x) for x in success_rates):
        return math.nan
    return 1.0 - sum(success_rates) / len(success_rates)
