"""The Ianvs modules' settings (job level), validated at load: unknown keys and out-of-range values
are errors, never ignored.

One model per module: EdgeSettings (EdgeModel), CloudSettings (CloudModelAPI), RouterSettings
(OracleRouter); the algorithm YAML sets them through module hyperparameters, one value each (a list of
values is a grid). What belongs to a component lives beside it: the detector's settings in
``detect/config.py``, each sanitizer's and router's in its ``Settings``, reached by hyperparameters
named ``<component>.<key>``. A config error names the module and the key.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator

from .llm.endpoint import EndpointSettings
from .policy import policy_name
from .routing import ROUTERS, router_name
from .sanitize import SANITIZERS
from .sanitize.minimize import Minimizer
from .settings import ConfigError, Strict, build, read_yaml, split_dotted  # noqa: F401  (the settings API)

# Older flat hyperparameter names of component settings, still read: name -> (component, key).
ALIASES = {
    "epsilon": ("dp", "epsilon"),
    "seed": ("dp", "seed"),
    "salt": ("pseudonymize", "salt"),
    "minimize_unit": ("minimize", "unit"),
    "minimize_share": ("minimize", "share"),
    "minimize_max_tokens": ("minimize", "max_tokens"),
}


def edge_component(name: str) -> type:
    """The edge component whose ``Settings`` a ``<name>.<key>`` hyperparameter sets: a sanitizer, or
    the minimizer; a ValueError names the known ones."""
    if name == Minimizer.name:
        return Minimizer
    try:
        return SANITIZERS.get(name)
    except KeyError as err:
        raise ValueError(f"'{name}.<key>': {err.args[0]} (The minimizer is {Minimizer.name!r}.)") from None


def component_settings(component: type, name: str, data: dict):
    """``component.Settings`` from ``data``; a ValueError (for pydantic) naming each ``name.<key>``."""
    try:
        return component.Settings.model_validate(data or {})
    except ValidationError as err:
        raise ValueError("; ".join(f"{name}.{'.'.join(str(p) for p in e['loc']) or '*'}: "
                                   f"{'unknown key' if e['type'] == 'extra_forbidden' else e['msg']}"
                                   for e in err.errors())) from None


def with_components(data: Any, aliases: dict[str, tuple[str, str]]) -> Any:
    """Module hyperparameters with ``<component>.<key>`` names (and ``aliases``) gathered into
    ``components``; a null value leaves the component's default."""
    if not isinstance(data, dict):
        return data
    own, parts = split_dotted(data)
    for name in [k for k in own if k in aliases]:
        value = own.pop(name)
        if value is not None:
            component, key = aliases[name]
            parts.setdefault(component, {}).setdefault(key, value)
    for component, given in (own.pop("components", None) or {}).items():
        parts[component] = {**given, **parts.get(component, {})}
    parts = {c: {k: v for k, v in kv.items() if v is not None} for c, kv in parts.items()}
    return {**own, "components": {c: kv for c, kv in parts.items() if kv}}


# -- Ianvs module hyperparameters (one value each; the algorithm YAML lists values to grid over) ----------

class EdgeSettings(Strict):
    """EdgeModel: the edge model, the detector and the sanitizers (all run at the edge).

    The edge model is local (transformers) unless ``$EDGE_API_BASE`` names an OpenAI-compatible server
    (backend auto); see docs/performance.md, "Scale-out", for the batching knobs and their defaults. The sanitizers'
    settings come as ``<sanitizer>.<key>`` hyperparameters (``components``).
    """

    model: str = "embedded:smollm2-135m-instruct"
    backend: Literal["auto", "huggingface", "openai"] = "auto"
    device: str = "auto"
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    max_new_tokens: int = Field(32, ge=1, le=4096)
    batch_size: int = Field(128, ge=1, le=1024, description="most prompts in one local batch")
    token_budget: int | Literal["auto"] = Field(
        "auto", description="padded prompt tokens per local batch; auto: 65,536 on CUDA, 4,096 on a CPU")
    batching: bool = True
    cache_implementation: Literal["auto", "dynamic", "static"] = "auto"
    compile_min_prompts: int = Field(5000, ge=1, description="auto cache: compile (static) on CUDA only "
                                     "when a call has this many prompts per new shape")
    # A served edge (backend openai, or auto with $EDGE_API_BASE set): where, and how it is asked.
    api_base_env: str = "EDGE_API_BASE"
    api_key_env: str = "EDGE_API_KEY"
    model_env: str = Field("EDGE_MODEL", validation_alias=AliasChoices("model_env", "api_model_env"))  # old name read too
    concurrency: int = Field(8, ge=1, le=512, description="requests in flight to the edge server")
    timeout_s: float = Field(120.0, gt=0)
    max_retries: int = Field(2, ge=0, le=20)
    require_logprobs: bool = True
    detector_config: str | None = None
    # Overrides of the detector YAML, e.g. {sensitivity: {medium: 0.3, high: 0.7}} or {rules: [...]}.
    detector: dict = Field(default_factory=dict)
    cache: bool = True
    cache_dir: str = "./workspace/cache"
    # The sanitizers' and the minimizer's own settings, from hyperparameters named "<component>.<key>"
    # (dp.epsilon, minimize.share, pseudonymize.salt, a plug-in's own); each component's Settings
    # validates its part (assemble.component_settings). The older flat names are read too (ALIASES).
    components: dict[str, dict] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _dotted(cls, data):
        return with_components(data, ALIASES)

    @model_validator(mode="after")
    def _known_components(self):
        for name, data in self.components.items():
            component_settings(edge_component(name), name, data)
        return self

    @field_validator("token_budget")
    @classmethod
    def _budget(cls, v: int | str) -> int | str:
        if isinstance(v, int) and v < 64:
            raise ValueError(f"must be 'auto' or at least 64 tokens, got {v}")
        return v


class CloudSettings(EndpointSettings):
    """CloudModelAPI: an OpenAI-compatible endpoint named by environment variables, else the embedded server."""

    cache: bool = True
    cache_dir: str = "./workspace/cache"
    # Cloud requests in flight at once (the whole set's payloads are sent on the first cloud call);
    # also the embedded llama.cpp server's parallel slots. 1: one request after another.
    concurrency: int = Field(8, ge=1, le=256)


class RouterSettings(Strict):
    """OracleRouter: which router decides, its confidence threshold and the protection policy."""

    router: str = Field("confidence", description="a name in routing.ROUTERS (oracle: the old name of confidence)")
    threshold: float = Field(0.5, ge=0, le=1)
    policy: str = Field("adaptive", description="adaptive (by sensitivity level) or a method: a sanitizer in "
                        "sanitize.SANITIZERS, or minimize+ one")
    write_records: bool = True
    # A router's own settings, from hyperparameters named "<router>.<key>" (validated by its Settings).
    components: dict[str, dict] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _dotted(cls, data):
        return with_components(data, {})

    @model_validator(mode="after")
    def _known_components(self):
        for name, data in self.components.items():
            component_settings(_registered(ROUTERS.get, name), name, data)
        return self

    @field_validator("router")
    @classmethod
    def _known_router(cls, v: str) -> str:
        return _registered(router_name, v)

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, v: str) -> str:
        return _registered(policy_name, v)


def _registered(check, name: str) -> str:
    """``check(name)`` with its KeyError (an unknown name, the known ones listed) as pydantic's ValueError."""
    try:
        return check(name)
    except KeyError as err:
        raise ValueError(err.args[0]) from None
