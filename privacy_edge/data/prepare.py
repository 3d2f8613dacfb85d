"""Turn TAB documents into Ianvs JSONL: ``question`` is what the system sees, ``answer`` the gold.

The system under test reads only the question (doc_id, text, task question). The answer carries
what the metrics need (mentions with identifier types, applicant, task reference) and is never
shown to the edge or the cloud.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..jsonl import write_jsonl
from .splits import sources
from .tab import Mention, TabDocument, load_tab
from .tasks import get_task



@dataclass(frozen=True)
class PreparedSample:
    question: dict
    answer: dict


def cut_text(text: str, max_chars: int) -> str:
    """Cut ``text`` to at most ``max_chars`` at a paragraph boundary (else a sentence, else a space)."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    head = text[:max_chars]
    for sep in ("\n", ". ", " "):
        cut = head.rfind(sep)
        if cut > max_chars // 3:
            return head[: cut + (1 if sep == ". " else 0)].rstrip()
    return head


def pooled_mentions(doc: TabDocument, limit: int) -> list[Mention]:
    """Mentions inside ``[0, limit)``, one per distinct (start, end); where annotators disagree, to-mask wins."""
    best: dict[tuple[int, int], Mention] = {}
    rank = {"DIRECT": 2, "QUASI": 1, "NO_MASK": 0}
    for m in doc.mentions:
        if m.end > limit:
            continue
        key = (m.start, m.end)
        if key not in best or rank[m.identifier_type] > rank[best[key].identifier_type]:
            best[key] = m
    return sorted(best.values(), key=lambda m: (m.start, m.end))


def prepare_document(doc: TabDocument, task_name: str, max_chars: int) -> PreparedSample:
    task = get_task(task_name)
    text = cut_text(doc.text, max_chars)
    cut_doc = TabDocument(
        doc_id=doc.doc_id, text=text, mentions=tuple(m for m in doc.mentions if m.end <= len(text)),
        countries=doc.countries, articles=doc.articles, applicant=doc.applicant,
    )
    question = {"doc_id": doc.doc_id, "text": text, "task": task.name, "question": task.question}
    answer = {
        "doc_id": doc.doc_id,
        "mentions": [m.to_dict() for m in pooled_mentions(doc, len(text))],
        "applicant": doc.applicant,
        "countries": list(doc.countries),
        "task": {"name": task.name, "reference": task.reference(cut_doc)},
        "chars": len(text),
        "original_chars": len(doc.text),
        # For the metrics alone: the no-privacy reference asks the cloud this, and CPP compares the
        # egress with this text after replacing the gold mentions by their types.
        "reference_input": {"question": task.question, "text": text},
    }
    return PreparedSample(question, answer)


def background_of(docs: list[TabDocument]) -> dict[str, str]:
    """The linking attacker's background knowledge: each case's public judgment, keyed by doc_id. TAB's
    texts are the published ECHR judgments, so the file read is that knowledge, whole (never cut):
    every document read, not only the first ``max_docs``, so the attack must pick the case among all."""
    return {d.doc_id: d.text for d in docs}


def write_background(docs: list[TabDocument], path: str | Path) -> Path:
    """Write ``{doc_id: full text}`` atomically (the metrics YAML's ``background`` names this file)."""
    import json

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(background_of(docs), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return path


def default_background(out: str | Path) -> Path:
    """Where the background goes by default: ``background.json`` beside the dataset."""
    return Path(out).with_name("background.json")


def prepare(inputs: list[str] | None, out: str | Path, task: str = "respondent_state", max_docs: int = 0,
            max_chars: int = 0, cache_dir: str | Path = ".cache/tab",
            background: str | Path | None = "") -> tuple[Path, int]:
    """Validate every input document first, then write ``out`` (a JSONL file for Ianvs) and the linking
    attacker's background (``background``: a path; "" beside ``out``; None: not written)."""
    docs: list[TabDocument] = []
    for src in sources(inputs, "test", cache_dir):
        docs.extend(load_tab(src))
    get_task(task)
    if background is not None:
        write_background(docs, background or default_background(out))
    if max_docs > 0:
        docs = docs[:max_docs]
    # Written atomically: a crash never leaves a half-written dataset for Ianvs to read.
    samples = (prepare_document(d, task, max_chars) for d in docs)
    write_jsonl(({"question": s.question, "answer": s.answer} for s in samples), out)
    return Path(out), len(docs)
