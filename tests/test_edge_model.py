"""The edge model: the embedded SmolLM2 from the installed package, greedy, with a confidence."""

import pytest

from privacy_edge.llm.base import build_messages
from privacy_edge.llm.huggingface import EMBEDDED, resolve_model

pytestmark = pytest.mark.slow

PROMPTS = [
    build_messages("Against which State was the application lodged?",
                   "The case originated in an application against the Kingdom of Norway."),
    build_messages("What is the capital of France?", "France is a country in Europe; Paris is its capital."),
    build_messages("How many applicants are there?",
                   "The case originated in an application lodged by two nationals of Iceland, a brother and a "
                   "sister, who complained about the length of proceedings concerning their late father's estate."),
]


def test_answers_with_confidence_in_unit_interval(edge_chat):
    gens = edge_chat.generate(PROMPTS)
    assert len(gens) == 3
    for g in gens:
        assert g.text and 0.0 < g.confidence <= 1.0 and 0 < g.tokens <= 12 and g.prompt_tokens > 10


def test_batched_answers_equal_one_at_a_time(edge_chat):
    """Greedy decoding with left padding must not change any answer (README "Scale-out", batching)."""
    batched = edge_chat.generate(PROMPTS)
    single = [edge_chat.generate([p])[0] for p in PROMPTS]
    assert [g.text for g in batched] == [g.text for g in single]
    for b, s in zip(batched, single):
        assert b.confidence == pytest.approx(s.confidence, abs=1e-3)


def test_models_are_never_downloaded(tmp_path):
    with pytest.raises(RuntimeError, match="never downloaded"):
        resolve_model("HuggingFaceTB/SmolLM2-135M-Instruct")
    assert resolve_model(EMBEDDED).gguf_file.endswith(".gguf")


def test_bucketed_static_batches_with_filler_rows_equal_one_at_a_time(edge_chat):
    """Padding to a length bucket and filling a fixed row count (a static cache's shapes) changes no answer."""
    from privacy_edge.llm.huggingface import HuggingFaceChat

    chat = HuggingFaceChat(EMBEDDED, max_new_tokens=12, batch_size=4, cache_implementation="static",
                           token_budget=512)
    batched = chat.generate(PROMPTS)
    assert [(b.rows, b.length) for b in chat.last_plan] == [(4, 128)]  # 3 prompts, one filler row
    single = [edge_chat.generate([p])[0] for p in PROMPTS]  # dynamic cache, no padding
    assert [g.text for g in batched] == [g.text for g in single]
    for b, s in zip(batched, single):
        assert b.confidence == pytest.approx(s.confidence, abs=1e-3) and b.prompt_tokens == s.prompt_tokens


def test_auto_cache_compiles_only_when_enough_prompts_share_a_new_shape():
    from privacy_edge.llm.batching import plan
    from privacy_edge.llm.huggingface import HuggingFaceChat

    chat = HuggingFaceChat(EMBEDDED, device="cpu", cache_implementation="auto", compile_min_prompts=100)
    assert chat.cache_implementation == "dynamic"  # a CPU never compiles
    chat.cache_implementation = "auto"  # the CUDA rule, exercised without a GPU
    assert not chat._static_for([550] * 98)  # 98 prompts, one new shape: a compile would not pay back
    assert chat._static_for([550] * 200)
    chat._compiled |= {b.shape for b in plan([550] * 10, chat.token_budget, chat.batch_size, buckets=True)}
    assert chat._static_for([550] * 10)  # the shape is compiled already: static costs nothing more
