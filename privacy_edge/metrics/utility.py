"""Utility metrics: how much context the egress keeps (CPP) and how good the answers stay (APR)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..data.tasks import get_task
from ..llm.base import build_messages, case_text_of
from . import register
from .resources import chat_model, embed_long
from .settings import MetricSettings

MASKED = ("DIRECT", "QUASI")


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


@register("CPP", higher_is_better=True)
def cpp(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """Contextual Privacy Preservation: mean cosine similarity (all-MiniLM-L6-v2, long texts in chunks)
    between the gold-masked original and the case text that left the edge, over samples that sent
    something. NaN when nothing left the edge (there is no egress to judge)."""
    pairs = [(gold_masked_text(g), case_text_of(r["egress"])) for r, g in zip(records, gold) if r.get("egress")]
    if not pairs:
        return math.nan
    a = embed_long([p[0] for p in pairs], settings.cpp_chunk_words)
    b = embed_long([p[1] for p in pairs], settings.cpp_chunk_words)
    return float(np.mean(np.sum(a * b, axis=1)))


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
    """The no-privacy reference: the cloud model on the raw text (cached: computed once per dataset and model)."""
    model = chat_model(settings.reference, settings.cache_dir if settings.cache else None)
    out = []
    for g in gold:
        ri = g["reference_input"]
        try:
            out.append(model.generate([build_messages(ri["question"], ri["text"])])[0].text)
        except Exception:
            out.append(None)
    return out


@register("APR", higher_is_better=True)
def apr(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """Accuracy Preservation Rate: task quality of the final answers / quality of the no-privacy reference."""
    return preservation([r.get("answer") for r in records], reference_answers(gold, settings), gold)


def preservation(final: Sequence[str | None], reference: Sequence[str | None], gold: Sequence[dict]) -> float:
    """quality(final) / quality(reference); NaN when the reference scores 0 (nothing to preserve)."""
    q_final, q_ref = quality(final, gold), quality(reference, gold)
    if math.isnan(q_final) or math.isnan(q_ref) or q_ref == 0:
        return math.nan
    return q_final / q_ref


@register("Accuracy", higher_is_better=True)
def accuracy(records: Sequence[dict], gold: Sequence[dict], settings: MetricSettings) -> float:
    """The task quality of the final answers (APR's numerator), for reading APR in context."""
    return quality([r.get("answer") for r in records], gold)
