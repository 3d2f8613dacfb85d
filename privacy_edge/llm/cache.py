"""A disk cache of LLM answers keyed by model identity, generation parameters and the exact prompt.

Across the test cases of a grid the same document reaches the edge model with the same prompt, and
identical sanitized payloads reach the cloud: each is computed once. SQLite commits every entry
atomically, so a crash or kill never leaves a corrupt entry, and a rerun picks up where it stopped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Sequence

from .base import ChatModel, Generation, Messages, PartialAnswers


@functools.lru_cache(maxsize=8)
def _answer_cache(path: str) -> "AnswerCache":
    return AnswerCache(path)


def cache_for(cache_dir: str | None, enabled: bool = True) -> "AnswerCache | None":
    """The answer cache of a workspace (``<cache_dir>/answers.sqlite``), one per process and path; None
    when caching is off."""
    if not enabled or not cache_dir:
        return None
    return _answer_cache(str(Path(cache_dir).resolve() / "answers.sqlite"))


def cache_key(identity: dict, messages: Messages) -> str:
    blob = json.dumps({"model": identity, "messages": messages}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def open_table(path: str | Path, table: str, columns: str) -> sqlite3.Connection:
    """A workspace's SQLite file (created with its folder), in WAL mode and autocommit, shared by threads
    under the caller's lock, with ``table`` created as ``columns`` if missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
    return db


class AnswerCache:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = open_table(self.path, "answers", "key TEXT PRIMARY KEY, value TEXT NOT NULL")
        self.hits = self.misses = 0

    def get(self, key: str) -> Generation | None:
        with self._lock:  # the connection and the counters are shared by the cloud's request threads
            row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
            if row is None:
                self.misses += 1
                return None
            self.hits += 1
        return Generation.from_dict({**json.loads(row[0]), "cached": True})

    def put(self, key: str, generation: Generation) -> None:
        value = json.dumps({**generation.to_dict(), "cached": False}, ensure_ascii=False)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._db.close()


class CachedModel:
    """Wraps a ChatModel: answers from the cache where it has them, asks the model for the rest."""

    def __init__(self, model: ChatModel, cache: AnswerCache | None):
        self.model, self.cache = model, cache

    @property
    def identity(self) -> dict:
        return self.model.identity

    def generate(self, batch: Sequence[Messages]) -> list[Generation]:
        if self.cache is None:
            return self.model.generate(batch)
        keys = [cache_key(self.identity, m) for m in batch]
        out: list[Generation | None] = [self.cache.get(k) for k in keys]
        todo = [i for i, g in enumerate(out) if g is None]
        if todo:
            try:
                fresh, failed = self.model.generate([batch[i] for i in todo]), False
            except PartialAnswers as err:  # keep what did come back
                fresh, failed = err.results, True
            for i, g in zip(todo, fresh):
                if isinstance(g, Generation):
                    self.cache.put(keys[i], g)
                out[i] = g
            if failed:
                raise PartialAnswers(out)
        return out  # type: ignore[return-value]
