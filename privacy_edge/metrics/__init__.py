"""The seven benchmark metrics as plain functions of the records (docs/architecture.md) and the gold (the JSONL answers).

Each is registered under the name users see in the rank CSV. Ianvs's thin metric modules call
``evaluate(name, y_true, y_pred)``; anything else can call the functions on records directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..registry import Registry

MetricFn = Callable[[Sequence[dict], Sequence[dict], Any], float]
METRICS: Registry[MetricFn] = Registry("metric")


@dataclass(frozen=True)
class MetricInfo:
    """What reports need to know of a registered metric."""

    name: str
    higher_is_better: bool
    order: int | None = None  # position among the headline metrics; None for a companion column
    of: str | None = None  # the headline metric a companion column belongs to
    role: str = "value"  # "value", "count" (samples scored), "lo" or "hi" (interval bounds)


INFO: dict[str, MetricInfo] = {}


def register(name: str, higher_is_better: bool, order: int | None = None, of: str | None = None,
             role: str = "value"):
    def add(fn: MetricFn) -> MetricFn:
        METRICS.register(name, fn)
        INFO[name] = MetricInfo(name, higher_is_better, order, of, role)
        return fn

    return add


def headline() -> list[str]:
    """The headline metrics in display order (rank CSV columns users read first)."""
    load_all()
    return [i.name for i in sorted((i for i in INFO.values() if i.order is not None), key=lambda i: i.order)]


def companions(role: str) -> dict[str, str]:
    """{headline metric: its companion column} for one role ("count", "lo" or "hi")."""
    load_all()
    return {i.of: i.name for i in INFO.values() if i.role == role}


def load_all() -> None:
    from . import attacks, performance, privacy, utility  # noqa: F401  (registers the metrics)


def evaluate(name: str, y_true: Any, y_pred: Any, settings_path: str | None = None) -> float:
    """A metric on Ianvs's inputs: y_true are the JSONL answers, y_pred the per-sample results."""
    from ..record import as_records
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
