"""The edge's privacy detector: pattern recognizers + spaCy NER + rules, merged into disjoint spans,
with a sensitivity score and level.

Stages, each its own module: read the text as a reader sees it (view.py: markup as rendered, no
invisible characters, no look-alike letters; spans map back to the original) -> recognize (recognizers, NER, rules) -> trim (trim.py) -> filter
non-identifying spans (filters.py) -> propagate detected values over the text (propagate.py) ->
grow parts to whole values (whole_values.py) -> resolve overlaps (spans.resolve_overlaps) -> sensitivity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .config import DetectorConfig, SensitivityConfig, load_detector_config
from ..spans import Span, resolve_overlaps
from . import recognizers as _builtin  # noqa: F401  (registers the built-in recognizers)
from . import rules as _rules  # noqa: F401  (registers the built-in rules)
from .base import RECOGNIZERS, Recognizer
from .fields import fields_view
from .filters import SpanFilter
from .learned import load_tagger
from .ner import SpacyNer
from .propagate import propagate
from .trim import trim_spans
from .view import view
from .whole_values import grow_names, grow_numbers, grow_small


@dataclass(frozen=True)
class Detection:
    """What the detector found in one text."""

    spans: tuple[Span, ...]
    score: float
    level: str  # none | low | medium | high

    @property
    def private(self) -> bool:
        return bool(self.spans)

    def values(self) -> list[str]:
        """Distinct detected surface forms, longest first."""
        return sorted({s.text for s in self.spans if s.text}, key=lambda v: (-len(v), v))

    def to_dicts(self) -> list[dict]:
        return [s.to_dict() for s in self.spans]


def sensitivity(spans: Sequence[Span], config: SensitivityConfig) -> tuple[float, str]:
    """Score in [0, 1] and level; each distinct (type, value) counts once, so repetition adds nothing."""
    if not spans:
        return 0.0, "none"
    best: dict[tuple[str, str], float] = {}
    for s in spans:
        key = (s.entity_type, s.text.casefold())
        best[key] = max(best.get(key, 0.0), s.score)
    total = sum(config.weights.get(t, config.default_weight) * sc for (t, _), sc in best.items())
    score = min(1.0, total / config.saturation)
    level = "high" if score >= config.high else "medium" if score >= config.medium else "low"
    return round(score, 6), level


LOW_SHARE, HIGH_SHARE = 1 / 3, 1 / 6  # the level mix the thresholds are fitted for


def level_thresholds(scores: Sequence[float], low_share: float = LOW_SHARE,
                     high_share: float = HIGH_SHARE) -> tuple[float, float]:
    """``medium`` and ``high`` such that about ``low_share`` of the texts scored are low and
    ``high_share`` high: the score quantiles, rounded to two decimals (fitted on train excerpts)."""
    import numpy as np

    values = np.asarray([s for s in scores if s > 0], dtype=float)
    if values.size == 0:
        raise ValueError("level_thresholds: no text with anything detected")
    medium, high = np.quantile(values, [low_share, 1 - high_share])
    return round(float(medium), 2), round(float(max(high, medium)), 2)


@dataclass
class Detector:
    """Runs every configured recognizer and the NER over texts; spaCy runs once per text, in batches."""

    config: DetectorConfig = field(default_factory=load_detector_config)

    def __post_init__(self) -> None:
        self.recognizers: list[Recognizer] = [RECOGNIZERS.get(n)() for n in self.config.recognizers]
        self.rules: list[Recognizer] = [RECOGNIZERS.get(n)() for n in self.config.rules]
        ner = self.config.ner
        self.ner = SpacyNer(ner.labels, ner.model, ner.score, ner.batch_size) if ner.enabled else None
        c = self.config
        self.filter = SpanFilter.from_config(c)
        lc = c.learned
        self.tagger = load_tagger(lc.model, lc.drop_below, lc.add_above, lc.protect) if lc.enabled else None

    def warm_up(self) -> None:
        """Load the spaCy model now, so that detection timings measure detection, not loading."""
        if self.ner is not None:
            self.ner.nlp  # noqa: B018  (loads the model)

    def detect(self, text: str) -> Detection:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[Detection]:
        # A text with a right-to-left override reads one way on a screen and another to a model, and
        # a text with markup hides part of itself when rendered (an address in a link): each is read
        # both ways and the spans of every reading are kept.
        views = [(i, view(t)) for i, t in enumerate(texts)]
        views += [(i, view(texts[i], shown=False)) for i, v in views[: len(texts)] if v.overridden]
        views += [(i, view(texts[i], rendered=False)) for i, v in views[: len(texts)] if v.rendered]
        # A pasted record (JSON, a table, HTML inputs, a query string) is also read one field a line.
        views += [(i, f) for i, f in ((i, fields_view(t)) for i, t in enumerate(texts)) if f is not None]
        docs: Iterable = (self.ner.parse([v.text for _, v in views]) if self.ner is not None
                          else (None for _ in views))
        out: list[Detection | None] = [None] * len(texts)
        for (i, v), doc in zip(views, docs):
            found = self.finish(v.text, doc, *self.candidates(v.text, doc))
            if v.text != v.original:  # offsets and texts of the original, invisible characters included
                found = Detection(tuple(v.to_original(s) for s in found.spans), found.score, found.level)
            if out[i] is not None:  # the second reading of a text with an override: both readings' spans
                merged = tuple(resolve_overlaps([*out[i].spans, *found.spans], texts[i]))
                found = Detection(merged, *sensitivity(merged, self.config.sensitivity))
            out[i] = found
        return out

    def candidates(self, text: str, doc, span_filter: SpanFilter | None = None) -> tuple[list[Span], list[Span]]:
        """Spans the recognizers, NER and rules found: those the filters keep, and those they drop.

        Split from ``finish`` so that fitting (cross-validation within the train split) runs spaCy
        and the rules once and refits only the learned parts per fold; ``span_filter`` replaces the
        configured filter (a fold's own public-bodies lexicon).
        """
        spans = self.found(text, doc)
        kept = (span_filter or self.filter).apply(text, spans)
        kept_ids = {id(s) for s in kept}
        return kept, [s for s in spans if id(s) not in kept_ids]

    def found(self, text: str, doc) -> list[Span]:
        """Every span the recognizers, NER and rules found, trimmed, before the filters."""
        spans: list[Span] = []
        for rec in self.recognizers:
            spans.extend(rec.analyze(text, doc))
        if self.ner is not None and doc is not None:
            spans.extend(self.ner.spans(doc))
        for rule in self.rules:
            spans.extend(rule.analyze(text, doc))
        return trim_spans(text, spans) if self.config.trim else spans

    def finish(self, text: str, doc, kept: list[Span], dropped: list[Span], tagger=None) -> Detection:
        """Learned stage (``tagger``, default: the configured one), propagation, overlaps, sensitivity."""
        tagger = tagger if tagger is not None else self.tagger
        if tagger is not None and doc is not None:
            kept = tagger.refine(text, doc, kept, dropped)
        prop = self.config.propagation
        if prop.enabled:
            kept.extend(propagate(text, kept, prop.types, prop.min_chars, prop.score_factor))
        kept = grow_numbers(text, grow_small(text, grow_names(text, kept)))  # a part grows to the whole value
        merged = [s for s in resolve_overlaps(kept, text) if s.text.strip()]
        score, level = sensitivity(merged, self.config.sensitivity)
        return Detection(tuple(merged), score, level)
