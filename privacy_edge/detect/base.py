"""Recognizers: small classes that find one family of private information in a text.

A recognizer gets the text and the spaCy ``Doc`` of it (spaCy runs once per text, in batches, before
any recognizer) and returns spans. Pattern recognizers only declare their patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..registry import Registry
from ..spans import Span


class Recognizer:
    """Finds spans of the entity types it declares."""

    name: ClassVar[str] = ""
    entity_types: ClassVar[tuple[str, ...]] = ()

    def analyze(self, text: str, doc) -> list[Span]:  # doc: spacy.tokens.Doc or None
        raise NotImplementedError


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: str
    score: float
    flags: int = 0


class PatternRecognizer(Recognizer):
    """A recognizer made of regular expressions; ``validate`` may reject or rescore a match."""

    entity_type: ClassVar[str] = ""
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    group: ClassVar[int | str] = 0  # which regex group is the private part

    def __init__(self) -> None:
        self._compiled = [(p, re.compile(p.regex, p.flags)) for p in self.patterns]

    @property
    def entity_types(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.entity_type,)

    def validate(self, value: str) -> float | None:
        """Score of a match, or None to drop it. Default: keep the pattern's score."""
        return -1.0

    def analyze(self, text: str, doc=None) -> list[Span]:
        spans = []
        for pattern, rx in self._compiled:
            for m in rx.finditer(text):
                start, end = m.span(self.group)
                if start == end:
                    continue
                verdict = self.validate(text[start:end])
                if verdict is None:
                    continue
                score = pattern.score if verdict < 0 else verdict
                spans.append(Span(start, end, self.entity_type, score, f"{self.name}:{pattern.name}"))
        return spans


RECOGNIZERS: Registry[type[Recognizer]] = Registry("recognizer")
