"""The cloud model: any OpenAI-compatible endpoint through the ``openai`` client.

Timeouts and retries with exponential backoff (honouring Retry-After) are the client's own. Every
request body passes the egress guard in the HTTP layer before it is sent, so even a bug upstream
cannot put a detected value on the wire. The API key is held by the client and never logged.
"""

from __future__ import annotations

import functools
import math
import time
from typing import Sequence

from .. import guard
from .base import Generation, Messages


class CloudError(RuntimeError):
    """The cloud gave no usable answer after retries; the message never carries the API key."""


@functools.lru_cache(maxsize=1)
def _refusal_type() -> type:
    """The guard's refusal, also an ``openai.OpenAIError``: the client re-raises those at once instead
    of retrying them as connection errors, so a refused payload is never attempted again."""
    import openai

    return type("EgressRefusedInClient", (guard.EgressRefused, openai.OpenAIError), {})


class _BadBody(Exception):
    """A 200 response whose body is unusable (retried like a server error)."""


class OpenAIChat:
    def __init__(self, base_url: str, api_key: str, model: str, max_tokens: int = 48, temperature: float = 0.0,
                 timeout_s: float = 60.0, max_retries: int = 3, logprobs: bool = False, seed: int | None = 0,
                 name: str = "cloud", guarded: bool = True):
        """``name`` words the errors; ``guarded=False`` only for an edge server inside the trust boundary
        (it is sent the raw text by design, so the egress guard would refuse every request)."""
        import httpx
        from openai import OpenAI

        self.model, self.max_tokens, self.temperature, self.logprobs, self.seed = (
            model, max_tokens, temperature, logprobs, seed)
        self.max_retries, self.name = max_retries, name
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
            event_hooks={"request": [self._guard_request] if guarded else []},
        )
        self._client = OpenAI(base_url=base_url, api_key=api_key or "none", max_retries=max_retries,
                              timeout=timeout_s, http_client=self._http)
        self.identity = {
            "backend": "openai",
            "model": model,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "seed": seed,
        }

    @staticmethod
    def _guard_request(request) -> None:
        request.read()
        try:
            guard.check_request_body(request.content)
        except guard.EgressRefused as err:
            refused = _refusal_type()(["?"] * err.count, err.types)
            raise refused from None

    def generate(self, batch: Sequence[Messages]) -> list[Generation]:
        return [self._one(m) for m in batch]

    def _one(self, messages: Messages) -> Generation:
        """The client retries status errors, resets and timeouts itself; a 200 with a malformed or empty
        body is retried here, with the same exponential backoff, since a server can recover from it."""
        for attempt in range(self.max_retries + 1):
            try:
                return self._request(messages)
            except _BadBody as err:
                if attempt == self.max_retries:
                    raise CloudError(f"{err} (after {attempt + 1} attempts)") from None
                time.sleep(min(8.0, 0.5 * 2**attempt))
        raise AssertionError("unreachable")

    def _request(self, messages: Messages) -> Generation:
        import openai

        started = time.perf_counter()
        extra = {"seed": self.seed} if self.seed is not None else {}
        try:
            r = self._client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=self.max_tokens,
                temperature=self.temperature, logprobs=self.logprobs or None, **extra,
            )
        except openai.APIStatusError as err:
            raise CloudError(f"{self.name} returned HTTP {err.status_code} after retries") from None
        except openai.APITimeoutError:
            raise CloudError(f"{self.name} timed out after retries") from None
        except guard.EgressRefused:
            raise
        except openai.APIConnectionError as err:
            cause = err.__cause__
            raise CloudError(f"{self.name} unreachable after retries ({type(cause).__name__ if cause else 'connection error'})") from None
        except (ValueError, TypeError) as err:  # an unparseable body
            raise _BadBody(f"{self.name} sent a malformed response ({type(err).__name__})") from None
        seconds = time.perf_counter() - started
        if not getattr(r, "choices", None):
            raise _BadBody(f"{self.name} response has no choices")
        choice = r.choices[0]
        text = (choice.message.content or "") if choice.message else ""
        confidence = None
        if self.logprobs and choice.logprobs and choice.logprobs.content:
            lps = [t.logprob for t in choice.logprobs.content]
            confidence = math.exp(sum(lps) / len(lps)) if lps else None
        usage = r.usage
        return Generation(
            text=text.strip(),
            confidence=confidence,
            tokens=getattr(usage, "completion_tokens", 0) or 0,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            seconds=seconds,
        )

    def close(self) -> None:
        self._client.close()
