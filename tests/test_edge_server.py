"""The edge served by an OpenAI-compatible server: the real llama.cpp server on 127.0.0.1 (xllamacpp),
and a loopback stand-in only for what llama.cpp cannot be made to do (answer without log-probs)."""

import math
import time

import pytest
from conftest import sanitizers
from loopback import LoopbackServer

from privacy_edge import assemble
from privacy_edge.config import EdgeSettings
from privacy_edge.llm.base import build_messages
from privacy_edge.llm.cache import AnswerCache, CachedModel, cache_key
from privacy_edge.llm.edge_server import EdgeServerError, ServedEdgeChat
from privacy_edge.llm.llama_server import MODEL_ALIAS
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample

pytestmark = pytest.mark.slow

QUESTION = "Against which State was this application lodged?"
TEXTS = [
    "The case originated in an application against the Kingdom of Norway lodged by Mr Tomas Wexley.",
    "The case originated in an application against the Republic of Poland lodged by Ms Ada Finch.",
    "The applicant, Mrs Greta Holm, lives in Uppvik and complained against the Kingdom of Sweden.",
    "The application was lodged against the United Kingdom by Mr Nils Holm on 9 January 2004.",
]


def _samples():
    return [Sample(f"d{i}", t, QUESTION) for i, t in enumerate(TEXTS)]


def _run(model, router="edge_only", cloud=None):
    return assemble.pipeline(EdgeSide(assemble.detector(), model, sanitizers()), cloud, router, 0.5).run(_samples())


def test_concurrent_answers_come_back_in_input_order_with_confidence_from_server_logprobs(llama_server):
    prompts = [build_messages(QUESTION, t) for t in TEXTS]
    concurrent = ServedEdgeChat(llama_server.base_url, "", MODEL_ALIAS, max_new_tokens=8, concurrency=4)
    one_by_one = ServedEdgeChat(llama_server.base_url, "", MODEL_ALIAS, max_new_tokens=8, concurrency=1)
    gens = concurrent.generate(prompts)
    assert [g.text for g in gens] == [one_by_one.generate([p])[0].text for p in prompts]
    from openai import OpenAI  # the definition, from the server's own log-probs

    raw = OpenAI(base_url=llama_server.base_url, api_key="none").chat.completions.create(
        model=MODEL_ALIAS, messages=prompts[0], max_tokens=8, temperature=0.0, seed=0, logprobs=True)
    lps = [t.logprob for t in raw.choices[0].logprobs.content]
    # llama.cpp reuses a slot's cached prompt prefix, which shifts log-probs by up to ~1% between requests
    assert gens[0].confidence == pytest.approx(math.exp(sum(lps) / len(lps)), abs=0.02)
    assert all(0.0 < g.confidence <= 1.0 and g.tokens > 0 for g in gens)


def test_env_vars_switch_the_edge_to_the_server_and_the_cache_tells_it_from_local_answers(
        llama_server, monkeypatch, tmp_path):
    monkeypatch.setenv("EDGE_API_BASE", llama_server.base_url)
    monkeypatch.setenv("EDGE_API_KEY", "unused-by-llama.cpp")
    monkeypatch.setenv("EDGE_MODEL", MODEL_ALIAS)
    cache = AnswerCache(tmp_path / "answers.sqlite")
    served = assemble.edge_model(EdgeSettings(max_new_tokens=8), cache)
    assert isinstance(served.model, ServedEdgeChat) and served.identity["model"] == MODEL_ALIAS
    records = _run(served)
    assert all(r["error"] is None and r["answer"] and 0 < r["edge"]["confidence"] <= 1 for r in records)
    assert all(r["edge"]["cached"] for r in _run(served))  # the answer cache works as for a local model
    local = assemble.edge_model(EdgeSettings(max_new_tokens=8, backend="huggingface"), cache)
    msgs = build_messages(QUESTION, TEXTS[0])
    assert cache_key(local.identity, msgs) != cache_key(served.identity, msgs)
    monkeypatch.delenv("EDGE_MODEL")
    with pytest.raises(EdgeServerError, match="EDGE_MODEL"):
        assemble.edge_model(EdgeSettings())


def test_a_server_without_logprobs_is_a_clear_error_per_sample_or_routes_to_the_cloud_when_allowed():
    with LoopbackServer([("ok", "Norway")]) as server:
        strict = CachedModel(ServedEdgeChat(server.base_url, "", "loopback", max_retries=0), None)
        records = _run(strict)
        assert all("no log-probabilities" in r["edge"]["error"] and r["answer"] is None for r in records)
        from privacy_edge.llm.openai_chat import OpenAIChat

        lenient = CachedModel(ServedEdgeChat(server.base_url, "", "loopback", require_logprobs=False), None)
        cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)  # guarded, as always
        records = _run(lenient, router="confidence", cloud=cloud)
        assert all(r["edge"]["confidence"] is None and r["route"] == "cloud_sanitized" for r in records)
        assert all(r["error"] is None for r in records)


def test_a_server_dying_mid_run_costs_only_the_samples_it_did_not_answer(tmp_path):
    from privacy_edge.llm.huggingface import embedded_gguf
    from privacy_edge.llm.llama_server import LlamaServer

    server = LlamaServer(embedded_gguf(), n_ctx=2048, n_parallel=1).start()
    chat = ServedEdgeChat(server.base_url, "", MODEL_ALIAS, max_new_tokens=6, concurrency=1, max_retries=0,
                          timeout_s=10)
    answered = []
    ask = chat._chat.generate

    def ask_then_die(batch):  # a real death: the server is stopped after its second answer
        out = ask(batch)
        answered.append(out)
        if len(answered) == 2:
            server.stop()
        return out

    chat._chat.generate = ask_then_die
    cache = AnswerCache(tmp_path / "answers.sqlite")
    model = CachedModel(chat, cache)
    try:
        records = _run(model)
    finally:
        server.stop()
    assert [r["answer"] is not None for r in records] == [True, True, False, False]
    assert all("edge server unreachable" in r["edge"]["error"] for r in records[2:])
    again = _run(model)  # the server is still down: what it answered is kept, from the cache
    assert [r["answer"] for r in again[:2]] == [r["answer"] for r in records[:2]]
    assert all(r["edge"]["cached"] for r in again[:2]) and all(r["error"] for r in again[2:])


def test_concurrent_answers_share_the_batch_wall_time_instead_of_counting_the_queue():
    with LoopbackServer([("slow", 0.3, "Norway")]) as server:
        chat = ServedEdgeChat(server.base_url, "", "loopback", concurrency=4, require_logprobs=False)
        started = time.perf_counter()
        gens = chat.generate([build_messages(QUESTION, t) for t in TEXTS])
        wall = time.perf_counter() - started
    assert len(server.requests) == 4 and sum(g.seconds for g in gens) == pytest.approx(wall, rel=0.2)
