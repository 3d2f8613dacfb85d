"""Trim detected spans to the words that identify: a leading article ("the Supreme Court"), a
trailing possessive ("Dr Harlow's"), an unclosed legal reference ("the Court (Rule 21") and
surrounding spaces or punctuation carry no identity, and masking them only costs precision (and
readability of the sanitized text).
"""

from __future__ import annotations

import re
from typing import Iterable

from ..spans import Span

LEADING = re.compile(r"(?:[\s,;:.\u201c\u201d\"(\[]|(?:the|The|THE|a|an|An)\s+)+")
TRAILING = re.compile(r"(?:[\s,;:\u201c\u201d\"\u2019'(]|[\u2019']s)+$")
# An unclosed legal reference the NER ran into: "the Court (Rule 21" -> "the Court".
REFERENCE_TAIL = re.compile(r"\s*\((?:Rules?|Articles?|art\.|§|see|paragraph)\b[^)]*$")


def trim_span(text: str, span: Span) -> Span | None:
    """The span without its leading article and trailing possessive or punctuation (None if nothing is left)."""
    start, end = span.start, span.end
    lead = LEADING.match(text, start, end)
    if lead:
        start = lead.end()
    ref = REFERENCE_TAIL.search(text, start, end)
    if ref:
        end = ref.start()
    tail = TRAILING.search(text, start, end)
    if tail:
        end = tail.start()
    if end <= start:
        return None
    return span if (start, end) == (span.start, span.end) else span.with_(start=start, end=end)


def trim_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    return [t for t in (trim_span(text, s) for s in spans) if t is not None]
