"""The metric registry: each metric a plain function of (records, gold, settings), registered under the
name users see in the rank CSV with its metadata (``register``); installed packages add theirs by the
entry-point group ``privacy_edge.metrics`` (docs/extending.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..registry import Registry

MetricFn = Callable[[Sequence[dict], Sequence[dict], Any], float]
METRICS: Registry[MetricFn] = Registry("metric", entry_points="privacy_edge.metrics")


@dataclass(frozen=True)
class MetricInfo:
    """What reports need to know of a registered metric."""

    name: str
    higher_is_better: bool
    order: int | None = None  # position among the headline metrics; None for a companion column
    of: str | None = None  # the headline metric a companion column belongs to
    # "value", "count" (samples scored), "lo" or "hi" (interval bounds), "raw" (the same on raw text:
    # an attack's calibration), "attacks" (which attacks a resistance counted)
    role: str = "value"


INFO: dict[str, MetricInfo] = {}


def register(name: str, higher_is_better: bool, order: int | None = None, of: str | None = None,
             role: str = "value"):
    def add(fn: MetricFn) -> MetricFn:
        METRICS.register(name, fn)
        INFO[name] = MetricInfo(name, higher_is_better, order, of, role)
        return fn

    return add
