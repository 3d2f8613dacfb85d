"""NER masking (complexity 2): every detected value becomes a typed placeholder, the same one for
every occurrence of the same value in a document ("[PERSON_1] ... [PERSON_1]").
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..config import MaskConfig
from ..spans import Span
from ..matching import key
from .base import (NEUTRAL_MARK, SANITIZERS, Replacement, Sanitized, Sanitizer, expand_to_all_occurrences,
                   protected_values, replace_spans, without_values)


def placeholder_type(entity_type: str) -> str:
    return "".join(c for c in entity_type.upper() if c.isalnum() or c == "_") or "ENTITY"


@SANITIZERS.register("mask")
class MaskSanitizer(Sanitizer):
    name = "mask"

    def __init__(self, config: MaskConfig | None = None):
        self.config = config or MaskConfig()

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        expanded = expand_to_all_occurrences(text, spans)
        protected = protected_values(text, spans)
        numbering: dict[tuple[str, str], str] = {}
        counters: dict[str, int] = {}

        def placeholder(span: Span) -> str:
            value = key(text[span.start : span.end])
            ident = (span.entity_type, protected[value][2] if value in protected else value)  # an alias: its source
            if ident not in numbering:
                ptype = placeholder_type(span.entity_type)
                counters[ptype] = counters.get(ptype, 0) + 1
                numbering[ident] = self.config.template.format(type=ptype, n=counters[ptype])
            return numbering[ident]

        _, items = replace_spans(text, expanded, placeholder, self.name)
        mapping = {}
        for it in items:
            mapping.setdefault(it.replacement, it.original)
        values = {v for v, *_ in protected_values(text, spans).values()} | {it.original for it in items}
        out, edits = without_values(text, items, values, value_marks(spans, items, text), self.name)
        return Sanitized(out, self.name, {"template": self.config.template}, tuple(edits), mapping)


def value_marks(spans: Sequence[Span], items: Sequence[Replacement], text: str) -> Callable[[str], tuple[str, str]]:
    """For ``without_values``: a value's placeholder, or a neutral mark for a value that has none."""
    placeholder: dict[str, Replacement] = {}
    for it in items:
        if it.operator == "mask":
            placeholder.setdefault(key(it.original), it)
    type_of = {key(text[s.start : s.end]): s.entity_type for s in spans}

    def mark(value_key: str) -> tuple[str, str]:
        if value_key in placeholder:
            return placeholder[value_key].entity_type, placeholder[value_key].replacement
        return type_of.get(value_key, "ENTITY"), NEUTRAL_MARK

    return mark
