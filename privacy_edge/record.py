"""The sample the system sees and the per-sample record that every metric reads (docs/architecture.md, "The record")."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .data.tab import TabFormatError
from .detect.detector import Detection
from .jsonl import write_jsonl
from .sanitize.base import Sanitized

def short_error(err: BaseException) -> str:
    """What a record says of an exception: its class and the first line of its message (300 characters)."""
    msg = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {msg}"[:300]


TIMING_KEYS = ("detect", "sanitize", "guard", "edge", "cloud", "restore", "total")
PRIVACY_TIMINGS = ("detect", "sanitize", "guard", "restore")  # the egress guard's checks are privacy work


@dataclass(eq=False)
class Sample:
    """What the system under test may read: never the gold."""

    doc_id: str
    text: str
    question: str
    task: str = ""

    @classmethod
    def from_question(cls, q: Any, where: str = "dataset") -> "Sample":
        if isinstance(q, Sample):
            return q
        if isinstance(q, str):
            try:
                q = json.loads(q)
            except ValueError:
                raise TabFormatError(where, None, "question", "not a JSON object") from None
        if not isinstance(q, dict):
            raise TabFormatError(where, None, "question", f"expected an object, got {type(q).__name__}")
        doc = str(q.get("doc_id", "?"))
        for key in ("doc_id", "text", "question"):
            if not isinstance(q.get(key), str) or not q[key].strip():
                raise TabFormatError(where, doc, f"question.{key}", "missing or empty")
        return cls(doc_id=q["doc_id"], text=q["text"], question=q["question"], task=str(q.get("task", "")))


@dataclass(eq=False)
class Trace:
    """A sample's record under construction as it moves edge -> router -> cloud."""

    doc_id: str
    route: str | None = None
    private: bool | None = None
    sensitivity: dict = field(default_factory=lambda: {"score": None, "level": None})
    detected: list = field(default_factory=list)
    method: dict | None = None
    egress: str | None = None
    answer: str | None = None
    edge: dict | None = None
    cloud: dict | None = None
    timings_s: dict = field(default_factory=lambda: {k: 0.0 for k in TIMING_KEYS})
    error: str | None = None
    # edge-side state, never serialized into the record
    detection: Detection | None = field(default=None, repr=False)
    sanitized: Sanitized | None = field(default=None, repr=False)
    sample: Sample | None = field(default=None, repr=False)
    payload: str | None = field(default=None, repr=False)  # the text to send, once decided
    payload_question: str | None = field(default=None, repr=False)  # the question to send with it
    question_spans: tuple = field(default=(), repr=False)  # what a user's question holds (not a task's)

    def fail(self, message: str) -> None:
        if self.error is None:
            self.error = message

    def to_record(self) -> dict:
        t = dict(self.timings_s)
        t["total"] = round(sum(t[k] for k in TIMING_KEYS if k != "total"), 6)
        return {
            "doc_id": self.doc_id,
            "route": self.route,
            "private": self.private,
            "sensitivity": dict(self.sensitivity),
            "detected": list(self.detected),
            "method": self.method,
            "egress": self.egress,
            "answer": self.answer,
            "edge": self.edge,
            "cloud": self.cloud,
            "timings_s": {k: round(v, 6) for k, v in t.items()},
            "error": self.error,
        }


def as_record(result: Any) -> dict:
    """A record from whatever a result slot holds (a record dict, or an object with ``record()``)."""
    if isinstance(result, dict):
        return dict(result)
    if hasattr(result, "record"):
        return result.record()
    raise TypeError(f"not a sample record: {type(result).__name__}")


def as_records(y_pred: Any) -> list[dict]:
    """The records in Ianvs's ``y_pred``: one ``[is_hard, result, edge_result, cloud_result]`` per
    sample (Sedna's ``JointInference.inference``), or the results themselves."""
    out = []
    for item in y_pred:
        result = item[1] if isinstance(item, (list, tuple)) and len(item) == 4 else item
        out.append(as_record(result))
    return out


def write_run(traces: Iterable[Trace], manifest: dict, directory: str | Path, models: dict | None = None) -> Path:
    """A test case's records (JSONL) and a manifest naming its hyperparameters (JSON), and the models
    that ran (``models``: which edge model, spaCy pipeline and embedder were found and used).

    The file name is a hash of the manifest, so rerunning a test case replaces its own records;
    the report command matches manifests to rank CSV rows by their hyperparameter columns.
    """
    import hashlib
    import os

    directory = Path(directory)
    traces = list(traces)
    key = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:12]
    path = write_jsonl((t.to_record() for t in traces), directory / f"{key}.jsonl")
    tmp = directory / f"{key}.json.tmp"
    tmp.write_text(json.dumps({"hyperparameters": manifest, "records": path.name, "samples": len(traces),
                               "models": models or {}}, indent=2, sort_keys=True))
    os.replace(tmp, directory / f"{key}.json")
    return path
