"""Concurrent cloud requests (issue 14, item 8): the same records as one request after another, in input
order; requests really overlap; a failure stays its sample's; the egress guard holds in every worker
thread; the answer cache survives many threads. The cloud is a real HTTP server on 127.0.0.1."""

import threading
import time

import pytest
from conftest import sanitizers
from loopback import LoopbackServer, echo
from sedna_sequence import sedna_sequence
from test_egress_guard import TEXT, LeakyMask

from privacy_edge import assemble, guard
from privacy_edge.llm.base import Generation
from privacy_edge.llm.cache import AnswerCache, CachedModel, cache_key
from privacy_edge.llm.openai_chat import OpenAIChat
from privacy_edge.pipeline import EdgeSide, in_threads
from privacy_edge.record import Sample
from privacy_edge.spans import Span

QUESTION = "Against which State was this application lodged?"
PEOPLE = ["Tomas Wexley", "Ada Finch", "Greta Holm", "Nils Holm", "Ivar Lund", "Maja Berg", "Oskar Dahl",
          "Elin Sand", "Rune Falk", "Vera Moss", "Lars Ek", "Ines Rask"]


def _texts():
    out = []
    for i, name in enumerate(PEOPLE):
        if i % 4 == 3:  # nothing private: goes to the cloud raw
            out.append(f"The Court considered complaint number {i} about the length of proceedings.")
        else:
            out.append(f"The application was lodged by Mr {name}, who lives in Lindgrad, on {i + 1} May 2001.")
    return out


def _samples():
    return [Sample(f"d{i:02d}", t, QUESTION) for i, t in enumerate(_texts())]


class FakeEdge:
    """An edge model whose confidence depends on the document: some answers are final at the edge."""

    identity = {"backend": "fake-edge"}

    def generate(self, batch):
        return [Generation(text="Norway", confidence=0.9 if "Wexley" in str(m) or "Holm" in str(m) else 0.2,
                           tokens=1) for m in batch]


def _pipeline(server, router="oracle", concurrency=1, sanitizer=None, **client):
    sans = {k: sanitizer for k in ("mask", "pseudonymize", "dp")} if sanitizer else sanitizers()
    edge = EdgeSide(assemble.detector(), FakeEdge(), sans)
    cloud = OpenAIChat(server.base_url, "none", "loopback", **{"max_retries": 0, **client})
    return assemble.pipeline(edge, cloud, router, 0.5, "adaptive", concurrency)


def _stable(record):
    """A record without what differs between two runs of the same thing: the times."""
    return {k: v for k, v in record.items() if k != "timings_s"}



def test_concurrent_records_equal_sequential_ones_in_input_order():
    with LoopbackServer([("echo", 0.05)]) as server:
        sequential = _pipeline(server, concurrency=1).run(_samples())
        assert server.max_in_flight == 1
        n = len(server.requests)
        concurrent = _pipeline(server, concurrency=8).run(_samples())
        assert server.max_in_flight > 1 and len(server.requests) == 2 * n
    assert [r["doc_id"] for r in concurrent] == [f"d{i:02d}" for i in range(len(PEOPLE))]
    assert [_stable(r) for r in concurrent] == [_stable(r) for r in sequential]
    routes = {r["route"] for r in concurrent}
    assert routes == {"edge", "cloud_raw", "cloud_sanitized"}
    for r in concurrent:  # each answer is the one the server gave to that sample's own payload
        assert r["error"] is None
        if r["route"] != "edge":
            assert r["answer"] == echo([{"role": "user", "content": r["egress"]}])


def test_sedna_per_sample_calls_are_served_from_one_concurrent_dispatch():
    with LoopbackServer([("echo", 0.3)]) as server:
        sequential = _pipeline(server, concurrency=1).run(_samples())
        n = len(server.requests)
        server.max_in_flight = 0
        pipe = _pipeline(server, concurrency=8)
        started = time.perf_counter()
        records = sedna_sequence(pipe, _samples())
        wall = time.perf_counter() - started
        assert len(server.requests) == 2 * n  # every payload sent once, none twice
        assert server.max_in_flight == 8
    assert wall < 0.3 * n * 0.6  # one after another would take 0.3 s a request
    assert [_stable(r) for r in records] == [_stable(r) for r in sequential]
    assert not pipe._ahead and not pipe._pending  # everything prepared ahead was served


def test_eight_slow_requests_are_in_flight_together(capsys):
    samples = [Sample(f"d{i}", f"Complaint number {i} about the length of proceedings.", QUESTION) for i in range(8)]
    with LoopbackServer([("slow", 0.5, "Norway")]) as server:
        started = time.perf_counter()
        records = _pipeline(server, router="cloud_only", concurrency=8).run(samples)
        wall = time.perf_counter() - started
        assert server.max_in_flight == 8
    assert wall < 2.0  # sequential: 8 x 0.5 s = 4 s
    assert [r["answer"] for r in records] == ["Norway"] * 8
    assert "cloud: requests" in capsys.readouterr().err  # the dispatch shows progress


def test_failed_requests_are_recorded_per_sample_and_the_others_answered():
    samples = [Sample(f"d{i}", f"Complaint number {i} about the length of proceedings.", QUESTION) for i in range(10)]
    script = [("status", 500), ("echo", 0.05), ("echo", 0.05), ("reset",), ("echo", 0.05), ("status", 503),
              ("echo", 0.05)]
    with LoopbackServer(script) as server:
        records = _pipeline(server, router="cloud_only", concurrency=8).run(samples)
        assert len(server.requests) == 10
    assert [r["doc_id"] for r in records] == [s.doc_id for s in samples]
    failed = [r for r in records if r["error"]]
    assert len(failed) == 3
    for r in failed:
        assert r["error"].startswith("cloud failed") and r["answer"] is None and r["egress"]
    for r in records:
        if not r["error"]:
            assert r["answer"] == echo([{"role": "user", "content": r["egress"]}])


def test_a_leaking_payload_from_a_worker_thread_is_refused_and_never_reaches_the_server():
    samples = [Sample(f"d{i}", TEXT, QUESTION) for i in range(6)]
    with LoopbackServer() as server:
        records = _pipeline(server, router="cloud_sanitized", concurrency=8, sanitizer=LeakyMask()).run(samples)
        assert server.requests == []
    for r in records:
        assert r["route"] == "cloud_sanitized" and r["egress"] is None and r["answer"] is None
        assert r["error"].startswith("egress refused")


def test_worker_threads_carry_the_callers_guard_to_the_http_layer():
    """A block guarded in the caller's thread stays guarded in the workers: a request body carrying a
    forbidden value is refused by the client's HTTP hook in the worker, before any byte is sent."""
    leaking = [[{"role": "user", "content": f"Request {i} names Tomas Wexley."}] for i in range(6)]
    with LoopbackServer() as server:
        client = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)
        with guard.forbid([Span(30, 42, "PERSON", text="Tomas Wexley")]):
            results = in_threads(lambda m: client.generate([m]), leaking, 4, "test")
        assert server.requests == []
        assert all(isinstance(r, guard.EgressRefused) for r in results)
        # outside the block the same requests go out: the refusals above were the guard's
        assert all(not isinstance(r, Exception) for r in in_threads(lambda m: client.generate([m]), leaking, 4, "t"))
        assert len(server.requests) == 6


def test_answer_cache_is_safe_under_many_threads(tmp_path):
    cache = AnswerCache(tmp_path / "answers.sqlite")

    class Counting:
        identity = {"backend": "counting"}
        calls = 0

        def generate(self, batch):
            Counting.calls += len(batch)
            return [Generation(text=m[0]["content"][::-1]) for m in batch]

    model = CachedModel(Counting(), cache)
    prompts = [[{"role": "user", "content": f"prompt {i}"}] for i in range(200)]
    errors = []

    def work(offset):
        try:
            for k in range(len(prompts)):
                m = prompts[(k + offset) % len(prompts)]
                assert model.generate([m])[0].text == m[0]["content"][::-1]
        except Exception as err:  # collected: an assert in a thread would be lost
            errors.append(err)

    threads = [threading.Thread(target=work, args=(25 * i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.hits + cache.misses == 8 * len(prompts)
    assert cache.misses == Counting.calls >= len(prompts)
    fresh = AnswerCache(tmp_path / "answers.sqlite")
    assert all(fresh.get(cache_key(Counting.identity, m)) is not None for m in prompts)


def test_concurrency_is_a_cloud_setting_with_default_8():
    from privacy_edge.config import ConfigError, CloudSettings, build

    assert CloudSettings().concurrency == 8
    assert build(CloudSettings, {"concurrency": 1}, "t").concurrency == 1
    with pytest.raises(ConfigError, match="concurrency"):
        build(CloudSettings, {"concurrency": 0}, "t")
