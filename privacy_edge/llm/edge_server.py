"""The edge model served by an OpenAI-compatible server: vLLM on a GPU fleet, llama.cpp on a small device.

Chosen by environment variables (``EDGE_API_BASE``, ``EDGE_API_KEY``, ``EDGE_MODEL``) so one job
YAML runs on a laptop and on a fleet. Batching is concurrency: ``concurrency`` requests in flight
(the server batches them itself), answers in input order. Confidence keeps HuggingFaceChat's
definition, exp(mean log-probability of the answer tokens), computed from the server's ``logprobs``.
The server is inside the trust boundary (it is the edge): it is sent the raw text, so the cloud's
egress guard is not on this client. A request that still fails after retries fails its own sample
only (``PartialAnswers`` carries the others' answers).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Sequence

from .base import Generation, Messages, PartialAnswers

BASE_ENV, KEY_ENV, MODEL_ENV = "EDGE_API_BASE", "EDGE_API_KEY", "EDGE_MODEL"


class EdgeServerError(RuntimeError):
    """The edge server answered, but not with what the router needs."""


def endpoint_from_env(base_env: str = BASE_ENV, key_env: str = KEY_ENV,
                      model_env: str = MODEL_ENV) -> tuple[str, str, str] | None:
    """(base URL, API key, model) when ``$base_env`` is set, else None (the local model is used)."""
    base = os.environ.get(base_env, "").strip()
    if not base:
        return None
    model = os.environ.get(model_env, "").strip()
    if not model:
        raise EdgeServerError(f"${base_env} is set, so the served edge model's name must be in ${model_env}")
    return base, os.environ.get(key_env, ""), model


class ServedEdgeChat:
    """Greedy answers (temperature 0, fixed seed) from an OpenAI-compatible edge server."""

    def __init__(self, base_url: str, api_key: str, model: str, max_new_tokens: int = 32, concurrency: int = 8,
                 timeout_s: float = 120.0, max_retries: int = 2, require_logprobs: bool = True):
        from .openai_chat import OpenAIChat

        self.concurrency, self.require_logprobs = concurrency, require_logprobs
        self._chat = OpenAIChat(base_url, api_key, model, max_tokens=max_new_tokens, temperature=0.0,
                                timeout_s=timeout_s, max_retries=max_retries, logprobs=True, seed=0,
                                name="edge server", guarded=False)
        self.identity = {
            "backend": "openai-compatible",
            "endpoint": base_url,
            "model": model,  # a cache of another model's (or of local HF) answers is never reused
            "decoding": "greedy",
            "max_new_tokens": max_new_tokens,
        }

    def generate(self, batch: Sequence[Messages]) -> list[Generation]:
        if not batch:
            return []
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batch))) as pool:
            results = list(pool.map(self._one, batch))  # map keeps input order
        # Each answer's time is its share of the batch's wall time, as for a local batch: a request's
        # own time counts the queue behind the others and would add up to more than the run took.
        share = (time.perf_counter() - started) / len(batch)
        results = [replace(r, seconds=share) if isinstance(r, Generation) else r for r in results]
        if any(isinstance(r, Exception) for r in results):
            raise PartialAnswers(results)
        return results

    def _one(self, messages: Messages) -> Generation | Exception:
        try:
            gen = self._chat.generate([messages])[0]
        except Exception as err:  # recorded for this sample alone
            return err
        if gen.confidence is None and self.require_logprobs:
            return EdgeServerError(
                "edge server returned no log-probabilities, so its answer has no confidence: serve it with "
                "logprobs support (vLLM and llama.cpp have it), or set EdgeModel require_logprobs: false "
                "(then no edge answer is kept and the router sends the sanitized text to the cloud)")
        return gen

    def close(self) -> None:
        self._chat.close()
