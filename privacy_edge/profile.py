"""Where a job's time goes: named stages timed where they run, appended as JSON lines to the file
``$PRIVACY_EDGE_PROFILE`` names (``make run`` sets it to the workspace's ``profile.jsonl``).

A stage is a block of wall time (``with stage("edge answers"):``). Stages may nest (an attacker's
requests inside a metric): ``summary`` gives each stage's own time, what it spent outside the stages
nested in it, so the shares add up to the job's wall time with no second count. Unset, nothing is
written and a stage costs two clock reads.
"""

from __future__ import annotations

import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

ENV = "PRIVACY_EDGE_PROFILE"
_lock = threading.Lock()
_local = threading.local()


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as ``name``; the innermost open stage of the thread is its parent."""
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    parent = stack[-1] if stack else None
    stack.append(name)
    start = time.time()
    try:
        yield
    finally:
        stack.pop()
        write({"stage": name, "parent": parent, "start": start, "end": time.time(), "pid": os.getpid()})


def write(entry: dict) -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    with _lock, open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


@dataclass
class StageTime:
    stage: str
    seconds: float  # the stage's own time: its wall time less the stages nested in it
    calls: int


def read(path: str | Path) -> list[dict]:
    p = Path(path)
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()] if p.exists() else []


def summary(entries: Iterable[dict], wall_s: float | None = None, rest: str = "Ianvs and the rest") -> list[StageTime]:
    """Each stage's own seconds, largest first. Top-level stages are merged where they overlap in
    time (threads), so no second is counted twice; ``wall_s`` adds ``rest``: the job's time that no
    stage covers (Ianvs itself, the metrics' arithmetic, imports)."""
    entries = list(entries)
    own: dict[str, float] = {}
    calls: dict[str, int] = {}
    for e in entries:
        calls[e["stage"]] = calls.get(e["stage"], 0) + 1
    top = [e for e in entries if e.get("parent") is None]
    for name in {e["stage"] for e in entries}:
        mine = [(e["start"], e["end"]) for e in entries if e["stage"] == name]
        nested = [(e["start"], e["end"]) for e in entries if e.get("parent") == name]
        own[name] = _covered(mine) - _covered(_clip(nested, mine))
    out = [StageTime(s, max(t, 0.0), calls[s]) for s, t in own.items()]
    if wall_s is not None:
        out.append(StageTime(rest, max(wall_s - _covered([(e["start"], e["end"]) for e in top]), 0.0), 1))
    return sorted(out, key=lambda s: -s.seconds)


def _covered(intervals: list[tuple[float, float]]) -> float:
    """Seconds covered by the union of the intervals."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _clip(inner: list[tuple[float, float]], outer: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(max(a, c), min(b, d)) for a, b in inner for c, d in outer if min(b, d) > max(a, c)]


OUTSIDE = ("data preparation", "report and plots")  # the stages before and after Ianvs runs


def job(entries: list[dict], ianvs_s: float | None) -> tuple[list[StageTime], float]:
    """A job's stages and its wall time: the data preparation and the report, and inside Ianvs's
    ``ianvs_s`` seconds the stages measured there plus what none of them covers."""
    inside = [e for e in entries if e["stage"] not in OUTSIDE]
    outside = [e for e in entries if e["stage"] in OUTSIDE]
    times = summary(inside, ianvs_s) + summary(outside)
    total = (ianvs_s or _covered([(e["start"], e["end"]) for e in inside if e.get("parent") is None])) + \
        sum(t.seconds for t in summary(outside))
    return sorted(times, key=lambda t: -t.seconds), total


def table(times: list[StageTime], wall_s: float | None = None) -> list[str]:
    """Markdown rows: stage, seconds, share of the wall time (or of the stages' sum)."""
    total = wall_s or sum(t.seconds for t in times) or 1.0
    rows = ["| stage | seconds | share | calls |", "| --- | --- | --- | --- |"]
    rows += [f"| {t.stage} | {t.seconds:.1f} | {t.seconds / total:.0%} | {t.calls} |" for t in times]
    return rows
