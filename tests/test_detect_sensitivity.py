"""Sensitivity score and level from hand-computed weights: min(1, sum weight(type) * score / saturation)."""

from __future__ import annotations

import pytest

from privacy_edge.detect.config import SensitivityConfig
from privacy_edge.detect.detector import sensitivity
from privacy_edge.spans import Span

CONFIG = SensitivityConfig(weights={"PERSON": 1.0, "DATETIME": 0.3}, default_weight=0.5, saturation=10.0,
                           medium=0.4, high=0.8)


def person(i, score=1.0):
    return Span(0, 1, "PERSON", score, "test", f"Person {i}")


CASES = [
    ("nothing detected", [], 0.0, "none"),
    ("one date: 0.3/10", [Span(0, 1, "DATETIME", 1.0, "t", "1 May 2001")], 0.03, "low"),
    ("repetitions count once", [person(1)] * 5, 0.1, "low"),
    ("detection score scales the weight", [person(1, 0.5)], 0.05, "low"),
    ("unknown type takes the default weight", [Span(0, 1, "IBAN", 1.0, "t", "GB82")], 0.05, "low"),
    ("4 persons reach medium exactly", [person(i) for i in range(4)], 0.4, "medium"),
    ("8 persons reach high exactly", [person(i) for i in range(8)], 0.8, "high"),
    ("saturates at 1", [person(i) for i in range(20)], 1.0, "high"),
    ("mixed: 3 persons + 2 dates = 3.6/10", [person(i) for i in range(3)]
     + [Span(0, 1, "DATETIME", 1.0, "t", d) for d in ("1990", "1991")], 0.36, "low"),
]


@pytest.mark.parametrize("name,spans,score,level", CASES, ids=[c[0] for c in CASES])
def test_sensitivity_levels(name, spans, score, level):
    got_score, got_level = sensitivity(spans, CONFIG)
    assert got_score == pytest.approx(score)
    assert got_level == level


def test_same_value_different_case_counts_once():
    a, b = Span(0, 1, "PERSON", 1.0, "t", "Tomas Vrel"), Span(0, 1, "PERSON", 1.0, "t", "TOMAS VREL")
    assert sensitivity([a, b], CONFIG)[0] == pytest.approx(0.1)
