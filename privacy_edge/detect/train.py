"""What fitting the detector's learned parts needs: each train document read once (spaCy, the
recognizers and rules), its candidates split by a filter, the tagger's features and gold labels.

The fitting itself, with cross-validation within the train split and the provenance of what it
writes, is ``python -m privacy_edge fit`` (commands/fit.py, ``make detector-model``). Only hashed
feature weights are ever written, no document text.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from typing import Sequence

from .filters import SpanFilter
from .learned import TokenTagger, gold_labels, token_features
from .view import view

BITS = 16
C = 0.5


@dataclass
class Prepared:
    """One document as the learned stage sees it: spaCy doc, candidates, token features, gold labels."""

    doc_id: str
    text: str
    mentions: tuple
    doc: object
    found: list  # every trimmed candidate, before the filters
    kept: list
    dropped: list
    features: object  # learned.TokenFeatures
    labels: list


def prepare(detector, documents) -> list[Prepared]:
    """Run spaCy, the recognizers and the rules once over TAB documents (the learned stage is not run).

    They read each document's detection view (detect/view.py), as at inference; ``text`` and the
    gold mentions' offsets are the view's (the same as the original's for a text it leaves alone).
    """
    views = [view(d.text) for d in documents]
    out = []
    for d, v, doc in zip(documents, views, detector.ner.parse([v.text for v in views])):
        mentions = mentions_in_view(d.mentions, v)
        found = detector.found(v.text, doc)
        out.append(_split(Prepared(d.doc_id, v.text, mentions, doc, found, [], [], None, []), detector.filter))
    return out


def refiltered(prepared: Sequence[Prepared], span_filter: SpanFilter) -> list[Prepared]:
    """The same documents with their candidates split by another filter (a fold's own lexicon)."""
    return [_split(p, span_filter) for p in prepared]


def _split(p: Prepared, span_filter: SpanFilter) -> Prepared:
    kept = span_filter.apply(p.text, p.found)
    ids = {id(s) for s in kept}
    dropped = [s for s in p.found if id(s) not in ids]
    words, feats = token_features(p.doc, kept, dropped)
    return dataclasses.replace(p, kept=kept, dropped=dropped, features=feats,
                               labels=gold_labels(words, p.text, p.mentions))


def mentions_in_view(mentions, v) -> tuple:
    """Gold mentions with their offsets moved into the detection view ``v`` (``view.View``)."""
    if v.origin is None:
        return tuple(mentions)
    ordered = all(a <= b for a, b in zip(v.origin, v.origin[1:]))  # no right-to-left override
    return tuple(_in_view(m, v.origin, ordered) for m in mentions)


def _in_view(mention, origin, ordered: bool = True):
    """A gold mention with its offsets moved to the view's (characters the view left out drop out;
    under a right-to-left override, which the view reads backwards, ``ordered`` is False and the
    mention covers the range of its characters)."""
    if ordered:
        start, end = bisect.bisect_left(origin, mention.start), bisect.bisect_left(origin, mention.end)
        while start + 1 < end and origin[start] == origin[start + 1]:  # a space the view put before a word
            start += 1
    else:
        inside = [i for i, o in enumerate(origin) if mention.start <= o < mention.end]
        start, end = (min(inside), max(inside) + 1) if inside else (bisect.bisect_left(sorted(origin), mention.start),) * 2
    return dataclasses.replace(mention, start=start, end=end)


def fit(prepared: Sequence[Prepared], bits: int = BITS, c: float = C, **thresholds) -> TokenTagger:
    feats = [p.features for p in prepared]
    labels = [y for p in prepared for y in p.labels]
    return TokenTagger.fit(feats, labels, bits=bits, c=c, **thresholds)


def base_detector():
    """The configured detector with its learned stage off: the tagger's features come from it."""
    from .config import load_detector_config
    from .detector import Detector

    return Detector(load_detector_config(None, {"learned": {"enabled": False}}))
