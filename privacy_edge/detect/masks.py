"""The mask file that ``detect`` writes and ``score`` reads: ``{doc_id: [[start, end, type], ...]}``.

A plain, tool-neutral JSON layout, so that masks from other detectors (Presidio, a human) can be
scored the same way. Reading validates every span and names the file, document and span at fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Mapping

from ..spans import Span


class MaskFileError(ValueError):
    """A mask file is malformed or does not fit the documents it is scored against."""


def to_rows(spans: Iterable[Span]) -> list[list]:
    return [[s.start, s.end, s.entity_type] for s in spans]


def write_masks(path: str | Path, masks: Mapping[str, Iterable[Span]]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = {doc_id: to_rows(spans) for doc_id, spans in masks.items()}
    path.write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def read_masks(path: str | Path) -> dict[str, list[Span]]:
    """Spans per document id; each row is ``[start, end, type]`` or ``{"start", "end", "type"}``."""
    path = Path(path)
    if not path.exists():
        raise MaskFileError(f"{path}: file not found")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise MaskFileError(f"{path}: malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    if not isinstance(raw, dict):
        raise MaskFileError(f"{path}: expected an object {{doc_id: [[start, end, type], ...]}}, got {type(raw).__name__}")
    masks: dict[str, list[Span]] = {}
    for doc_id, rows in raw.items():
        if not isinstance(rows, list):
            raise MaskFileError(f"{path}: document {doc_id}: expected a list of spans, got {type(rows).__name__}")
        masks[str(doc_id)] = [_span(row, path, doc_id, i) for i, row in enumerate(rows)]
    return masks


def _span(row, path: Path, doc_id: str, i: int) -> Span:
    where = f"{path}: document {doc_id}, span #{i}"
    if isinstance(row, dict):
        row = [row.get("start"), row.get("end"), row.get("type", row.get("entity_type", ""))]
    if not isinstance(row, list) or len(row) < 2:
        raise MaskFileError(f"{where}: expected [start, end, type], got {row!r}")
    start, end = row[0], row[1]
    etype = row[2] if len(row) > 2 else ""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise MaskFileError(f"{where}: start and end must be integers, got {row!r}")
    if not 0 <= start <= end:
        raise MaskFileError(f"{where}: invalid offsets [{start}, {end})")
    return Span(start, end, str(etype or "UNKNOWN"), 1.0, "mask-file")


def check_against(masks: Mapping[str, list[Span]], texts: Mapping[str, str], masks_path, inputs) -> None:
    """Same documents on both sides, and every span inside its document's text."""
    missing_in_input = sorted(set(masks) - set(texts))
    if missing_in_input:
        raise MaskFileError(
            f"{masks_path}: {len(missing_in_input)} document(s) not in the input ({', '.join(map(str, inputs))}): "
            f"{', '.join(missing_in_input[:10])}{' ...' if len(missing_in_input) > 10 else ''}"
        )
    missing_in_masks = sorted(set(texts) - set(masks))
    if missing_in_masks:
        raise MaskFileError(
            f"{masks_path}: no spans for {len(missing_in_masks)} input document(s) (an undetected document needs "
            f"an empty list): {', '.join(missing_in_masks[:10])}{' ...' if len(missing_in_masks) > 10 else ''}"
        )
    for doc_id, spans in masks.items():
        n = len(texts[doc_id])
        for i, s in enumerate(spans):
            if s.end > n:
                raise MaskFileError(
                    f"{masks_path}: document {doc_id}, span #{i} [{s.start}, {s.end}) lies outside its text of {n} characters"
                )
