"""What the thin Ianvs modules share, kept here so that they stay thin (no Ianvs or Sedna import).

Sedna's ``inference-then-mining`` flow calls ``edge.predict(x)``, then ``hem(deepcopy(edge_result))``,
then ``cloud.inference(x)`` when the HEM says so; Ianvs then counts a sample as "Edge" when the edge
result is truthy, else as "Cloud" when the cloud result is. ``EdgeHandoff`` carries one sample's
trace through that flow: it survives Sedna's deep copy as the same object (so the router's decision
reaches the cloud step and the record), and it is truthy only when the edge answer is final, so
Ianvs's progress bar counts routes correctly.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .config import build
from .record import Trace, write_records
from .routing import EDGE


class EdgeHandoff:
    """One sample's trace, handed from the edge model to the router (and into Ianvs's result list)."""

    __slots__ = ("trace",)

    def __init__(self, trace: Trace):
        self.trace = trace

    def __deepcopy__(self, memo) -> "EdgeHandoff":
        return self  # Sedna copies results between steps; a sample's state must stay one object

    def __bool__(self) -> bool:
        return self.trace.route == EDGE

    def record(self) -> dict:
        return self.trace.to_record()

    def __repr__(self) -> str:
        return f"EdgeHandoff({self.trace.doc_id}, route={self.trace.route})"


def settings(model: type[BaseModel], kwargs: dict, module: str):
    """Validate a module's hyperparameters: Ianvs drops nothing here, unknown keys are errors."""
    return build(model, kwargs, f"{module} hyperparameters")


def public_hyperparameters(kwargs: dict) -> dict:
    """Hyperparameters as Ianvs writes them in rank CSV columns (values as str), without injected objects."""
    return {k: str(v) for k, v in kwargs.items() if isinstance(v, (str, int, float, bool, type(None), list, dict))}


def records_dir() -> Path:
    """Where Ianvs keeps this algorithm's outputs (it sets RESULT_SAVED_URL); ./workspace otherwise."""
    return Path(os.environ.get("RESULT_SAVED_URL") or "./workspace") / "records"


def write_run(traces: list[Trace], manifest: dict, directory: Path | None = None) -> Path:
    """Write a test case's records (JSONL) and a manifest naming its hyperparameters (JSON).

    The file name is a hash of the manifest, so rerunning a test case replaces its own records;
    the report command matches manifests to rank CSV rows by their hyperparameter columns.
    """
    directory = directory or records_dir()
    key = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:12]
    path = write_records((t.to_record() for t in traces), directory / f"{key}.jsonl")
    tmp = directory / f"{key}.json.tmp"
    tmp.write_text(json.dumps({"hyperparameters": manifest, "records": path.name, "samples": len(traces)},
                              indent=2, sort_keys=True))
    os.replace(tmp, directory / f"{key}.json")
    return path


def as_records(y_pred: Any) -> list[dict]:
    """The §6 records from Ianvs's ``y_pred`` (one [is_hard, result, edge_result, cloud_result] per sample)."""
    from .record import as_record

    out = []
    for item in y_pred:
        result = item[1] if isinstance(item, (list, tuple)) and len(item) == 4 else item
        out.append(as_record(result))
    return out
