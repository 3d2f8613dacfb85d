"""What people paste (records, forms, e-mail headers, chat messages, markup, other scripts, numbers
in pieces) under every method: no identifier may reach the egress. Leaks are judged by
tests/egress_judge.py, which shares no code, table or reading with privacy_edge.matching or the
detection view (unidecode transliteration, an alphanumeric skeleton, runs of tokens)."""

from __future__ import annotations

import json

import pytest
from egress_judge import leaked
from loopback import LoopbackServer
from pasted_cases import CASES, LOOKALIKES

from conftest import sanitizers
from privacy_edge import assemble, guard
from privacy_edge.llm.openai_chat import OpenAIChat
from privacy_edge.pipeline import with_question
from privacy_edge.record import Sample
from privacy_edge.spans import Span

METHODS = ("mask", "pseudonymize", "dp")
MAX_OVER_MASKED = 6  # of the look-alike words; 26 before the lexicon of products and services


@pytest.fixture(scope="module")
def detected():
    detector = assemble.detector()
    out = {}
    for case in CASES:
        det, _ = with_question(detector, Sample("x", case.text, case.question), detector.detect(case.text))
        out[case.text] = det
    return out


@pytest.mark.parametrize("case", CASES, ids=[f"{c.category}-{i}" for i, c in enumerate(CASES)])
def test_no_identifier_survives_any_method(case, detected):
    built = sanitizers()
    for method in METHODS:
        out = built[method].sanitize(case.text, detected[case.text].spans).text
        assert leaked(out, case.secrets) == [], (method, out, [s.text for s in detected[case.text].spans])


def test_the_judge_sees_the_forms_it_must():
    """The judge itself: spacing, dotted letters, other scripts and number layouts count as the value."""
    assert leaked("Mr Pet rov and P.E.T.R.O.V.", ["Petrov"]) == ["Petrov"]
    assert leaked("Он Коваль", ["Koval"]) == ["Koval"] and leaked("Mr Koval", ["Коваль"]) == ["Коваль"]
    assert leaked("call +44 20 7946 0958", ["020 7946 0958"]) == ["020 7946 0958"]
    assert leaked("financial [PERSON_1] met [PERSON_2]", ["Inan", "Ivan Petrov"]) == []


def test_look_alikes_stay_as_written_mostly():
    detector = assemble.detector()
    over = []
    for text, words in LOOKALIKES:
        spans = detector.detect(text).spans
        over += [w for w in words if any(s.start <= text.index(w) < s.end for s in spans)]
    assert len(over) <= MAX_OVER_MASKED, over


@pytest.mark.slow
def test_the_pipeline_sends_none_of_them_under_any_policy():
    """End to end through the library API against a loopback cloud that records every request body;
    minimization too. A refused request (the guard) sends nothing and is no leak, but none is refused."""
    cases = [c for c in CASES if c.category in ("json", "csv", "email", "message", "script", "pieces", "question")]
    samples = [Sample(f"d{i}", c.text, c.question) for i, c in enumerate(cases)]
    secrets = {s.doc_id: c.secrets for s, c in zip(samples, cases)}
    for policy in ("mask", "pseudonymize", "dp", "minimize+mask"):
        with LoopbackServer() as server:
            cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)
            edge = assemble.edge_side({"minimize.share": 0.5}, model=None)
            edge.sanitizers = sanitizers()
            records = assemble.pipeline(edge, cloud, "cloud_sanitized", 0.5, policy).run(samples)
            bodies = [json.dumps(r, ensure_ascii=False) for r in server.requests]
        assert [r["error"] for r in records] == [None] * len(records), policy
        for r in records:
            assert leaked(r["egress"], secrets[r["doc_id"]]) == [], (policy, r["egress"])
        sent = [r for r in records if r["egress"]]
        assert len(sent) == len(bodies)  # one request a sample, in order (concurrency 1)
        for r, body in zip(sent, bodies):  # the exact bytes, escapes decoded by json.dumps(ensure_ascii=False)
            assert leaked(body, secrets[r["doc_id"]]) == [], (policy, body[:300])


def test_the_guard_refuses_a_name_in_another_script_and_a_number_in_another_layout():
    def spans(*values):
        return [Span(0, len(v), "PERSON", 1.0, "test", v) for v in values]

    with guard.forbid(spans("Koval", "020 7946 0958")):
        for payload in ("Пан Коваль прийшов", "call 02079460958", "call +44 (0)20 7946 0958"):
            with pytest.raises(guard.EgressRefused):
                guard.check(payload)
        guard.check("Mr [PERSON_1] called [PHONE_1] on 20 May")
    with guard.forbid(spans("Коваленко")):
        with pytest.raises(guard.EgressRefused):
            guard.check("Mr Kovalenko came")
