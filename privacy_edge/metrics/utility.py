"""Utility metrics: how much context the egress keeps (CPP) and how good the answers stay (APR)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..data.tab import MASKED_IDENTIFIER_TYPES as MASKED
from ..data.tasks import get_task
from ..llm.base import build_messages, case_text_of
from .registry import register
from .intervals import Parts, doc_ids, ratio_of, register_interval
from .resources import ask_each, chat_model, digest, embed_long, endpoint_key, outcomes
from .settings import MetricSettings


def gold_masked_text(gold: dict) -> str:
    """The original text with every gold to-mask mention replaced by its type label: ideal anonymization."""
    text = gold["reference_input"]["text"]
    out, pos = [], 0
    for m in sorted((m for m in gold.get("mentions", []) if m["identifier_type"] in MASKED), key=lambda m: m["start"]):
        if m["start"] < pos:
            continue
        out += [text[pos : m["start"]], m["entity_type"]]
        pos = m["end"]
    out.append(text[pos:])
    return "".join(out)


@register("CPP", higher_is_better=True, order=6)
def cpp(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """Contextual Privacy Preservation: how much of the original's meaning the case text that left the
    edge keeps, the mean cosine similarity (all-MiniLM-L6-v2, long texts in chunks) between the
    original text and it, over the samples that sent something: raw text scores 1, a protected text
    less. NaN when nothing left the edge."""
    return cpp_parts(records, gold, settings).point()


def similarities(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings,
                 fresh: bool = True, against: str = "original") -> list[float | None]:
    """Per sample: the cosine similarity between the egress's case text and the original text
    (``against="original"``) or the gold-masked original (``"gold"``); None where nothing left the edge
    (remembered per process, so the interval metrics do not embed again). An egress equal to the
    original is 1 exactly."""
    source = (lambda g: g["reference_input"]["text"]) if against == "original" else gold_masked_text
    pairs = [(source(g), case_text_of(r["egress"])) if r.get("egress") else None for r, g in zip(records, gold)]

    def compute() -> list[float | None]:
        todo = [p for p in pairs if p is not None and p[0] != p[1]]
        cos = iter([])
        if todo:
            cache_dir = settings.cache_dir if settings.cache else None
            a = embed_long([p[0] for p in todo], settings.cpp_chunk_words, cache_dir)
            b = embed_long([p[1] for p in todo], settings.cpp_chunk_words, cache_dir)
            cos = iter(np.sum(a * b, axis=1).tolist())
        return [None if p is None else 1.0 if p[0] == p[1] else next(cos) for p in pairs]

    return outcomes(("CPP", against, settings.cpp_chunk_words, digest(pairs)), compute, fresh)


@register_interval("CPP", higher_is_better=True)
def cpp_parts(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings, fresh: bool = True) -> Parts:
    """Per document: the similarity (0 when nothing was sent) and whether something was sent."""
    sims = similarities(records, gold, settings, fresh)
    return Parts(doc_ids(records, gold), {"cos": [s or 0.0 for s in sims], "sent": [s is not None for s in sims]},
                 ratio_of("cos", "sent"))


@register("CPP_n", higher_is_better=True, of="CPP", role="count")
def cpp_n(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> int:
    """How many samples CPP (and CPP-gold) was scored on: those that sent something."""
    return sum(bool(r.get("egress")) for r in records)


@register("CPP-gold", higher_is_better=True, order=15)
def cpp_gold(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """Agreement with gold masking: the mean cosine similarity between the egress's case text and the
    original with every gold to-mask mention replaced by its type label (an ideal anonymization), over
    the samples that sent something. NaN when nothing left the edge."""
    sims = [s for s in similarities(records, gold, settings, against="gold") if s is not None]
    return sum(sims) / len(sims) if sims else math.nan


def quality(answers: Sequence[str | None], gold: Sequence[dict]) -> float:
    """Mean task score over samples with a reference; a missing answer scores 0."""
    scores = []
    for answer, g in zip(answers, gold):
        task = g.get("task") or {}
        if task.get("reference") is None:
            continue
        scores.append(get_task(task["name"]).score(answer or "", task["reference"]))
    return sum(scores) / len(scores) if scores else math.nan


def reference_answers(gold: Sequence[dict], settings: MetricSettings) -> list[str | None]:
    """The no-privacy reference: the cloud model on the raw text (disk-cached: computed once per dataset
    and model). None where there is no task reference to score, or the reference model failed."""
    todo = [i for i, g in enumerate(gold) if (g.get("task") or {}).get("reference") is not None]
    out: list[str | None] = [None] * len(gold)
    if todo:
        model = chat_model(settings.reference, settings.cache_dir if settings.cache else None,
                           raw_egress="APR no-privacy reference")
        prompts = [build_messages(gold[i]["reference_input"]["question"], gold[i]["reference_input"]["text"])
                   for i in todo]
        for i, answer in zip(todo, ask_each(model, prompts, "APR reference")):
            out[i] = answer
    return out


def references(gold: Sequence[dict], settings: MetricSettings, fresh: bool = True) -> list[str | None]:
    """reference_answers(); fresh=False reuses the latest ones for this gold and this model."""
    key = ("APR", endpoint_key(settings.reference), settings.cache_dir,
           digest([(g.get("reference_input"), g.get("task")) for g in gold]))
    return outcomes(key, lambda: reference_answers(gold, settings), fresh)


def paired(reference: Sequence[str | None], gold: Sequence[dict]) -> list[int]:
    """The samples APR is scored on: a task reference to score against and a reference answer."""
    return [i for i, (r, g) in enumerate(zip(reference, gold))
            if r is not None and (g.get("task") or {}).get("reference") is not None]


@register("APR", higher_is_better=True, order=7)
def apr(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """Accuracy Preservation Rate: task quality of the final answers / quality of the no-privacy reference,
    both over the samples whose reference answer exists."""
    return apr_parts(records, gold, settings).point()


@register_interval("APR", higher_is_better=True)
def apr_parts(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings, fresh: bool = True) -> Parts:
    """Per document, over the paired samples (0 elsewhere): the final answer's task score and the reference
    answer's; APR is the ratio of their sums (undefined where the reference scores 0)."""
    final, ref = scores([r.get("answer") for r in records], references(gold, settings, fresh), gold)
    return Parts(doc_ids(records, gold), {"final": final, "ref": ref}, ratio_of("final", "ref"))


def scores(final: Sequence[str | None], reference: Sequence[str | None], gold: Sequence[dict]) -> tuple[list, list]:
    """Task scores of the final and the reference answers on the paired samples, 0 on the others."""
    f, r = [0.0] * len(gold), [0.0] * len(gold)
    for i in paired(reference, gold):
        task = get_task(gold[i]["task"]["name"])
        f[i] = task.score(final[i] or "", gold[i]["task"]["reference"])
        r[i] = task.score(reference[i] or "", gold[i]["task"]["reference"])
    return f, r


@register("APR_n", higher_is_better=True, of="APR", role="count")
def apr_n(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> int:
    """How many samples APR was scored on (fewer than all: no task reference, or the reference failed)."""
    return len(paired(references(gold, settings, fresh=False), gold))


def preservation(final: Sequence[str | None], reference: Sequence[str | None], gold: Sequence[dict]) -> float:
    """quality(final) / quality(reference) over the paired samples: a failed reference answer removes the
    sample from both sides (it is no failure of the system); a missing final answer still scores 0.
    NaN when the reference scores 0 (nothing to preserve) or no sample is paired."""
    keep = paired(reference, gold)
    q_final = quality([final[i] for i in keep], [gold[i] for i in keep])
    q_ref = quality([reference[i] for i in keep], [gold[i] for i in keep])
    if math.isnan(q_final) or math.isnan(q_ref) or q_ref == 0:
        return math.nan
    return q_final / q_ref


@register("Accuracy", higher_is_better=True, order=8)
def accuracy(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """The task quality of the final answers over every sample with a task reference, for reading APR in
    context (APR's numerator is the same over the paired samples only)."""
    return accuracy_parts(records, gold, settings).point()


@register_interval("Accuracy", higher_is_better=True)
def accuracy_parts(records: Sequence[dict], gold: Sequence[dict], settings=None, fresh: bool = True) -> Parts:
    """Per document: the final answer's task score and whether there is a task reference to score it."""
    score, has = [], []
    for r, g in zip(records, gold):
        task = g.get("task") or {}
        has.append(task.get("reference") is not None)
        score.append(get_task(task["name"]).score(r.get("answer") or "", task["reference"]) if has[-1] else 0.0)
    return Parts(doc_ids(records, gold), {"score": score, "scored": has}, ratio_of("score", "scored"))
