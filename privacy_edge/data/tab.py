"""Load TAB documents in the official layout, unchanged, with errors that name file, document and field.

The official files (echr_train/dev/test.json) are a JSON list of documents. Unknown keys are kept
(TAB has fields such as ``edit_type`` and ``related_mentions`` that we do not need); missing or
inconsistent required ones are errors raised before any model runs.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..spans import Span

MASKED_IDENTIFIER_TYPES = ("DIRECT", "QUASI")
IDENTIFIER_TYPES = ("DIRECT", "QUASI", "NO_MASK")
MAX_TEXT_CHARS = 2_000_000


class TabFormatError(ValueError):
    """Bad TAB input: says which file, which document and which field."""

    def __init__(self, file: str | Path, doc: str | None, fieldname: str | None, problem: str):
        self.file, self.doc, self.field, self.problem = str(file), doc, fieldname, problem
        where = f"{file}"
        if doc is not None:
            where += f": document {doc}"
        if fieldname:
            where += f", field '{fieldname}'"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Mention:
    """One annotated mention of an entity, as an annotator marked it."""

    start: int
    end: int
    entity_type: str
    identifier_type: str
    entity_id: str
    span_text: str
    annotator: str
    mention_id: str = ""

    @property
    def to_mask(self) -> bool:
        return self.identifier_type in MASKED_IDENTIFIER_TYPES

    def span(self) -> Span:
        return Span(self.start, self.end, self.entity_type, 1.0, "gold", self.span_text)

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "entity_type": self.entity_type,
            "identifier_type": self.identifier_type,
            "entity_id": self.entity_id,
            "span_text": self.span_text,
            "annotator": self.annotator,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Mention":
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            entity_type=d["entity_type"],
            identifier_type=d["identifier_type"],
            entity_id=d.get("entity_id", ""),
            span_text=d.get("span_text", ""),
            annotator=d.get("annotator", ""),
        )


@dataclass(frozen=True)
class TabDocument:
    """A TAB document: its text, what the annotators marked, and the case metadata (any may be null)."""

    doc_id: str
    text: str
    mentions: tuple[Mention, ...]
    task: str | None = None
    applicant: str | None = None
    countries: tuple[str, ...] = ()
    year: int | None = None
    legal_branch: str | None = None
    articles: tuple[str, ...] | None = None
    dataset_type: str | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def masked_mentions(self) -> list[Mention]:
        """Mentions to be masked (DIRECT or QUASI), pooled over annotators."""
        return [m for m in self.mentions if m.to_mask]


def _req(doc: dict, key: str, kind: type | tuple, file, doc_name):
    if key not in doc:
        raise TabFormatError(file, doc_name, key, "missing")
    value = doc[key]
    if not isinstance(value, kind):
        raise TabFormatError(file, doc_name, key, f"expected {_kind_name(kind)}, got {type(value).__name__}")
    return value


def _kind_name(kind) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


def _as_tuple(value, file, doc_name, key) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        return (str(value),)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    raise TabFormatError(file, doc_name, key, f"expected a string or list, got {type(value).__name__}")


def parse_document(raw: object, file: str | Path = "<memory>", index: int = 0,
                   require_annotations: bool = True) -> TabDocument:
    """Validate one raw TAB document and turn it into a TabDocument."""
    if not isinstance(raw, dict):
        raise TabFormatError(file, f"#{index}", None, f"expected a JSON object, got {type(raw).__name__}")
    doc_name = f"#{index}"
    doc_id = _req(raw, "doc_id", (str, int), file, doc_name)
    doc_id = str(doc_id)
    if not doc_id.strip():
        raise TabFormatError(file, doc_name, "doc_id", "empty")
    doc_name = doc_id
    text = _req(raw, "text", str, file, doc_name)
    if not text.strip():
        raise TabFormatError(file, doc_name, "text", "empty text")
    if len(text) > MAX_TEXT_CHARS:
        raise TabFormatError(file, doc_name, "text", f"{len(text):,} characters, more than {MAX_TEXT_CHARS:,}")
    mentions: list[Mention] = []
    annotations = raw.get("annotations")
    if annotations is None:
        if require_annotations:
            raise TabFormatError(file, doc_name, "annotations", "missing (the metrics need the gold)")
        annotations = {}
    if not isinstance(annotations, dict):
        raise TabFormatError(file, doc_name, "annotations", f"expected an object, got {type(annotations).__name__}")
    for annotator, ann in annotations.items():
        path = f"annotations.{annotator}.entity_mentions"
        if not isinstance(ann, dict) or not isinstance(ann.get("entity_mentions"), list):
            raise TabFormatError(file, doc_name, path, "missing or not a list")
        for j, m in enumerate(ann["entity_mentions"]):
            mentions.append(_parse_mention(m, text, file, doc_name, f"{path}[{j}]", annotator))
    meta = raw.get("meta") or {}
    if not isinstance(meta, dict):
        raise TabFormatError(file, doc_name, "meta", f"expected an object, got {type(meta).__name__}")
    year = meta.get("year")
    if year is not None and not isinstance(year, int):
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise TabFormatError(file, doc_name, "meta.year", f"not a year: {year!r}") from None
    articles = meta.get("articles")
    known = {"doc_id", "text", "annotations", "meta", "task", "dataset_type"}
    return TabDocument(
        doc_id=doc_id,
        text=text,
        mentions=tuple(mentions),
        task=raw.get("task") if isinstance(raw.get("task"), str) else None,
        applicant=meta.get("applicant") if isinstance(meta.get("applicant"), str) else None,
        countries=_as_tuple(meta.get("countries"), file, doc_name, "meta.countries"),
        year=year,
        legal_branch=meta.get("legal_branch"),
        articles=None if articles is None else _as_tuple(articles, file, doc_name, "meta.articles"),
        dataset_type=raw.get("dataset_type"),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def _parse_mention(m: object, text: str, file, doc_name: str, path: str, annotator: str) -> Mention:
    if not isinstance(m, dict):
        raise TabFormatError(file, doc_name, path, f"expected an object, got {type(m).__name__}")
    for key in ("start_offset", "end_offset"):
        if not isinstance(m.get(key), int) or isinstance(m.get(key), bool):
            raise TabFormatError(file, doc_name, f"{path}.{key}", f"missing or not an integer: {m.get(key)!r}")
    start, end = m["start_offset"], m["end_offset"]
    if not (0 <= start < end <= len(text)):
        raise TabFormatError(
            file, doc_name, f"{path}.start_offset",
            f"offsets [{start}, {end}) outside the text of {len(text)} characters",
        )
    for key in ("entity_type", "identifier_type"):
        if not isinstance(m.get(key), str):
            raise TabFormatError(file, doc_name, f"{path}.{key}", "missing or not a string")
    if m["identifier_type"] not in IDENTIFIER_TYPES:
        raise TabFormatError(file, doc_name, f"{path}.identifier_type",
                             f"{m['identifier_type']!r} is not one of {', '.join(IDENTIFIER_TYPES)}")
    span_text = m.get("span_text")
    if span_text is not None and span_text != text[start:end]:
        # TAB's own files are consistent; a mismatch means shifted offsets, and every metric would lie.
        if unicodedata.normalize("NFC", span_text) != unicodedata.normalize("NFC", text[start:end]):
            raise TabFormatError(
                file, doc_name, f"{path}.span_text",
                f"{span_text!r} does not match the text at [{start}, {end}): {text[start:end]!r}",
            )
    return Mention(
        start=start,
        end=end,
        entity_type=m["entity_type"],
        identifier_type=m["identifier_type"],
        entity_id=str(m.get("entity_id") or f"{m['entity_type']}:{text[start:end]}"),
        span_text=text[start:end],
        annotator=annotator,
        mention_id=str(m.get("entity_mention_id", "")),
    )


def load_tab(path: str | Path, require_annotations: bool = True) -> list[TabDocument]:
    """Read a TAB file (a JSON list of documents, or one document) and validate every document."""
    path = Path(path)
    if not path.exists():
        raise TabFormatError(path, None, None, "file not found")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise TabFormatError(path, None, None, f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise TabFormatError(path, None, None, f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    if isinstance(raw, dict) and "doc_id" in raw:
        raw = [raw]
    if not isinstance(raw, list):
        raise TabFormatError(path, None, None, f"expected a JSON list of documents, got {type(raw).__name__}")
    docs = [parse_document(d, path, i, require_annotations) for i, d in enumerate(raw)]
    seen: set[str] = set()
    for d in docs:
        if d.doc_id in seen:
            raise TabFormatError(path, d.doc_id, "doc_id", "duplicate document id")
        seen.add(d.doc_id)
    return docs

