"""Which candidate spans the detector drops before merging: surface forms that identify nobody.

Five tests, each configurable: exact surface forms (``ignore``), regular expressions that must match
the whole span (``ignore_patterns``: legal references such as "Article 6 § 1", boilerplate such as
"inter alia"), bare numbers of legal provisions ("48" in "Articles 44 and 48", which the NER may
call a date), public bodies named only by generic words ("the Supreme Court", "the Turkish
Government"), which TAB leaves unmasked while "the Ankara State Security Court" is masked, and
names made only of widely known products and services ("Twitter", "Word and Outlook":
lexicons/public_names.txt) and the names of form fields taken for names ("Phone:", "DOB:", "IBAN:"),
which identify nobody.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

from ..spans import Span
from .lexicon import LEGAL_REFERENCE_BEFORE, entries, words
from .rules.form_field import is_field_label

CONTENT_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
CONNECTORS = frozenset({"the", "of", "and", "for", "on", "in", "s", "to"})
BARE_NUMBER = re.compile(r"\d{1,4}(?:[-.]\d{1,3})?")
REFERENCE_WINDOW = 40
NAME_TYPES = frozenset({"PERSON", "ORG", "LOC", "MISC", "DEM"})  # what the NER may call a product or a label
LABEL_END = re.compile(r"[\"']?[^\S\n]*(?::|=|\t)")  # a field's name ends where its value begins


class SpanFilter:
    """Decides, per candidate span, whether it is kept (``keep``) or dropped as non-identifying."""

    def __init__(self, ignore: Iterable[str] = (), patterns: Iterable[str] = (), public_body_types: Sequence[str] = (),
                 min_score: float = 0.0, legal_references: bool = True, public_bodies: Iterable[str] | None = None):
        """``public_bodies``: the generic institutional words (default: ``lexicons/public_bodies.txt``,
        fitted on TAB's train split); demonyms always count as generic."""
        self.legal_references = legal_references
        self.ignore = {s.casefold() for s in ignore}
        self.patterns = [re.compile(p) for p in patterns]
        self.public_body_types = frozenset(public_body_types)
        bodies = words("public_bodies") if public_bodies is None else tuple(public_bodies)
        self.generic = {w.casefold() for w in (*bodies, *words("demonyms"))}
        self.public_names = {w.casefold() for w in words("public_names")}
        self.min_score = min_score

    @classmethod
    def from_config(cls, c, public_bodies: Iterable[str] | None = None) -> "SpanFilter":
        """The filter a ``DetectorConfig`` describes; ``public_bodies`` replaces its lexicon."""
        if public_bodies is None and c.public_bodies:
            public_bodies = entries(Path(c.public_bodies).read_text(encoding="utf-8"))
        return cls(c.ignore, c.ignore_patterns, c.public_body_types, c.min_score, c.drop_legal_references,
                   public_bodies)

    def keep(self, text: str, span: Span) -> bool:
        if span.score < self.min_score:
            return False
        surface = text[span.start : span.end].strip()
        if not surface or surface.casefold() in self.ignore:
            return False
        if any(p.fullmatch(surface) for p in self.patterns):
            return False
        if self.legal_references and span.entity_type != "CODE" and self.is_legal_reference(text, span, surface):
            return False
        if span.entity_type in NAME_TYPES and (self.only_words_of(surface, self.public_names)
                                               or is_field_label(surface) and LABEL_END.match(text, span.end)):
            return False
        return not (span.entity_type in self.public_body_types and self.is_public_body(surface))

    @staticmethod
    def is_legal_reference(text: str, span: Span, surface: str) -> bool:
        """A bare number right after "Article", "Rule", "§"... (application and file numbers are CODE, kept)."""
        if not BARE_NUMBER.fullmatch(surface):
            return False
        return LEGAL_REFERENCE_BEFORE.search(text, max(0, span.start - REFERENCE_WINDOW), span.start) is not None

    def is_public_body(self, surface: str) -> bool:
        """True when every content word is a generic institutional word or a demonym."""
        return self.only_words_of(surface, self.generic)

    @staticmethod
    def only_words_of(surface: str, lexicon: set[str]) -> bool:
        """True when every content word (connectors aside, a possessive ending off) is in ``lexicon``."""
        content = [w.casefold() for w in CONTENT_WORD.findall(surface)]
        content = [w.removesuffix("\u2019s").removesuffix("'s") for w in content if w not in CONNECTORS]
        return bool(content) and all(w in lexicon for w in content)

    def apply(self, text: str, spans: Iterable[Span]) -> list[Span]:
        return [s for s in spans if self.keep(text, s)]
