"""Requests as the Sedna answer-generation example reads them: files in an input folder (or one file),
one request a line: plain text (asked the configured task's question), or a JSON object with ``text``
and optionally ``question``, ``doc_id`` and ``task``.

A line that cannot be a request becomes a failed request (its own record says why); it never stops
the file. A file is taken once it is complete: names starting with a dot or ending in ``.tmp`` or
``.part`` are left alone, so writers should write there and rename.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..data.tasks import get_task
from ..record import Sample

SKIPPED_SUFFIXES = (".tmp", ".part")


@dataclass(frozen=True)
class BadRequest:
    """A line that is no request: its id (file stem and line) and why."""

    doc_id: str
    error: str


def parse_line(line: str, doc_id: str, task: str) -> Sample | BadRequest:
    """One request from one line; ``doc_id`` is used when the line names none."""
    line = line.strip()
    if not line.startswith("{"):
        return Sample(doc_id=doc_id, text=line, question=get_task(task).question, task=task)
    try:
        obj = json.loads(line)
    except ValueError as err:
        return BadRequest(doc_id, f"request: not a JSON object ({err.msg} at column {err.colno})")
    if not isinstance(obj, dict):
        return BadRequest(doc_id, "request: not a JSON object")
    given = obj.get("doc_id", doc_id)
    if not isinstance(given, (str, int)) or not str(given).strip():
        return BadRequest(doc_id, "request.doc_id: must be a non-empty string")
    doc_id = str(given).strip()
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return BadRequest(doc_id, "request.text: missing or empty")
    question = obj.get("question")
    if question is None:
        return Sample(doc_id=doc_id, text=text, question=get_task(task).question, task=task)
    if not isinstance(question, str) or not question.strip():
        return BadRequest(doc_id, "request.question: must be a non-empty string")
    own_task = obj.get("task", "")
    if not isinstance(own_task, str):
        return BadRequest(doc_id, "request.task: must be a string")
    return Sample(doc_id=doc_id, text=text, question=question, task=own_task)


def read_requests(path: Path, task: str) -> list[Sample | BadRequest]:
    """Every request of a file, in order (blank lines skipped); a doc_id seen before in the file fails."""
    out: list[Sample | BadRequest] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            req = parse_line(line, f"{path.stem}-{n}", task)
            if req.doc_id in seen:
                req = BadRequest(f"{req.doc_id}@line{n}", f"request.doc_id: {req.doc_id!r} given twice in the file")
            seen.add(req.doc_id)
            out.append(req)
    return out


class Inbox:
    """New complete files of the input folder (or the input file), each returned once."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._done: set[tuple[str, int, int]] = set()

    def new_files(self) -> list[Path]:
        if self.path.is_dir():
            candidates = sorted(p for p in self.path.iterdir() if p.is_file())
        else:
            candidates = [self.path] if self.path.is_file() else []
        out = []
        for p in candidates:
            if p.name.startswith(".") or p.name.endswith(SKIPPED_SUFFIXES):
                continue
            st = p.stat()
            key = (p.name, st.st_mtime_ns, st.st_size)
            if key not in self._done:
                self._done.add(key)
                out.append(p)
        return out
