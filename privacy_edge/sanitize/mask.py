"""NER masking (complexity 2): every detected value becomes a typed placeholder, the same one for
every occurrence of the same value in a document ("[PERSON_1] ... [PERSON_1]").
"""

from __future__ import annotations

from typing import Callable, Sequence

from pydantic import field_validator

from ..settings import Strict
from ..spans import Span
from ..matching import key
from ..protected import protected_values
from .base import (NEUTRAL_MARK, SANITIZERS, Replacement, Sanitized, Sanitizer, expand_to_all_occurrences,
                   replace_spans, without_values)


class MaskConfig(Strict):
    """``mask.template``: how a placeholder is written, with the type and the value's number."""

    template: str = "[{type}_{n}]"

    @field_validator("template")
    @classmethod
    def _has_fields(cls, v: str) -> str:
        if "{type}" not in v or "{n}" not in v:
            raise ValueError("template must contain {type} and {n}")
        return v


def placeholder_type(entity_type: str) -> str:
    return "".join(c for c in entity_type.upper() if c.isalnum() or c == "_") or "ENTITY"


@SANITIZERS.register("mask")
class MaskSanitizer(Sanitizer):
    name = "mask"
    Settings = MaskConfig
    placeholders = True

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
