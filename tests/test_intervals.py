"""Bootstrap intervals over documents (privacy_edge/metrics/intervals.py) and the _lo/_hi metrics."""

import math

import numpy as np
import pytest

from privacy_edge.metrics import INFO, METRICS, companions, headline, load_all
from privacy_edge.metrics.intervals import PARTS, Parts, indices, interval, ratio_of, resampled
from privacy_edge.metrics.performance import failed
from privacy_edge.metrics.privacy import pdr, sels, sels_parts
from privacy_edge.metrics.settings import MetricSettings

INTERVAL_METRICS = ["PDR", "SELS", "IAR", "ASR-LLM", "ASR-Link", "CPP", "APR", "Accuracy", "LO", "TI", "Failed", "Kept"]


def share(hits) -> Parts:
    return Parts([f"d{i:03d}" for i in range(len(hits))], {"hit": hits, "one": [1] * len(hits)},
                 ratio_of("hit", "one"))


def test_every_rate_has_registered_lo_and_hi_metrics_with_its_direction():
    load_all()
    for name in INTERVAL_METRICS:
        assert name in PARTS, name
        for bound in ("_lo", "_hi"):
            assert name + bound in METRICS.names(), name + bound
            assert INFO[name + bound].higher_is_better == INFO[name].higher_is_better
            assert INFO[name + bound].of == name
    assert sorted(companions("lo")) == sorted(INTERVAL_METRICS) == sorted(companions("hi"))


def test_the_registry_gives_the_seven_metrics_in_display_order_with_their_direction():
    names = headline()
    assert names[:7] == ["PDR", "SELS", "IAR", "ASR-LLM", "ASR-Link", "CPP", "APR"]
    assert not any(n.endswith(("_lo", "_hi", "_n")) for n in names)
    assert INFO["SELS"].higher_is_better is False and INFO["IAR"].higher_is_better is True
    assert companions("count") == {m: f"{m}_n" for m in ("ASR-LLM", "ASR-Link", "CPP", "APR")}


def test_interval_contains_the_point_estimate_and_shrinks_with_more_documents():
    rng = np.random.default_rng(1)
    widths = []
    for n in (16, 64, 256):
        parts = share(rng.random(n) < 0.3)
        lo, hi = interval(parts)
        assert lo <= parts.point() <= hi
        widths.append(hi - lo)
    assert widths[0] > widths[1] > widths[2] > 0


def test_interval_of_a_known_distribution_matches_the_normal_approximation():
    # 400 Bernoulli(0.25) documents: the 95% interval of the mean is about p +- 1.96 sqrt(p(1-p)/n).
    hits = np.zeros(400)
    hits[:100] = 1
    lo, hi = interval(share(hits), resamples=4000)
    half = 1.96 * math.sqrt(0.25 * 0.75 / 400)
    assert lo == pytest.approx(0.25 - half, abs=0.01) and hi == pytest.approx(0.25 + half, abs=0.01)


def test_resampled_indices_are_identical_across_test_cases_and_paired_by_document():
    assert np.array_equal(indices(16), indices(16))  # a function of n and the seed only
    assert not np.array_equal(indices(16, seed=0), indices(16, seed=1))
    # Two test cases over the same documents, listed in different orders: the same resamples, so a case
    # whose per-document values equal another's gives the very same bootstrap values.
    values = [0.0, 1.0, 1.0, 0.0, 1.0]
    a = Parts(["a", "b", "c", "d", "e"], {"hit": values, "one": [1] * 5}, ratio_of("hit", "one"))
    b = Parts(["e", "d", "c", "b", "a"], {"hit": values[::-1], "one": [1] * 5}, ratio_of("hit", "one"))
    assert np.array_equal(resampled(a), resampled(b))
    # A row that leaks on a superset of another's documents is never below it in any resample.
    c = Parts(["a", "b", "c", "d", "e"], {"hit": [1.0, 1.0, 1.0, 0.0, 1.0], "one": [1] * 5}, ratio_of("hit", "one"))
    assert (resampled(c) >= resampled(a)).all()


def test_a_ratio_resamples_numerator_and_denominator_together():
    # One document holds all the weight and all the leak: every resample that contains it gives 1.0,
    # every other gives 0.0 (never a mixed ratio from numerator and denominator of different documents).
    parts = Parts(["a", "b", "c"], {"leak": [3.0, 0.0, 0.0], "total": [3.0, 1.0, 1.0]}, ratio_of("leak", "total"))
    values = resampled(parts)
    counts = indices(3)
    a_draws = (np.argsort(["a", "b", "c"])[counts] == 0).sum(axis=1)
    expected = np.where(a_draws > 0, 3.0 * a_draws / (3.0 * a_draws + (3 - a_draws)), 0.0)
    assert np.allclose(values, expected)


def test_undefined_resamples_are_left_out_and_nothing_scored_gives_nan():
    assert all(math.isnan(x) for x in interval(Parts([], {"hit": [], "one": []}, ratio_of("hit", "one"))))
    nothing = Parts(["a", "b"], {"hit": [0, 0], "one": [0, 0]}, ratio_of("hit", "one"))
    assert math.isnan(nothing.point()) and all(math.isnan(x) for x in interval(nothing))
    # SELS's point is 0.0 with nothing to leak, but a resample holding only such documents is undefined,
    # not a resample without leaks: raw text that leaks every mention has the interval [1, 1].
    raw = Parts(["a", "b", "c"], {"leak": [2.0, 0.0, 1.5], "total": [2.0, 0.0, 1.5]}, ratio_of("leak", "total"),
                empty=0.0)
    assert raw.point() == 1.0 and interval(raw) == (1.0, 1.0)
    assert Parts(["b"], {"leak": [0.0], "total": [0.0]}, ratio_of("leak", "total"), empty=0.0).point() == 0.0


GOLD = [{"doc_id": f"d{i}", "mentions": [
    {"start": 0, "end": 5, "span_text": f"Name{i}", "entity_type": "PERSON", "identifier_type": "DIRECT"},
    {"start": 10, "end": 14, "span_text": "Oslo", "entity_type": "LOC", "identifier_type": "QUASI"}]}
    for i in range(8)]


def test_point_of_the_parts_is_the_registered_metric_and_the_bounds_surround_it():
    records = [{"doc_id": f"d{i}", "egress": f"Name{i} was here" if i % 3 == 0 else "nothing",
                "detected": [{"start": 0, "end": 5}] if i % 2 else [], "error": "x" if i == 5 else None}
               for i in range(8)]
    settings = MetricSettings(background=None)
    load_all()
    for name, fn in (("SELS", sels), ("PDR", pdr), ("Failed", failed)):
        point = fn(records, GOLD, settings)
        lo = METRICS.get(name + "_lo")(records, GOLD, settings)
        hi = METRICS.get(name + "_hi")(records, GOLD, settings)
        assert lo <= point <= hi and lo < hi, name
    assert sels_parts(records, GOLD, settings).point() == pytest.approx(3 / 12)  # 3 DIRECT leaks of 8 * 1.5


def test_apr_parts_are_the_paired_scores_whose_ratio_is_apr():
    from privacy_edge.metrics.utility import preservation, scores

    gold = [{"doc_id": d, "task": {"name": "respondent_state", "reference": [c]}} for d, c in
            (("a", "NOR"), ("b", "SWE"), ("c", "GBR"))]
    final, reference = ["Norway", None, "United Kingdom"], ["Kingdom of Norway", None, "France"]
    f, r = scores(final, reference, gold)
    assert (f, r) == ([1.0, 0.0, 1.0], [1.0, 0.0, 0.0])  # b is unpaired (no reference answer): 0 on both sides
    parts = Parts(["a", "b", "c"], {"final": f, "ref": r}, ratio_of("final", "ref"))
    assert parts.point() == pytest.approx(preservation(final, reference, gold)) == pytest.approx(2.0)
