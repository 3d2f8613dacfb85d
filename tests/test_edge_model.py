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
    """Greedy decoding with left padding must not change any answer (DESIGN §5, batching)."""
    batched = edge_chat.generate(PROMPTS)
    single = [edge_chat.generate([p])[0] for p in PROMPTS]
    assert [g.text for g in batched] == [g.text for g in single]
    for b, s in zip(batched, single):
        assert b.confidence == pytest.approx(s.confidence, abs=1e-3)


def test_models_are_never_downloaded(tmp_path):
    with pytest.raises(RuntimeError, match="never downloaded"):
        resolve_model("HuggingFaceTB/SmolLM2-135M-Instruct")
    assert resolve_model(EMBEDDED).gguf_file.endswith(".gguf")
