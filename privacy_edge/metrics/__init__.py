"""The seven benchmark metrics as plain functions of the §6 records and the gold (the JSONL answers).

Each is registered under the name users see in the rank CSV. Ianvs's thin metric modules call
``evaluate(name, y_true, y_pred)``; anything else can call the functions on records directly.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..registry import Registry

MetricFn = Callable[[Sequence[dict], Sequence[dict], Any], float]
METRICS: Registry[MetricFn] = Registry("metric")
HIGHER_IS_BETTER: dict[str, bool] = {}


def register(name: str, higher_is_better: bool):
    def add(fn: MetricFn) -> MetricFn:
        METRICS.register(name, fn)
        HIGHER_IS_BETTER[name] = higher_is_better
        return fn

    return add


def load_all() -> None:
    from . import attacks, performance, privacy, utility  # noqa: F401  (registers the metrics)


def evaluate(name: str, y_true: Any, y_pred: Any, settings_path: str | None = None) -> float:
    """A metric on Ianvs's inputs: y_true are the JSONL answers, y_pred the per-sample results."""
    from ..ianvs_glue import as_records
    from .settings import load_metric_settings

    load_all()

    records = as_records(y_pred)
    gold = [dict(g) for g in y_true]
    if len(records) != len(gold):
        raise ValueError(f"{name}: {len(records)} results for {len(gold)} gold answers")
    for r, g in zip(records, gold):
        if r.get("doc_id") != g.get("doc_id"):
            raise ValueError(f"{name}: result for {r.get('doc_id')} paired with gold of {g.get('doc_id')}")
    return METRICS.get(name)(records, gold, load_metric_settings(settings_path))
