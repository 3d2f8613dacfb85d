"""The one assembler: the system built from settings. The Ianvs modules (session.py), the KubeEdge edge
worker and the benches all build through these functions; nothing else assembles.

Components come from their registries (sanitizers, routers; an installed plug-in's too) and get their
own settings from the module's ``<component>.<key>`` hyperparameters (``EdgeSettings.components``,
``RouterSettings.components``). Expensive parts are made once per process and shared: the spaCy
model behind a detector of a given configuration, the answer cache of a workspace, the edge model's
weights (in its backend).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from .config import CloudSettings, EdgeSettings, RouterSettings, build, component_settings
from .detect.config import load_detector_config
from .detect.detector import Detector
from .llm.cache import AnswerCache, CachedModel, cache_for
from .pipeline import CollaborativeInference, EdgeSide
from .policy import Policy
from .routing import ROUTERS, Router
from .sanitize import SANITIZERS, Sanitizer
from .sanitize.minimize import Minimizer
from .settings import ConfigError


def _edge_settings(settings: EdgeSettings | dict | None) -> EdgeSettings:
    if isinstance(settings, EdgeSettings):
        return settings
    return build(EdgeSettings, settings or {}, "EdgeModel hyperparameters")


@functools.lru_cache(maxsize=8)
def _detector(config_path: str | None, overrides_key: str) -> Detector:
    return Detector(load_detector_config(config_path, json.loads(overrides_key) if overrides_key else None))


def detector(config_path: str | None = None, overrides: dict | None = None) -> Detector:
    """The detector of a YAML file (default: conf/detector.yaml) with overrides, one per configuration."""
    return _detector(config_path or None, json.dumps(overrides, sort_keys=True) if overrides else "")


def edge_model(settings: EdgeSettings | str = EdgeSettings(), cache: AnswerCache | None = None):
    """The edge model of ``settings`` (or of a model name): a served one when ``backend`` is openai, or
    auto with ``$EDGE_API_BASE`` set; else the local transformers model. Wrapped in the answer cache."""
    s = settings if isinstance(settings, EdgeSettings) else build(EdgeSettings, {"model": settings}, "edge model")
    from .llm.edge_server import ServedEdgeChat, endpoint_from_env

    served = None if s.backend == "huggingface" else endpoint_from_env(s.api_base_env, s.api_key_env,
                                                                      s.model_env)
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


def sanitizers(settings: EdgeSettings | dict | None = None, cache_dir: str | None = None) -> dict[str, Sanitizer]:
    """Every registered sanitizer (plug-ins included), each from its ``<name>.<key>`` settings.

    Those the settings key by the workspace secret get it, read from ``PRIVACY_EDGE_SECRET`` or
    ``<cache_dir>/secret.key`` (created on first use; secret_key.py); a salt or seed (research
    settings) needs none. Construction is cheap: tables are built by ``warm_up``.
    """
    chosen = sanitizer_settings(settings)
    secret = None
    if any(cls.needs_secret(st) for cls, st in chosen.values()):
        from .secret_key import workspace_secret

        secret = workspace_secret(cache_dir)
    return {name: cls(st, secret=secret if cls.needs_secret(st) else None) for name, (cls, st) in chosen.items()}


def sanitizer_settings(settings: EdgeSettings | dict | None = None) -> dict[str, tuple[type[Sanitizer], Any]]:
    """Every registered sanitizer's class and its settings, validated (what ``check`` runs too)."""
    s = _edge_settings(settings)
    return {name: (SANITIZERS.get(name), _settings_of(SANITIZERS.get(name), name, s.components.get(name, {})))
            for name in SANITIZERS.names()}


def _settings_of(cls: type, name: str, data: dict):
    try:
        return component_settings(cls, name, data)
    except ValueError as err:
        raise ConfigError(f"EdgeModel hyperparameters: {err}") from None


def minimizer(settings: EdgeSettings | dict | None = None) -> Minimizer:
    """The minimizer of the ``minimize.<key>`` settings (the step before a minimize+METHOD policy)."""
    s = _edge_settings(settings)
    return Minimizer(_settings_of(Minimizer, Minimizer.name, s.components.get(Minimizer.name, {})))


def edge_side(settings: EdgeSettings | dict | None = None, model: Any = ..., cache_dir: str | None = None) -> EdgeSide:
    """What runs at the edge, from the EdgeModel settings: detector, edge model (``model`` given: that
    one, None for none), every sanitizer and the minimizer."""
    s = _edge_settings(settings)
    if model is ...:
        model = edge_model(s, cache_for(s.cache_dir, s.cache))
    return EdgeSide(detector=detector(s.detector_config, s.detector or None), model=model,
                    sanitizers=sanitizers(s, cache_dir or s.cache_dir), minimizer=minimizer(s))


def cloud_model(settings: CloudSettings | dict | None = None):
    """The cloud model of the CloudModelAPI settings, and the same behind the workspace's answer cache."""
    from .llm.cloud import CloudModel

    s = settings if isinstance(settings, CloudSettings) else build(CloudSettings, settings or {},
                                                                    "CloudModelAPI hyperparameters")
    cloud = CloudModel.from_settings(s, where="the CloudModelAPI hyperparameters",
                                     embedded_ctx=max(16384, 4096 * s.concurrency),
                                     embedded_parallel=s.concurrency)  # slots share n_ctx: 4,096 tokens each
    return cloud, CachedModel(cloud, cache_for(s.cache_dir, s.cache))


def router_settings(router: RouterSettings | dict | str = "confidence", threshold: float | None = None,
                    policy: str | None = None) -> RouterSettings:
    """RouterSettings as given, or from a router name (and threshold and policy), validated once."""
    if isinstance(router, RouterSettings):
        return router
    data = dict(router) if isinstance(router, dict) else {"router": router}
    data.update({k: v for k, v in (("threshold", threshold), ("policy", policy)) if v is not None})
    return build(RouterSettings, data, "OracleRouter hyperparameters")


def router(settings: RouterSettings) -> Router:
    """The router the settings name, with its own ``<router>.<key>`` settings."""
    cls = ROUTERS.get(settings.router)
    try:
        own = component_settings(cls, settings.router, settings.components.get(settings.router, {}))
    except ValueError as err:
        raise ConfigError(f"OracleRouter hyperparameters: {err}") from None
    return cls(own)


def pipeline(edge: EdgeSide, cloud, router_or_settings: RouterSettings | dict | str = "confidence",
             threshold: float | None = None, policy: str | None = None, concurrency: int = 1) -> CollaborativeInference:
    """The workflow over an edge side and a cloud, with the router, threshold and policy of the
    settings (or of a router name, threshold and policy)."""
    s = router_settings(router_or_settings, threshold, policy)
    return CollaborativeInference(edge, cloud, router(s), s.threshold, Policy.from_name(s.policy), concurrency)
