"""The edge's client of the cloud worker (a Sedna BigModelService): the only way anything leaves the edge.

It stands where Sedna's ``ModelClient`` would, speaking the same HTTP API (``POST
http://$BIG_MODEL_IP:$BIG_MODEL_PORT/<service>/predict`` with ``{"data": ...}``), but what it sends is
the chat messages the pipeline built from the protected payload, never the request Sedna holds. Like
the OpenAI client of the benchmark's cloud, every request body passes the egress guard in the HTTP
layer before it is sent, so a bug upstream still cannot put a detected value on the wire.
"""

from __future__ import annotations

import time
from typing import Sequence

from .. import guard
from ..llm.base import Generation, Messages


class CloudWorkerError(RuntimeError):
    """The cloud worker gave no usable answer; the message names the host, never a payload."""


class SednaCloudChat:
    """A ChatModel whose answers come from the cloud worker, one request per message list."""

    def __init__(self, host: str, port: int, service: str, timeout_s: float = 120.0, retries: int = 2):
        import httpx

        self.host, self.port = host, port
        self.url = f"http://{host}:{port}/{service}/predict"
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
            transport=httpx.HTTPTransport(retries=retries),  # connection failures only: nothing was sent
            event_hooks={"request": [self._guard_request]},
        )
        self.identity = {"backend": "sedna-bigmodelservice", "endpoint": f"{host}:{port}/{service}"}

    @staticmethod
    def _guard_request(request) -> None:
        request.read()
        guard.check_request_body(request.content)

    def generate(self, batch: Sequence[Messages]) -> list[Generation]:
        return [self._one(m) for m in batch]

    def _one(self, messages: Messages) -> Generation:
        import httpx

        started = time.perf_counter()
        try:
            r = self._http.post(self.url, json={"data": messages})
        except guard.EgressRefused:
            raise
        except httpx.TimeoutException:
            raise CloudWorkerError(f"cloud worker {self.host}:{self.port} timed out") from None
        except httpx.HTTPError as err:
            raise CloudWorkerError(f"cloud worker {self.host}:{self.port} unreachable ({type(err).__name__})") from None
        if r.status_code != 200:
            raise CloudWorkerError(f"cloud worker {self.host}:{self.port} returned HTTP {r.status_code}")
        try:
            result = r.json()["result"][0]
            gen = Generation.from_dict(result)
        except (ValueError, KeyError, IndexError, TypeError) as err:
            raise CloudWorkerError(f"cloud worker {self.host}:{self.port} sent a malformed answer "
                                   f"({type(err).__name__})") from None
        if not isinstance(gen.text, str):
            raise CloudWorkerError(f"cloud worker {self.host}:{self.port} sent an answer without text")
        return Generation(text=gen.text, tokens=gen.tokens, prompt_tokens=gen.prompt_tokens,
                          seconds=time.perf_counter() - started)

    def close(self) -> None:
        self._http.close()
