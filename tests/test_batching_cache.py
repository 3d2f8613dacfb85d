"""Batched edge inference inside the workflow equals one-at-a-time greedy generation, and the answer
cache gives identical records on a second run and misses when a generation parameter changes."""

import pytest
from conftest import sanitizers


from privacy_edge import assemble
from privacy_edge.llm.cache import AnswerCache, CachedModel
from privacy_edge.llm.huggingface import EMBEDDED, HuggingFaceChat
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample

pytestmark = pytest.mark.slow

QUESTION = "Against which State was this application lodged?"
TEXTS = [
    "The case originated in an application (no. 12345/67) against the Kingdom of Norway lodged by Mr Tomas Wexley.",
    "The case originated in an application against the Republic of Poland lodged by Ms Ada Finch, born in 1961.",
    "The applicant, Mrs Greta Holm, lives in Uppvik. She complained about the length of the proceedings "
    "before the Uppvik District Court, which lasted from March 2002 until 2009, against the Kingdom of Sweden.",
    "The application was lodged against the United Kingdom by Mr Nils Holm on 9 January 2004.",
    "The applicant was born in 1950 and lives in Lindgrad.",
]


def _samples():
    return [Sample(f"d{i}", t, QUESTION) for i, t in enumerate(TEXTS)]


def _strip(record):
    r = {k: v for k, v in record.items() if k != "timings_s"}
    for side in ("edge", "cloud"):
        if r.get(side):
            r[side] = {k: v for k, v in r[side].items() if k != "cached"}
    return r


def _edge(chat, cache=None):
    return EdgeSide(assemble.detector(), CachedModel(chat, cache), sanitizers())


def test_batched_prefetch_gives_the_same_records_as_one_sample_at_a_time():
    chat = HuggingFaceChat(EMBEDDED, max_new_tokens=10, batch_size=4)
    batched = assemble.pipeline(_edge(chat), None, "edge_only", 0.5).run(_samples())  # prefetches the set
    one_by_one = []
    for s in _samples():
        pipe = assemble.pipeline(_edge(chat), None, "edge_only", 0.5)
        trace = pipe.edge_step(s)  # no prefetch: the model sees this sample alone
        pipe.route(trace)
        one_by_one.append(trace.to_record())
    assert [r["answer"] for r in batched] == [r["answer"] for r in one_by_one]
    for b, o in zip(batched, one_by_one):
        assert b["edge"]["confidence"] == pytest.approx(o["edge"]["confidence"], abs=1e-3)


def test_cache_gives_identical_records_and_misses_on_a_changed_parameter(tmp_path):
    cache = AnswerCache(tmp_path / "answers.sqlite")
    chat = HuggingFaceChat(EMBEDDED, max_new_tokens=10, batch_size=4)
    first = assemble.pipeline(_edge(chat, cache), None, "edge_only", 0.5).run(_samples())
    misses = cache.misses
    second = assemble.pipeline(_edge(chat, cache), None, "edge_only", 0.5).run(_samples())
    assert cache.misses == misses and cache.hits >= len(TEXTS)
    assert [_strip(r) for r in first] == [_strip(r) for r in second]
    assert all(r["edge"]["cached"] for r in second)
    assert [r["timings_s"]["edge"] for r in first] == [r["timings_s"]["edge"] for r in second]  # cost as measured
    longer = HuggingFaceChat(EMBEDDED, max_new_tokens=11, batch_size=4)
    assemble.pipeline(_edge(longer, cache), None, "edge_only", 0.5).run(_samples())
    assert cache.misses == misses + len(TEXTS)
