"""One tiny request (max_tokens 1) to a remote endpoint before a job starts, so that a wrong URL, key
or model name is a clear error within seconds instead of a job whose every request fails.

The messages name the environment variable or YAML key to fix; they never carry the key, nor the
provider's error text (a provider may echo part of the key back).
"""

from __future__ import annotations

import time

from ..settings import ConfigError
from .endpoint import ResolvedEndpoint

PING = [{"role": "user", "content": "Reply with the word OK."}]


def probe(endpoint: ResolvedEndpoint, user: str, timeout_s: float = 30.0) -> float:
    """Seconds the endpoint took to answer; a ConfigError saying what to fix when it did not."""
    import httpx
    import openai

    key = endpoint.api_key()
    where = f"{user}: {endpoint.safe_url} (${endpoint.base_env})"
    started = time.perf_counter()
    with httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s))) as http:
        client = openai.OpenAI(base_url=endpoint.base_url, api_key=key or "none", max_retries=1,
                               timeout=timeout_s, http_client=http)
        try:
            client.chat.completions.create(model=endpoint.model, messages=PING, max_tokens=1, temperature=0.0)
        except openai.APIStatusError as err:
            raise ConfigError(_status_message(err.status_code, endpoint, where, bool(key))) from None
        except openai.APITimeoutError:
            raise ConfigError(f"{where}: no answer within {timeout_s:.0f} s") from None
        except openai.APIConnectionError as err:
            cause = type(err.__cause__).__name__ if err.__cause__ else "connection error"
            raise ConfigError(f"{where}: cannot connect ({cause}): check ${endpoint.base_env}") from None
    return time.perf_counter() - started


def _status_message(code: int, endpoint: ResolvedEndpoint, where: str, has_key: bool) -> str:
    if code in (401, 403):
        why = f"the API key in ${endpoint.key_env} was rejected" if has_key else f"${endpoint.key_env} is not set"
        return f"{where}: HTTP {code}: {why}"
    if code == 404:
        return (f"{where}: HTTP 404 for model {endpoint.model!r} (from {endpoint.model_source}): the endpoint "
                f"does not know that model, or ${endpoint.base_env} is not an OpenAI-compatible base URL "
                "(it usually ends in /v1)")
    return f"{where}: HTTP {code} for model {endpoint.model!r} (from {endpoint.model_source})"
