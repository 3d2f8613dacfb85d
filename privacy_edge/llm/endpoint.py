"""Where a chat model is reached: an OpenAI-compatible endpoint named by environment variables, or the
embedded llama.cpp server on 127.0.0.1 when none is named. The settings hold variable names, never a key."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..settings import ConfigError, Strict


class EndpointSettings(Strict):
    """A chat model as the cloud uses it: CloudModelAPI, and the metrics' attacker and reference.

    Where each value comes from (``resolve``): the URL from $CLOUD_API_BASE (the variable named by
    ``api_base_env``), the key from $CLOUD_API_KEY (``api_key_env``), the model from ``model`` when set,
    else from $CLOUD_MODEL (``model_env``). No URL: the embedded llama.cpp server on 127.0.0.1.
    """

    model: str = Field("", description="empty: $CLOUD_MODEL (the variable named by model_env)")
    api_base_env: str = "CLOUD_API_BASE"
    api_key_env: str = "CLOUD_API_KEY"
    model_env: str = "CLOUD_MODEL"
    max_tokens: int = Field(48, ge=1, le=8192)
    temperature: float = Field(0.0, ge=0, le=2)
    timeout_s: float = Field(60.0, gt=0)
    max_retries: int = Field(3, ge=0, le=20)
    # The embedded server's weights (no remote endpoint): Q4_1 as shipped, or Q8_0 re-quantized once per
    # machine from it (prompts 1.4x faster on a CPU, answers less often right: docs/performance.md).
    embedded_weights: Literal["Q4_1", "Q8_0"] = "Q4_1"

    def resolve(self, where: str = "the YAML") -> "ResolvedEndpoint":
        """The endpoint these settings name now; a ConfigError naming the variable and key if incomplete."""
        import os

        base_url = os.environ.get(self.api_base_env, "").strip()
        if not base_url:
            _warn_openai_variables(self.api_base_env)
            return ResolvedEndpoint(None, self.api_base_env, self.api_key_env, "", "embedded")
        if self.model:
            return ResolvedEndpoint(base_url, self.api_base_env, self.api_key_env, self.model, f"`model` in {where}")
        model = os.environ.get(self.model_env, "").strip()
        if not model:
            raise ConfigError(f"${self.api_base_env} names a remote endpoint, so the cloud needs a model "
                              f"name: set ${self.model_env} (or `model` in {where})")
        return ResolvedEndpoint(base_url, self.api_base_env, self.api_key_env, model, f"${self.model_env}")


class ResolvedEndpoint:
    """A remote endpoint (base_url set) or the embedded server (base_url None). Holds the key's
    variable name, never the key: it is read when a client is built."""

    __slots__ = ("base_url", "base_env", "key_env", "model", "model_source")

    def __init__(self, base_url: str | None, base_env: str, key_env: str, model: str, model_source: str):
        self.base_url, self.base_env, self.key_env = base_url, base_env, key_env
        self.model, self.model_source = model, model_source

    @property
    def remote(self) -> bool:
        return self.base_url is not None

    @property
    def host(self) -> str:
        """host[:port] of the URL, without any user info, path or query (safe to log)."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.base_url or "")
        host = parts.hostname or "?"
        return f"{host}:{parts.port}" if parts.port else host

    @property
    def safe_url(self) -> str:
        """The URL without user info or query (where a key could hide), for messages and records."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.base_url or "")
        return f"{parts.scheme}://{self.host}{parts.path}" if parts.scheme else self.host

    def api_key(self) -> str:
        import os

        return os.environ.get(self.key_env, "")


_OPENAI_WARNED: list[bool] = []


def _warn_openai_variables(api_base_env: str) -> None:
    """OPENAI_* variables are never used: say so once, so that nobody believes a provider answered."""
    import logging
    import os

    found = [v for v in ("OPENAI_API_KEY", "OPENAI_BASE_URL") if os.environ.get(v)]
    if found and not _OPENAI_WARNED:
        _OPENAI_WARNED.append(True)
        logging.getLogger("privacy_edge.cloud").warning(
            "%s set but $%s is not: the cloud is the embedded model on 127.0.0.1, OPENAI_* variables are "
            "never used; set CLOUD_API_BASE, CLOUD_API_KEY and CLOUD_MODEL to use a provider",
            " and ".join(found) + (" is" if len(found) == 1 else " are"), api_base_env)
