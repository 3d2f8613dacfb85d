"""The seven benchmark metrics as plain functions of the records (docs/architecture.md) and the gold (the JSONL answers).

Each is registered under the name users see in the rank CSV. Ianvs's thin metric modules call
``evaluate(name, y_true, y_pred)``; anything else can call the functions on records directly.
"""

from __future__ import annotations

from typing import Any

from ..profile import stage
from .registry import INFO, METRICS, MetricFn, MetricInfo, register  # noqa: F401  (the metrics API)


def headline() -> list[str]:
    """The headline metrics in display order (rank CSV columns users read first)."""
    load_all()
    return [i.name for i in sorted((i for i in INFO.values() if i.order is not None), key=lambda i: i.order)]


def companions(role: str) -> dict[str, str]:
    """{headline metric: its companion column} for one role ("count", "lo" or "hi")."""
    load_all()
    return {i.of: i.name for i in INFO.values() if i.role == role}


def load_all() -> None:
    """Register the built-in metrics and resolve the installed plug-ins' (entry point group
    ``privacy_edge.metrics``, each naming a function decorated with ``register``); a plug-in without
    its metadata is an error here, before any test case runs."""
    from . import attacks, performance, privacy, utility  # noqa: F401  (registers the metrics)

    for name in METRICS.names():
        METRICS.get(name)
        if name not in INFO:
            raise RuntimeError(f"metric {name!r} is registered without its metadata: decorate the function "
                               "with privacy_edge.metrics.register(name, higher_is_better=...)")


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
    with stage("metrics"):
        return METRICS.get(name)(records, gold, load_metric_settings(settings_path))
