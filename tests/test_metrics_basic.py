"""PDR, SELS and LO on hand-built records whose values were computed by hand."""

import pytest

from privacy_edge.metrics.performance import lo
from privacy_edge.metrics.privacy import pdr, sels

GOLD = [
    {"doc_id": "a", "mentions": [
        {"start": 0, "end": 15, "span_text": "Mr Tomas Wexley", "entity_type": "PERSON", "identifier_type": "DIRECT"},
        {"start": 30, "end": 38, "span_text": "Lindgrad", "entity_type": "LOC", "identifier_type": "QUASI"},
        {"start": 50, "end": 54, "span_text": "1961", "entity_type": "DATETIME", "identifier_type": "QUASI"},
        {"start": 60, "end": 69, "span_text": "the Court", "entity_type": "ORG", "identifier_type": "NO_MASK"},
    ]},
    {"doc_id": "b", "mentions": [
        {"start": 5, "end": 12, "span_text": "2201/04", "entity_type": "CODE", "identifier_type": "DIRECT"},
    ]},
]


def _rec(doc_id, detected, egress, timings=None, route="cloud_sanitized"):
    return {"doc_id": doc_id, "route": route, "detected": detected, "egress": egress,
            "timings_s": timings or {"detect": 0.0, "sanitize": 0.0, "restore": 0.0}}


def test_pdr_counts_mentions_whose_word_characters_are_covered_title_ignored():
    records = [
        _rec("a", [{"start": 3, "end": 15}, {"start": 30, "end": 35}], None),  # name without "Mr": covered; Lindgrad half
        _rec("b", [{"start": 5, "end": 12}], None),
    ]
    assert pdr(records, GOLD) == pytest.approx(2 / 4)  # NO_MASK never counts


def test_pdr_of_a_failed_detection_is_zero_for_that_sample():
    records = [_rec("a", [], None), _rec("b", [], None)]
    assert pdr(records, GOLD) == 0.0


def test_sels_weights_direct_one_and_quasi_half_and_no_egress_leaks_nothing():
    records = [
        _rec("a", [], "Q: who? Case: MR TOMAS WEXLEY was born in [DATETIME_1] in Lindgrad."),
        _rec("b", [], None, route="edge"),
    ]
    # leaked: Mr Tomas Wexley (1.0, case-insensitive), Lindgrad (0.5); not 1961 (0.5) nor 2201/04 (1.0, no egress)
    assert sels(records, GOLD) == pytest.approx(1.5 / 3.0)


def test_sels_matches_whole_words_only():
    records = [_rec("a", [], "19610 Lindgradian"), _rec("b", [], "22201/045")]
    assert sels(records, GOLD) == 0.0


def test_lo_is_mean_privacy_seconds_per_sample():
    records = [
        _rec("a", [], None, {"detect": 0.1, "sanitize": 0.2, "restore": 0.1, "edge": 5.0, "cloud": 3.0}),
        _rec("b", [], None, {"detect": 0.2, "sanitize": 0.0, "restore": 0.0, "edge": 1.0, "cloud": 0.0}),
    ]
    assert lo(records, GOLD) == pytest.approx(0.3)
