"""95% bootstrap intervals over documents, paired across test cases.

A metric with an interval is given by its per-document *parts*: columns of numbers, one value per
document (a numerator, a denominator, an indicator of being scored), and a ``combine`` that turns the
column sums into the metric. A ratio such as SELS (leaked weight / to-mask weight) or APR (final
quality / reference quality) is resampled as a ratio: a resampled document brings its numerator and
its denominator together. The point estimate is ``combine`` of the full sums, so the metric and its
interval can never disagree on the definition.

Pairing: documents are put in doc_id order and resample b draws the same positions for every test
case (the index matrix depends on the number of documents and the seed only), so every row of the rank
CSV is resampled over the same documents: differences between rows are not resampling noise.
Intervals are percentile intervals of the resampled values; resamples where the metric is undefined
(nothing scored in them) are left out, and an interval is NaN when every resample is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

from ..profile import stage
from .registry import register

RESAMPLES = 1000
SEED = 0
LEVEL = 0.95

Sums = Mapping[str, np.ndarray]
Combine = Callable[[Sums], np.ndarray]


@dataclass
class Parts:
    """Per-document columns (one value per document, in ``doc_ids`` order) and how their sums make the metric."""

    doc_ids: Sequence[str]
    columns: dict[str, np.ndarray]
    combine: Combine = field(repr=False)
    # The point estimate when there is nothing to score (SELS with no to-mask mention: 0.0); a resample
    # with nothing to score is undefined whatever this says, and left out of the interval.
    empty: float = math.nan

    def __post_init__(self):
        self.columns = {k: np.asarray(v, dtype=float) for k, v in self.columns.items()}
        for k, v in self.columns.items():
            if v.shape != (len(self.doc_ids),):
                raise ValueError(f"column {k}: {v.shape[0] if v.ndim else 0} values "
                                 f"for {len(self.doc_ids)} documents")

    def point(self) -> float:
        value = float(self.combine({k: np.array([v.sum()]) for k, v in self.columns.items()})[0])
        return self.empty if math.isnan(value) else value


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den elementwise; NaN where den is 0 (nothing to score)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), math.nan)


def ratio_of(num: str, den: str) -> Combine:
    return lambda s: ratio(s[num], s[den])


def indices(n: int, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """The (resamples, n) matrix of document positions: a function of n and the seed only (the pairing)."""
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def resampled(parts: Parts, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """The metric on each bootstrap resample of the documents (NaN where it is undefined)."""
    n = len(parts.doc_ids)
    if n == 0:
        return np.full(resamples, math.nan)
    order = np.argsort(np.asarray([str(d) for d in parts.doc_ids]), kind="stable")
    idx = order[indices(n, resamples, seed)]
    return np.asarray(parts.combine({k: v[idx].sum(axis=1) for k, v in parts.columns.items()}), dtype=float)


def interval(parts: Parts, resamples: int = RESAMPLES, seed: int = SEED,
             level: float = LEVEL) -> tuple[float, float]:
    """The percentile bootstrap interval (lo, hi) at ``level``; (NaN, NaN) when the metric is undefined."""
    with stage("metrics: bootstrap"):
        values = resampled(parts, resamples, seed)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return math.nan, math.nan
    tail = 100 * (1 - level) / 2
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def settings_of(settings) -> tuple[int, int]:
    return (getattr(settings, "bootstrap_resamples", RESAMPLES) if settings is not None else RESAMPLES,
            getattr(settings, "bootstrap_seed", SEED) if settings is not None else SEED)


PartsFn = Callable[..., Parts]
PARTS: dict[str, PartsFn] = {}


def register_interval(name: str, higher_is_better: bool):
    """Register ``name_lo`` and ``name_hi`` for a metric given by ``parts_fn(records, gold, settings,
    fresh)``: called with fresh=False, so a model-backed metric reuses the per-sample outcomes its
    point estimate was computed from instead of asking the model again."""

    def add(parts_fn: PartsFn) -> PartsFn:
        PARTS[name] = parts_fn

        def bound(which: int):
            def metric(records, gold, settings=None) -> float:
                resamples, seed = settings_of(settings)
                return interval(parts_fn(records, gold, settings, fresh=False), resamples, seed)[which]

            metric.__name__ = f"{name}_{'lo' if which == 0 else 'hi'}"
            metric.__doc__ = f"The {'lower' if which == 0 else 'upper'} end of {name}'s 95% bootstrap interval."
            return metric

        register(f"{name}_lo", higher_is_better, of=name, role="lo")(bound(0))
        register(f"{name}_hi", higher_is_better, of=name, role="hi")(bound(1))
        return parts_fn

    return add


def doc_ids(records: Sequence[dict], gold: Sequence[dict]) -> list[str]:
    return [str(g.get("doc_id", r.get("doc_id", i))) for i, (r, g) in enumerate(zip(records, gold))]
