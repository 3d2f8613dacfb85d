"""Inference attacks on what left the edge (IAR), from the honest-but-curious cloud's point of view.

- LLM attack: the attacker model reads the egress text and is asked who the applicant is; it
  succeeds when the gold applicant's surname is in its answer.
- Linking attack: retrieval of the matching public judgment among the attacker's background
  knowledge (data/tab/background.json, written by `prepare`) by TF-IDF and by a dense retriever
  (MiniLM); it succeeds when either ranks the true case first.

A sample whose text never left the edge resists both. Samples the attack cannot be scored on (no
known applicant; a case missing from the background; an attacker request that failed) are left out of
that attack's rate, and the ``_n`` metrics say how many were scored: a failure is never a success.
Each attack is also run on the same samples' raw texts (``_raw``): IAR counts only the attacks that
succeed there at least half the time (calibrated), since a weak attacker's failure on protected text
says nothing about the protection.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..llm.base import build_messages, case_text_of, payload_text
from .registry import register
from .intervals import Parts, doc_ids, ratio, register_interval
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


def linking_attack(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings,
                   fresh: bool = True) -> list[bool | None]:
    """The linking attack's outcomes; all None when linking is switched off (`background: null`). A
    background file that is missing or unreadable is an error, never a silent NaN. fresh=False reuses
    the latest ones for these records and this background."""
    path = background_path(settings)
    if path is None:
        return [None] * len(records)
    key = ("ASR-Link", path, settings.cpp_chunk_words, digest([(r.get("egress"), g.get("doc_id"))
                                                              for r, g in zip(records, gold)]))
    index = linker(path, settings.cpp_chunk_words, settings.cache_dir if settings.cache else None)
    return outcomes(key, lambda: linking_outcomes(records, gold, index), fresh)


def linking_outcomes(records: Sequence[dict], gold: Sequence[dict], index) -> list[bool | None]:
    """Per sample: did any retrieval over the background put the true case first (None: case unknown to it)."""
    per = linking_by_retriever(records, gold, index)
    return [None if outs[0] is None else any(outs) for outs in zip(*per.values())]


def linking_by_retriever(records: Sequence[dict], gold: Sequence[dict], index) -> dict[str, list[bool | None]]:
    """Per retriever, per sample: did it put the true case first (None: case unknown to the background)."""
    known = set(index.doc_ids)
    queries = [case_text_of(r["egress"]) for r in records if r.get("egress")]
    out: dict[str, list[bool | None]] = {}
    for name, first in index.ranked_first(queries).items():
        hits = iter(first)
        outs: list[bool | None] = []
        for r, g in zip(records, gold):
            hit = next(hits) if r.get("egress") else None
            outs.append(None if g["doc_id"] not in known else hit == g["doc_id"])
        out[name] = outs
    return out


def scored(outcomes: Sequence) -> list[bool]:
    """The outcomes that count: None (not applicable) and FAILED (no answer) are left out."""
    return [o for o in outcomes if isinstance(o, bool)]


def rate(outcomes: Sequence) -> float:
    s = scored(outcomes)
    return sum(s) / len(s) if s else math.nan


@register("ASR-LLM", higher_is_better=False, order=4)
def asr_llm(records, gold, settings: MetricSettings) -> float:
    """Success rate of the attacker LLM naming the applicant from the egress, over the samples scored."""
    return rate(llm_attack(records, gold, settings))


def success_parts(records: Sequence[dict], gold: Sequence[dict], outs: Sequence) -> Parts:
    """Per document: 1 when the attack succeeded, out of 1 when it was scored (0 out of 0 otherwise)."""
    columns = {"hit": [o is True for o in outs], "scored": [isinstance(o, bool) for o in outs]}
    return Parts(doc_ids(records, gold), columns, lambda s: ratio(s["hit"], s["scored"]))


@register_interval("ASR-LLM", higher_is_better=False)
def asr_llm_parts(records, gold, settings: MetricSettings, fresh: bool = True) -> Parts:
    return success_parts(records, gold, llm_attack(records, gold, settings, fresh))


@register("ASR-LLM_n", higher_is_better=True, of="ASR-LLM", role="count")
def asr_llm_n(records, gold, settings: MetricSettings) -> int:
    """How many samples ASR-LLM was scored on (fewer than all: no known applicant, or the attacker failed)."""
    return len(scored(llm_attack(records, gold, settings, fresh=False)))


@register("ASR-Link", higher_is_better=False, order=5)
def asr_link(records, gold, settings: MetricSettings) -> float:
    """Success rate of linking the egress to its public judgment; NaN when linking is switched off."""
    return rate(linking_attack(records, gold, settings))


@register_interval("ASR-Link", higher_is_better=False)
def asr_link_parts(records, gold, settings: MetricSettings, fresh: bool = True) -> Parts:
    return success_parts(records, gold, linking_attack(records, gold, settings, fresh))


@register("ASR-Link_n", higher_is_better=True, of="ASR-Link", role="count")
def asr_link_n(records, gold, settings: MetricSettings) -> int:
    """How many samples ASR-Link was scored on (cases known to the background; 0 when linking is off)."""
    return len(scored(linking_attack(records, gold, settings, fresh=False)))


CALIBRATED = 0.5  # an attack that succeeds on fewer raw texts than this measures no protection


def raw_records(records: Sequence[dict], gold: Sequence[dict]) -> list[dict]:
    """The same samples as if every raw text had been sent: what an attack is calibrated on."""
    return [{"doc_id": g.get("doc_id"), "route": "cloud_raw",
             "egress": payload_text(build_messages(g["reference_input"]["question"], g["reference_input"]["text"]))
             if g.get("reference_input") else None} for g in gold]


@register("ASR-LLM_raw", higher_is_better=False, of="ASR-LLM", role="raw")
def asr_llm_raw(records, gold, settings: MetricSettings) -> float:
    """The LLM attacker's success on the raw texts of the same samples: its calibration (IAR leaves an
    attack out when this is under 0.5)."""
    return rate(llm_attack(raw_records(records, gold), gold, settings))


@register("ASR-Link_raw", higher_is_better=False, of="ASR-Link", role="raw")
def asr_link_raw(records, gold, settings: MetricSettings) -> float:
    """The linking attack's success on the raw texts of the same samples (NaN when linking is off)."""
    return rate(linking_attack(raw_records(records, gold), gold, settings))


def calibrated_attacks(records, gold, settings: MetricSettings) -> list[str]:
    """The attacks IAR counts: those that succeed on at least half of the raw texts they are scored on."""
    out = []
    if asr_llm_raw(records, gold, settings) >= CALIBRATED:
        out.append("ASR-LLM")
    if background_path(settings) is not None and asr_link_raw(records, gold, settings) >= CALIBRATED:
        out.append("ASR-Link")
    return out


@register("IAR", higher_is_better=True, order=3)
def iar(records, gold, settings: MetricSettings) -> float:
    """Inference Attack Resistance: 1 - the mean success rate of the calibrated attacks (those that
    succeed on at least half of the same samples' raw texts: ASR-LLM_raw, ASR-Link_raw); an attack too
    weak on raw text measures no protection and would give every protected row resistance for free.
    NaN when no attack is calibrated, or a counted one scored nothing. IAR_attacks says which counted."""
    return iar_parts(records, gold, settings).point()


@register("IAR_attacks", higher_is_better=True, of="IAR", role="attacks")
def iar_attacks(records, gold, settings: MetricSettings) -> int:
    """Which attacks IAR counted: 1 ASR-LLM, 2 ASR-Link, 3 both, 0 none (no attack calibrated)."""
    used = calibrated_attacks(records, gold, settings)
    return ("ASR-LLM" in used) + 2 * ("ASR-Link" in used)


@register_interval("IAR", higher_is_better=True)
def iar_parts(records, gold, settings: MetricSettings, fresh: bool = True) -> Parts:
    """The calibrated attacks' per-document successes side by side: a resampled document brings all."""
    used = calibrated_attacks(records, gold, settings)
    columns = {}
    if "ASR-LLM" in used:
        columns.update({f"llm_{k}": v for k, v in asr_llm_parts(records, gold, settings, fresh).columns.items()})
    if "ASR-Link" in used:
        columns.update({f"link_{k}": v for k, v in asr_link_parts(records, gold, settings, fresh).columns.items()})

    def combine(s):
        rates = [ratio(s[f"{a}_hit"], s[f"{a}_scored"]) for a in ("llm", "link") if f"{a}_hit" in s]
        if not rates:
            return np.full(len(next(iter(s.values()))) if s else 1, math.nan)
        return 1.0 - np.mean(rates, axis=0)  # NaN when a counted attack scored nothing

    if not columns:
        columns = {"none": [0.0] * len(records)}
    return Parts(doc_ids(records, gold), columns, combine)


def resistance(*success_rates: float) -> float:
    if not success_rates or any(math.isnan(x) for x in success_rates):
        return math.nan
    return 1.0 - sum(success_rates) / len(success_rates)
