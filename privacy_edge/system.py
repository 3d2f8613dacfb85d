"""Builders that assemble the system from plain settings (the Ianvs modules and the CLI share them).

Expensive things are made once per process and shared: the spaCy model, the edge model's weights,
the answer cache of a workspace, and the detector for a given configuration.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .config import MINIMIZED, METHODS, ConfigError, EdgeSettings, SanitizerConfig, build, load_detector_config
from .detect.detector import Detector
from .llm.cache import AnswerCache, CachedModel
from .pipeline import CollaborativeInference, EdgeSide
from .policy import Policy
from .routing import ROUTERS
from .sanitize import SANITIZERS


@functools.lru_cache(maxsize=8)
def answer_cache(path: str) -> AnswerCache:
    return AnswerCache(path)


def cache_for(cache_dir: str | None, enabled: bool = True) -> AnswerCache | None:
    if not enabled or not cache_dir:
        return None
    return answer_cache(str(Path(cache_dir).resolve() / "answers.sqlite"))


@functools.lru_cache(maxsize=8)
def _detector(config_path: str | None, overrides_key: str) -> Detector:
    import json

    overrides = json.loads(overrides_key) if overrides_key else None
    return Detector(load_detector_config(config_path, overrides))


def detector(config_path: str | None = None, overrides: dict | None = None) -> Detector:
    import json

    return _detector(config_path or None, json.dumps(overrides, sort_keys=True) if overrides else "")


def sanitizers(epsilon: float | None = None, salt: str | None = None, seed: int | None = None,
               config: dict | None = None, cache_dir: str | None = None) -> dict:
    """The three sanitizers, configured; scalar knobs (epsilon, salt, seed) override the nested config.

    Without a salt or seed (research settings) they are keyed by the workspace secret, read from
    ``PRIVACY_EDGE_SECRET`` or ``<cache_dir>/secret.key`` (created on first use; see secret_key.py).
    """
    from .secret_key import workspace_secret

    data = dict(config or {})
    if epsilon is not None:
        data["dp"] = {**data.get("dp", {}), "epsilon": epsilon}
    if salt is not None:
        data["pseudonymize"] = {**data.get("pseudonymize", {}), "salt": salt}
    if seed is not None:
        data["dp"] = {**data.get("dp", {}), "seed": seed}
    cfg: SanitizerConfig = build(SanitizerConfig, data, "sanitizer settings")
    keyed = cfg.pseudonymize.salt is None or cfg.dp.seed is None
    secret = workspace_secret(cache_dir) if keyed else None
    out = {}
    for name, sub, keys in (("pseudonymize", cfg.pseudonymize, {"secret": secret}), ("mask", cfg.mask, {}),
                            ("dp", cfg.dp, {"secret": secret})):
        if name in SANITIZERS:
            out[name] = SANITIZERS.get(name)(sub, **keys)
    return out


def edge_model(settings: EdgeSettings | str = EdgeSettings(), cache: AnswerCache | None = None):
    """The edge model of ``settings`` (or of a model name): a served one when ``backend`` is openai, or
    auto with ``$EDGE_API_BASE`` set; else the local transformers model. Wrapped in the answer cache."""
    s = settings if isinstance(settings, EdgeSettings) else build(EdgeSettings, {"model": settings}, "edge model")
    from .llm.edge_server import ServedEdgeChat, endpoint_from_env

    served = None if s.backend == "huggingface" else endpoint_from_env(s.api_base_env, s.api_key_env,
                                                                      s.api_model_env)
    if s.backend == "openai" and served is None:
        raise ConfigError(f"EdgeModel: backend is openai but ${s.api_base_env} is not set")
    if served:
        chat = ServedEdgeChat(*served, max_new_tokens=s.max_new_tokens, concurrency=s.concurrency,
                              timeout_s=s.timeout_s, max_retries=s.max_retries,
                              require_logprobs=s.require_logprobs)
    else:
        from .llm.huggingface import HuggingFaceChat

        chat = HuggingFaceChat(s.model, s.device, s.dtype, s.max_new_tokens, s.batch_size,
                               cache_implementation=s.cache_implementation, token_budget=s.token_budget,
                               compile_min_prompts=s.compile_min_prompts)
    return CachedModel(chat, cache)


def pipeline(edge: EdgeSide, cloud, router: str = "oracle", threshold: float = 0.5,
             policy: str = "adaptive", concurrency: int = 1) -> CollaborativeInference:
    if policy != "adaptive" and policy not in METHODS + MINIMIZED:
        raise ConfigError(f"policy must be adaptive or one of {', '.join(METHODS + MINIMIZED)}; got {policy!r}")
    if not isinstance(threshold, (int, float)) or not 0.0 <= float(threshold) <= 1.0:
        raise ConfigError(f"threshold must be a number within [0, 1]; got {threshold!r}")
    return CollaborativeInference(edge, cloud, ROUTERS.get(router)(), float(threshold), Policy.from_name(policy),
                                  concurrency)

