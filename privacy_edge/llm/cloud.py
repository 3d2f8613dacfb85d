"""The cloud model as configured: a remote OpenAI-compatible endpoint named by environment variables
($CLOUD_API_BASE, $CLOUD_API_KEY, $CLOUD_MODEL; see config.EndpointSettings), or, when none is set,
the embedded llama.cpp server on 127.0.0.1 (no API key, no network).
"""

from __future__ import annotations

import logging
import threading
from typing import Sequence

from .base import Generation, Messages
from .huggingface import embedded_gguf
from .llama_server import MODEL_ALIAS, LlamaServer
from .openai_chat import CloudError, OpenAIChat

log = logging.getLogger(__name__)
_RAW_NOTED: set[str] = set()


def embedded_weights_path(weights: str = "Q4_1"):
    """The embedded SmolLM2 GGUF: Q4_1 as the package ships it, or a copy in other weights (written once)."""
    if weights == "Q4_1":
        return embedded_gguf()
    from .requantize import requantized_path

    return requantized_path(embedded_gguf(), weights)


class CloudModel:
    """Resolves the endpoint once, at construction (a missing model name is a ConfigError naming
    $CLOUD_MODEL and the YAML key); restarts the embedded server once if it dies mid-run."""

    def __init__(self, model: str = "", api_base_env: str = "CLOUD_API_BASE", api_key_env: str = "CLOUD_API_KEY",
                 max_tokens: int = 48, temperature: float = 0.0, timeout_s: float = 60.0, max_retries: int = 3,
                 embedded_ctx: int = 16384, embedded_parallel: int = 2, model_env: str = "CLOUD_MODEL",
                 where: str = "the YAML", embedded_weights: str = "Q4_1"):
        from .endpoint import EndpointSettings

        self.api_base_env, self.api_key_env = api_base_env, api_key_env
        self.endpoint = EndpointSettings(model=model, api_base_env=api_base_env, api_key_env=api_key_env,
                                         model_env=model_env).resolve(where)
        self.base_url = self.endpoint.base_url or ""
        self.embedded = not self.endpoint.remote
        self.model = self.endpoint.model or MODEL_ALIAS
        self.options = dict(max_tokens=max_tokens, temperature=temperature, timeout_s=timeout_s,
                            max_retries=max_retries)
        self.server = (LlamaServer(embedded_weights_path(embedded_weights), n_ctx=embedded_ctx,
                                   n_parallel=embedded_parallel) if self.embedded else None)
        self._chat: OpenAIChat | None = None
        self._lock = threading.RLock()  # requests come from several threads (CollaborativeInference.dispatch)
        self.restarts = 0
        self.identity = {
            "backend": "llama.cpp (embedded)" if self.embedded else "openai-compatible",
            "endpoint": "127.0.0.1" if self.embedded else self.endpoint.safe_url,
            "model": self.model,
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if self.embedded and embedded_weights != "Q4_1":  # the shipped weights keep the identity caches know
            self.identity["weights"] = embedded_weights  # other weights, other answers: another cache key

    @classmethod
    def from_settings(cls, s, where: str = "the YAML", **kwargs) -> "CloudModel":
        """From an EndpointSettings (CloudSettings, or a metrics attacker/reference)."""
        return cls(s.model, s.api_base_env, s.api_key_env, s.max_tokens, s.temperature, s.timeout_s,
                   s.max_retries, model_env=s.model_env, where=where, embedded_weights=s.embedded_weights, **kwargs)

    def note_raw_egress(self, what: str) -> None:
        """Log once per process and host that raw (unprotected) text goes to a remote endpoint."""
        if self.embedded or self.endpoint.host in _RAW_NOTED:
            return
        _RAW_NOTED.add(self.endpoint.host)
        log.warning("raw text (no privacy protection) is being sent to the remote endpoint %s (%s)",
                    self.endpoint.host, what)

    def _client(self) -> OpenAIChat:
        with self._lock:
            return self._open()

    def _open(self) -> OpenAIChat:
        if self._chat is None:
            if self.embedded:
                self.server.start()
                url, key = self.server.base_url, "none"
            else:
                url, key = self.base_url, self.endpoint.api_key()
            self._chat = OpenAIChat(url, key, self.model, **self.options)
        return self._chat

    def generate(self, batch: Sequence[Messages]) -> list[Generation]:
        chat = self._client()
        try:
            return chat.generate(batch)
        except CloudError:
            if not self.embedded:
                raise
            with self._lock:  # stop and start under one lock: no request sees the server half restarted
                if self._chat is chat or self._chat is None:  # not restarted yet by another request
                    if self.restarts >= 1:
                        raise
                    # The embedded server died (or hangs): restart it once, then let later failures be recorded.
                    self.restarts += 1
                    self.close()
                fresh = self._open()
            return fresh.generate(batch)  # on the restarted server

    def close(self) -> None:
        with self._lock:
            if self._chat is not None:
                self._chat.close()
                self._chat = None
            if self.server is not None:
                self.server.stop()
