"""NER masking (complexity 2): every detected value becomes a typed placeholder, the same one for
every occurrence of the same value in a document ("[PERSON_1] ... [PERSON_1]").
"""

from __future__ import annotations

from typing import Sequence

from ..config import MaskConfig
from ..spans import Span
from .base import SANITIZERS, Sanitized, Sanitizer, expand_to_all_occurrences, normalize, replace_spans


def placeholder_type(entity_type: str) -> str:
    return "".join(c for c in entity_type.upper() if c.isalnum() or c == "_") or "ENTITY"


@SANITIZERS.register("mask")
class MaskSanitizer(Sanitizer):
    name = "mask"
    complexity = 2

    def __init__(self, config: MaskConfig | None = None):
        self.config = config or MaskConfig()

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        spans = expand_to_all_occurrences(text, spans)
        numbering: dict[tuple[str, str], str] = {}
        counters: dict[str, int] = {}

        def placeholder(span: Span) -> str:
            key = (span.entity_type, normalize(text[span.start : span.end]))
            if key not in numbering:
                ptype = placeholder_type(span.entity_type)
                counters[ptype] = counters.get(ptype, 0) + 1
                numbering[key] = self.config.template.format(type=ptype, n=counters[ptype])
            return numbering[key]

        out, items = replace_spans(text, spans, placeholder, self.name)
        mapping = {}
        for it in items:
            mapping.setdefault(it.replacement, it.original)
        return Sanitized(out, self.name, {"template": self.config.template}, items, mapping)
