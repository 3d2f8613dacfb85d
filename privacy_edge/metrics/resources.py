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

from ..layout import resolve
from ..llm.embedder import embedder, embedder_version
from ..profile import stage
from ..progress import bar
from .settings import Endpoint

log = logging.getLogger(__name__)
class Memo:
    """A bounded memory (least recently used entries go first): what the metrics of one process keep
    between calls, since Ianvs calls each metric on its own with nothing but the results."""

    def __init__(self, size: int):
        from collections import OrderedDict

        self.size = size
        self._items: OrderedDict = OrderedDict()

    def __contains__(self, key) -> bool:
        return key in self._items

    def __getitem__(self, key):
        self._items.move_to_end(key)
        return self._items[key]

    def __setitem__(self, key, value) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


# Answers per (model identity, prompt), so that a metric asked again does not ask the model again even
# without the disk cache. Failures are never kept: a later call asks again.
_answers = Memo(100_000)
# The latest per-sample outcomes per (metric, model, records) key: a count metric reads the outcomes the
# rate was computed from instead of asking the model a second time.
_outcomes = Memo(64)


def chat_model(endpoint: Endpoint, cache_dir: str | None, raw_egress: str | None = None):
    """A cloud-style chat model (embedded llama.cpp server unless the endpoint's env vars say otherwise).
    ``raw_egress`` says what raw text it is about to be sent (logged once per process when remote)."""
    model = _chat_model(endpoint, cache_dir, *endpoint_key(endpoint)[1:])
    if raw_egress:
        model.model.note_raw_egress(raw_egress)
    return model


@functools.lru_cache(maxsize=4)
def _chat_model(endpoint: Endpoint, cache_dir: str | None, *environment: str):
    """One model per settings and per endpoint the environment names now (a test may change it)."""
    from ..llm.cache import CachedModel, cache_for
    from ..llm.cloud import CloudModel

    cloud = CloudModel.from_settings(endpoint, where="the metrics YAML (attacker / reference)")
    atexit.register(cloud.close)
    return CachedModel(cloud, cache_for(cache_dir, bool(cache_dir)))


def digest(value) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def ask_each(model, batch: Sequence[list[dict]], what: str) -> list[str | None]:
    """Each prompt's answer, None where the model failed (after its own retries). A failure is logged
    by count and error class only (no text, no message that could carry a secret) and is not remembered."""
    identity = digest(model.identity)
    out: list[str | None] = []
    errors: dict[str, int] = {}
    with stage(f"metrics: {what}"):
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
        _outcomes[key] = compute()
    return _outcomes[key]


def endpoint_key(endpoint: Endpoint) -> tuple:
    """An endpoint as a cache key: its settings and the base URL and model its env variables name now."""
    return (endpoint.model_dump_json(), os.environ.get(endpoint.api_base_env, ""),
            os.environ.get(endpoint.model_env, ""))


def chunks_of(texts: list[str], chunk_words: int) -> tuple[list[str], list[int]]:
    """The texts cut into chunks of ``chunk_words`` words, and the text each chunk comes from."""
    chunks, owner = [], []
    for i, text in enumerate(texts):
        words = text.split() or [""]
        for k in range(0, len(words), chunk_words):
            chunks.append(" ".join(words[k : k + chunk_words]))
            owner.append(i)
    return chunks, owner


# Unit vectors per chunk text: the same egress and raw texts reach several metrics (ASR-Link, its raw
# calibration, IAR, the counts and intervals) and every test case, and are embedded once per process;
# with a cache_dir also once per workspace (a warm run embeds nothing it has embedded before).
_vectors = Memo(50_000)


class VectorStore:
    """Unit vectors on disk (``<cache_dir>/embeddings.sqlite``), keyed by the embedder and the exact text."""

    def __init__(self, path: Path):
        import threading

        from ..llm.cache import open_table

        self._lock = threading.Lock()
        self._db = open_table(path, "vectors", "key BLOB PRIMARY KEY, vec BLOB NOT NULL")

    def get(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found = {}
        with self._lock:
            for k in range(0, len(keys), 500):  # SQLite's limit on parameters
                part = keys[k : k + 500]
                rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                                        part).fetchall()
                found.update((key, np.frombuffer(vec, dtype=np.float32)) for key, vec in rows)
        return found

    def put(self, items: dict[bytes, np.ndarray]) -> None:
        """Keep the vectors; a store that cannot be written (locked, disk full) costs only a warning:
        the vectors are already computed."""
        import sqlite3

        if not items:
            return
        with self._lock:
            try:
                with self._db:  # one transaction, rolled back on any error
                    self._db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                                         [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])
            except sqlite3.Error as err:
                log.warning("embeddings not kept on disk (%s); a later run embeds them again", type(err).__name__)


@functools.lru_cache(maxsize=4)
def vector_store(cache_dir: str) -> VectorStore:
    return VectorStore(Path(cache_dir).resolve() / "embeddings.sqlite")


@functools.lru_cache(maxsize=1)
def _embedder_tag() -> bytes:
    return embedder_version().encode("utf-8")


def embed_chunks(chunks: list[str], desc: str = "metric: embeddings", cache_dir: str | None = None) -> np.ndarray:
    """Unit vectors of the chunks, each text embedded once per process (and per workspace with a
    ``cache_dir``), with a progress bar over the new ones (the model still runs batches of 32)."""
    tag = _embedder_tag()
    keys = [hashlib.sha256(tag + b"\0" + c.encode("utf-8")).digest() for c in chunks]
    unique = list(dict.fromkeys(keys))
    found = {k: _vectors[k] for k in unique if k in _vectors}
    fresh: dict[bytes, np.ndarray] = {}
    if cache_dir:
        stored = vector_store(cache_dir).get(unique)
        fresh = {k: v for k, v in found.items() if k not in stored}  # known here, not yet on disk
        for key, vec in stored.items():
            found.setdefault(key, vec)
            _vectors[key] = found[key]
    todo = [k for k in unique if k not in found]
    if todo:
        text_of = dict(zip(keys, chunks))
        step = 256  # chunks per encode call, for the progress bar
        with stage("metrics: embeddings"), bar(total=len(todo), desc=desc, unit="chunk") as progress:
            for k in range(0, len(todo), step):
                part = todo[k : k + step]
                vecs = embedder().encode([text_of[key] for key in part], batch_size=32, normalize_embeddings=True,
                                         show_progress_bar=False)
                for key, vec in zip(part, vecs):
                    fresh[key] = found[key] = _vectors[key] = np.asarray(vec, dtype=np.float32)
                progress.update(len(part))
    if cache_dir:
        vector_store(cache_dir).put(fresh)
    if not keys:
        return np.zeros((0, embedder().get_embedding_dimension()), dtype=np.float32)
    return np.stack([found[k] for k in keys])


def embed_long(texts: list[str], chunk_words: int, cache_dir: str | None = None) -> np.ndarray:
    """One unit vector per text: the mean of its chunks' embeddings (MiniLM reads 256 word pieces)."""
    chunks, owner = chunks_of(texts, chunk_words)
    vecs = embed_chunks(chunks, "metric: CPP embeddings", cache_dir)
    out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
    np.add.at(out, np.array(owner), vecs)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


class Linker:
    """The linking attacker: retrieval over the public judgments it knows, by two retrievers.

    - ``tfidf``: TF-IDF (word 1-2 grams) cosine between the egress and each judgment;
    - ``dense``: all-MiniLM-L6-v2 (the CPP embedder): each 100-word passage of the egress against every
      chunk of every judgment; a judgment scores the sum over the passages of its best chunk's similarity
      (an excerpt matches passages, not a whole judgment's average).

    A sample is linked when either retriever ranks the true case first. The judgments' chunk embeddings
    are computed once per background (and kept in ``cache_dir`` when one is given).
    """

    RETRIEVERS = ("tfidf", "dense")
    QUERY_WORDS = 100  # the egress is matched passage by passage (measured better than one mean vector)

    def __init__(self, background: dict[str, str], dense: bool = True, chunk_words: int = 200,
                 cache_dir: str | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.doc_ids = list(background)
        self.background = background
        self.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, max_df=0.9)
        self.matrix = self.vectorizer.fit_transform([background[d] for d in self.doc_ids])
        self.retrievers = self.RETRIEVERS if dense else ("tfidf",)
        self.chunk_words = chunk_words
        self.cache_dir = cache_dir
        self._chunks: tuple[np.ndarray, np.ndarray] | None = None

    def top1(self, texts: list[str]) -> list[str | None]:
        """The TF-IDF retriever's first case for each text; None where the text shares no term with any
        judgment (a minimized egress that is a marker only): every judgment ties at 0, and taking the
        first of them would count a link the attacker never made."""
        if not texts:
            return []
        scores = (self.vectorizer.transform(texts) @ self.matrix.T).toarray()
        return [self.doc_ids[i] if row[i] > 0 else None for row, i in zip(scores, scores.argmax(axis=1))]

    def chunk_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(unit vector per judgment chunk, index of its judgment), embedded once (and cached on disk)."""
        if self._chunks is None:
            key = digest([embedder_version(), self.chunk_words, self.doc_ids,
                          [self.background[d] for d in self.doc_ids]])
            path = Path(self.cache_dir) / "linking" / f"{key}.npz" if self.cache_dir else None
            if path is not None and path.exists():
                with np.load(path) as z:
                    self._chunks = (z["vecs"], z["owner"])
            else:
                chunks, owner = chunks_of([self.background[d] for d in self.doc_ids], self.chunk_words)
                self._chunks = (embed_chunks(chunks).astype(np.float32), np.asarray(owner))
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(".tmp.npz")
                    np.savez(tmp, vecs=self._chunks[0], owner=self._chunks[1])
                    os.replace(tmp, path)
        return self._chunks

    def dense_top1(self, texts: list[str]) -> list[str]:
        """The dense retriever's first case for each text: every passage of the text (QUERY_WORDS words)
        finds its best-matching chunk of each judgment, and a judgment scores the sum over the passages."""
        if not texts:
            return []
        vecs, owner = self.chunk_vectors()
        passages, text_of = chunks_of(texts, self.QUERY_WORDS)
        sims = embed_chunks(passages, cache_dir=self.cache_dir) @ vecs.T  # (passages, judgment chunks)
        best = np.full((len(passages), len(self.doc_ids)), -np.inf, dtype=np.float32)
        np.maximum.at(best.T, owner, sims.T)  # each passage's best chunk per judgment
        scores = np.zeros((len(texts), len(self.doc_ids)), dtype=np.float32)
        np.add.at(scores, np.asarray(text_of), best)
        return [self.doc_ids[i] for i in scores.argmax(axis=1)]

    def ranked_first(self, texts: list[str]) -> dict[str, list[str]]:
        """Each retriever's first case for each text."""
        with stage("metrics: linking"):
            return {name: (self.top1 if name == "tfidf" else self.dense_top1)(texts) for name in self.retrievers}


def read_background(path: str | Path) -> dict[str, str]:
    """The linking attacker's background; every problem is an error naming the file and the YAML key."""
    p = resolve(path)
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
def linker(path: str, chunk_words: int = 200, cache_dir: str | None = None) -> Linker:
    return Linker(read_background(path), chunk_words=chunk_words, cache_dir=cache_dir)
