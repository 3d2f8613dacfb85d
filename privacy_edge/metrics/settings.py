"""Settings of the metrics that need models or files (attacker, reference, background, embeddings).

Read from the YAML named by $PRIVACY_EDGE_METRICS, else the ``metrics.yaml`` beside the Ianvs metric
modules (testenv/metrics.yaml), else these defaults. Unknown keys are errors.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from pydantic import Field

from ..llm.endpoint import EndpointSettings
from ..settings import Strict, build, read_yaml

ENV = "PRIVACY_EDGE_METRICS"
# The attacker and the reference are configured like CloudModelAPI, by the same class: with only
# $CLOUD_API_BASE, $CLOUD_API_KEY and $CLOUD_MODEL set, all three use the same remote model.
Endpoint = EndpointSettings


class MetricSettings(Strict):
    sels_weights: dict[str, float] = Field(default_factory=lambda: {"DIRECT": 1.0, "QUASI": 0.5})
    # The attacker's background knowledge for the linking attack: {doc_id: public judgment text}.
    # null switches the linking attack off (then IAR = 1 - ASR-LLM); $TAB_BACKGROUND overrides it.
    background: str | None = "./examples/TAB/privacy_edge/data/tab/background.json"  # written by `prepare`
    attacker: Endpoint = Endpoint(max_tokens=24)
    attacker_question: str = "Who is the applicant in this case? Answer with the applicant's full name only."
    # The no-privacy reference for APR: the cloud model on the raw text. Keep it equal to the job's
    # CloudModelAPI settings so that the cloud_only test case's answers are reused from the cache.
    reference: Endpoint = Endpoint()
    cpp_chunk_words: int = Field(200, ge=16, le=400)
    # The _lo/_hi metrics: 95% percentile bootstrap over documents, the same resampled documents (this
    # seed) for every test case (metrics/intervals.py).
    bootstrap_resamples: int = Field(1000, ge=100)
    bootstrap_seed: int = 0
    cache: bool = True
    cache_dir: str = "./workspace/cache"


@functools.lru_cache(maxsize=8)
def _load(path: str | None) -> MetricSettings:
    if path and Path(path).exists():
        return build(MetricSettings, read_yaml(path), path)
    return MetricSettings()


def load_metric_settings(default_path: str | Path | None = None) -> MetricSettings:
    env = os.environ.get(ENV)
    if env and not Path(env).exists():
        raise FileNotFoundError(f"${ENV} names {env}, which does not exist")
    return _load(env or (str(default_path) if default_path else None))


def background_path(settings: MetricSettings) -> str | None:
    """The linking attack's background file: $TAB_BACKGROUND, else `background`; None: linking is off."""
    return os.environ.get("TAB_BACKGROUND") or settings.background or None
