"""Which protection method a sample gets: by its sensitivity level, or one fixed method for all.

A method is a registered sanitizer's name, or ``minimize+NAME``: minimize first (sanitize/minimize.py),
then protect what was kept with the sanitizer NAME (docs/minimization.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .sanitize import SANITIZERS
from .settings import Strict, build

ADAPTIVE = "adaptive"
MINIMIZE = "minimize+"


def base_method(method: str) -> str:
    """The sanitizer of a method name ("minimize+mask" -> "mask")."""
    return method.removeprefix(MINIMIZE)


def method_name(name: str) -> str:
    """A protection method's name, checked: a registered sanitizer, or ``minimize+`` one; a KeyError
    names the known sanitizers."""
    SANITIZERS.get(base_method(name))
    return name


def _sanitizer_name(name: str) -> str:
    try:
        return method_name(name)
    except KeyError as err:  # pydantic reports a ValueError
        raise ValueError(err.args[0]) from None


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


def policy_name(name: str) -> str:
    """``adaptive`` or a method name; an unknown one raises, naming the known ones."""
    return name if name == ADAPTIVE else method_name(name)


class Policy:
    def __init__(self, config: PolicyConfig | None = None):
        self.config = config or PolicyConfig()

    @property
    def name(self) -> str:
        return self.config.fixed or ADAPTIVE

    def methods(self) -> list[str]:
        """Every method this policy may choose."""
        return [self.config.fixed] if self.config.fixed else list(dict.fromkeys(self.config.by_level.values()))

    @property
    def minimizes(self) -> bool:
        """Whether some sample may be minimized before its method (a ``minimize+METHOD`` choice)."""
        return any(m.startswith(MINIMIZE) for m in self.methods())

    def method_for(self, level: str) -> str:
        if self.config.fixed:
            return self.config.fixed
        if level not in self.config.by_level:
            raise ValueError(f"no protection method for sensitivity level {level!r}")
        return self.config.by_level[level]

    @classmethod
    def from_name(cls, name: str, by_level: dict | None = None) -> "Policy":
        """``adaptive`` (by level) or a method name (fixed): the form the algorithm YAML uses."""
        data = {"by_level": by_level} if by_level else {}
        if policy_name(name) != ADAPTIVE:
            data["fixed"] = name
        return cls(build(PolicyConfig, data, f"policy {name!r}"))
