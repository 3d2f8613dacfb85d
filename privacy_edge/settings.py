"""Settings, validated at load: unknown keys and out-of-range values are errors, never ignored.

The base of every settings model in the project (``Strict``), the error they raise (``ConfigError``,
naming the file or module and the key) and the readers. Each component declares its own settings
model beside its code (a sanitizer's ``Settings``, a router's ``Settings``, the detector's
``detect/config.py``); the Ianvs modules' job-level settings are in ``config.py``.

A module's hyperparameters reach a component's settings by a dotted name: ``dp.epsilon`` on the
EdgeModel sets the ``epsilon`` of the ``dp`` sanitizer (``split_dotted``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError


class ConfigError(ValueError):
    """A configuration file or hyperparameter is wrong; the message says where and what."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoSettings(Strict):
    """A component without settings of its own."""


def _format_validation(err: ValidationError, where: str) -> str:
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        lines.append(f"{where}: {loc}: {msg}")
    return "\n".join(lines)


def build(model: type[BaseModel], data: dict | None, where: str):
    """``model`` from ``data``; a ConfigError naming ``where`` and each bad key."""
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


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def split_dotted(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A module's own hyperparameters, and those of its components by component name:
    ``{"model": m, "dp.epsilon": 2}`` -> ``({"model": m}, {"dp": {"epsilon": 2}})``."""
    own: dict[str, Any] = {}
    parts: dict[str, dict[str, Any]] = {}
    for key, value in kwargs.items():
        name, dot, knob = key.partition(".")
        if dot and name and knob:
            parts.setdefault(name, {})[knob] = value
        else:
            own[key] = value
    return own, parts
