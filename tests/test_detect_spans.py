"""Span stages: overlap resolution (a pair table), trimming, filtering and propagation."""

from __future__ import annotations

import pytest

from privacy_edge.detect.filters import SpanFilter
from privacy_edge.detect.propagate import propagate
from privacy_edge.detect.trim import trim_span
from privacy_edge.spans import Span, resolve_overlaps


def S(start, end, etype="ORG", score=0.5, source="test"):
    return Span(start, end, etype, score, source)


# (a, b, expected (start, end, type, score) after resolution)
PAIRS = [
    ("disjoint", S(0, 5, "PERSON"), S(6, 10, "LOC"), [(0, 5, "PERSON", 0.5), (6, 10, "LOC", 0.5)]),
    ("touching", S(0, 5, "PERSON"), S(5, 9, "LOC"), [(0, 5, "PERSON", 0.5), (5, 9, "LOC", 0.5)]),
    ("contained, inner scores higher", S(0, 10, "ORG", 0.7), S(2, 5, "PERSON", 0.9), [(0, 10, "PERSON", 0.9)]),
    ("contained, outer scores higher", S(0, 10, "ORG", 0.9), S(2, 5, "PERSON", 0.7), [(0, 10, "ORG", 0.9)]),
    ("equal span, higher score wins", S(0, 5, "ORG", 0.85), S(0, 5, "PERSON", 0.9), [(0, 5, "PERSON", 0.9)]),
    ("partial overlap, union", S(0, 6, "DATETIME", 0.5), S(4, 10, "QUANTITY", 0.8), [(0, 10, "QUANTITY", 0.8)]),
    ("partial overlap, tie goes to the longer", S(0, 8, "ORG", 0.5), S(6, 10, "LOC", 0.5), [(0, 10, "ORG", 0.5)]),
]


@pytest.mark.parametrize("name,a,b,expected", PAIRS, ids=[p[0] for p in PAIRS])
def test_resolve_overlaps_pairs(name, a, b, expected):
    for pair in ((a, b), (b, a)):  # order of the input never matters
        got = [(s.start, s.end, s.entity_type, s.score) for s in resolve_overlaps(pair)]
        assert got == expected


def test_resolve_overlaps_chains_and_drops_empty_spans():
    spans = [S(6, 9), S(0, 4), S(3, 7), S(12, 12)]
    assert [(s.start, s.end) for s in resolve_overlaps(spans)] == [(0, 9)]


def test_resolve_overlaps_attaches_text_and_returns_new_spans():
    text = "Mr Tomas Vrel"
    original = S(3, 13, "PERSON")
    (merged,) = resolve_overlaps([original, S(0, 8, "PERSON", 0.4)], text)
    assert merged.text == "Mr Tomas Vrel" and original.text == ""


@pytest.mark.parametrize("text,span,expected", [
    ("by the Supreme Court.", (3, 20), "Supreme Court"),
    ("Dr Harlow\u2019s wife", (0, 10), "Dr Harlow"),
    ("the Court (Rule 21 § 4)", (0, 18), "Court"),
    (" Ankara ", (0, 8), "Ankara"),
])
def test_trim_span(text, span, expected):
    trimmed = trim_span(text, S(*span))
    assert text[trimmed.start : trimmed.end] == expected


def test_trim_span_to_nothing_is_none():
    assert trim_span("the ", S(0, 4)) is None


@pytest.mark.parametrize("surface,etype,kept", [
    ("Supreme Court", "ORG", False),            # generic public body
    ("Turkish Government", "ORG", False),       # a demonym is generic too
    ("Ministry of Justice", "ORG", False),
    ("Ankara State Security Court", "ORG", True),  # a place makes it specific
    ("Supreme Court", "LOC", True),             # only the configured types are checked
    ("the Court", "ORG", False),                # exact ignore list, case-insensitive
    ("Article 6", "MISC", False),               # ignore_patterns match the whole span
    ("Article 6 applicant", "MISC", True),
])
def test_span_filter(surface, etype, kept):
    f = SpanFilter(ignore=["The Court"], patterns=[r"Articles? \d+"], public_body_types=["ORG"])
    assert f.keep(surface, S(0, len(surface), etype)) is kept


def test_span_filter_drops_numbers_of_legal_provisions_but_not_codes():
    text = "Articles 44 and 48 and application no. 36110/97"
    f = SpanFilter()
    i = text.index("48")
    assert not f.keep(text, S(i, i + 2, "DATETIME"))
    j = text.index("36110/97")
    assert f.keep(text, S(j, j + 8, "CODE"))


def test_span_filter_min_score():
    assert not SpanFilter(min_score=0.6).keep("Ankara", S(0, 6, "LOC", 0.5))


def test_propagate_finds_other_occurrences_as_whole_words():
    text = "Dr Carrow wrote. Later Dr Carrow left; Carrowfield stayed."
    found = propagate(text, [S(0, 10, "PERSON", 0.8)], types=["PERSON"])
    assert [(text[s.start : s.end], s.source) for s in found] == [("Dr Carrow", "propagate")] * 2
    assert all(s.score == pytest.approx(0.72) for s in found)


def test_propagate_titled_name_without_title_and_only_listed_types():
    text = "Mr Arif Demirel and Selim Aras. Then Arif Demirel went to Ankara. Ankara again."
    spans = [S(0, 15, "PERSON", 0.9), S(60, 66, "LOC", 0.85)]
    found = propagate(text, spans, types=["PERSON"])
    assert "Arif Demirel" in [text[s.start : s.end] for s in found]
    assert all(s.entity_type == "PERSON" for s in found)


def test_propagate_skips_short_and_lowercase_values():
    text = "IRA and the ira; ab and ab"
    assert propagate(text, [S(12, 15, "ORG"), S(17, 19, "ORG")], types=["ORG"]) == []
