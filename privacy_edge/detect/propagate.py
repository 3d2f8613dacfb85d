"""Document-level propagation: once a name is detected somewhere in a text, every other occurrence
of the same name is detected too.

The NER decides each mention from its local context and misses some repetitions of a name it found
elsewhere ("Dr Carrow" three times, found once); a masked text that leaks the name once leaks it
everywhere. A titled name is also propagated without its title ("Mr Tomas Vrel" -> "Tomas Vrel"),
since lists of co-applicants often repeat names without the title. Occurrences are found as the
egress guard finds them (``privacy_edge.matching``: "İNAN" is an occurrence of "Inan").
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .. import matching
from ..spans import Span
from .lexicon import TITLES

TITLE_WORDS = frozenset(TITLES)


def propagate(text: str, spans: Sequence[Span], types: Iterable[str], min_chars: int = 3,
              score_factor: float = 0.9) -> list[Span]:
    """New spans for further occurrences of detected values of the given types (whole words only)."""
    types = frozenset(types)
    values: dict[str, Span] = {}  # key -> the span it came from
    for s in spans:
        if s.entity_type not in types:
            continue
        value = text[s.start : s.end].strip()
        if len(value) >= min_chars and any(c.isupper() or c.isdigit() for c in value):
            values.setdefault(matching.key(value), s)
        if s.entity_type == "PERSON":
            parts = value.split()
            # "Mr Arif Demirel" -> "Arif Demirel"; "Mr Vrel" alone is too short to be safe without a title.
            if len(parts) >= 3 and parts[0].rstrip(".") in TITLE_WORDS and parts[1] not in TITLE_WORDS:
                values.setdefault(matching.key(" ".join(parts[1:])), s)
    # One pass over the text for all values, longest first so "Dr Harlow" wins over "Harlow".
    return [Span(o.start, o.end, values[o.key].entity_type, round(values[o.key].score * score_factor, 6), "propagate")
            for o in matching.occurrences(text, values)]
