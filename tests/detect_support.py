"""Helpers shared by the tests/test_detect_*.py modules (a plain module, so it never clashes with a conftest)."""

from __future__ import annotations

import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
INVENTED = FIXTURES / "detect_invented.json"
OFFICIAL_DOC = ROOT.parent / "shared" / "tab" / "echr_test_001-61807.json"


@functools.lru_cache(maxsize=1)
def detector():
    """The default detector with the real spaCy model (loaded once per session)."""
    from privacy_edge.detect.detector import Detector

    return Detector()


@functools.lru_cache(maxsize=1)
def nlp():
    from privacy_edge.detect.ner import load_spacy

    return load_spacy()


def found(recognizer, text: str, doc=None) -> list[tuple[str, str]]:
    """(surface, type) of each span a recognizer finds, in text order."""
    return [(text[s.start : s.end], s.entity_type) for s in sorted(recognizer.analyze(text, doc))]


def covered(spans, text: str) -> list[str]:
    return [text[s.start : s.end] for s in spans]
