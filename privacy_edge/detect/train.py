"""Fit the learned token tagger (detect/learned.py) on TAB annotations and save its weights.

    python -m privacy_edge.detect.train TAB.json [TAB2.json ...] --out privacy_edge/detect/models/token_tagger.npz

The features include what the configured recognizers and rules found, so the tagger is fitted on
the detector's own candidates (the learned stage itself switched off). Only hashed feature weights
are written, no document text. ``make detector-model`` runs this on the shared documents; the
generalization protocol (bench/cv_detector.py) uses the same functions per fold.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .learned import DEFAULT_MODEL, TokenTagger, gold_labels, token_features
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
        kept, dropped = detector.candidates(v.text, doc)
        words, feats = token_features(doc, kept, dropped)
        out.append(Prepared(d.doc_id, v.text, mentions, doc, kept, dropped, feats, gold_labels(words, v.text, mentions)))
    return out


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
    from ..config import load_detector_config
    from .detector import Detector

    return Detector(load_detector_config(None, {"learned": {"enabled": False}}))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("inputs", nargs="+", help="TAB-layout JSON files with gold annotations")
    p.add_argument("--out", default=str(DEFAULT_MODEL), help="weights file (default: %(default)s)")
    p.add_argument("--bits", type=int, default=BITS, help="hashed feature space: 2**bits weights per class")
    p.add_argument("--c", type=float, default=C, help="inverse L2 regularisation strength")
    args = p.parse_args(argv)

    from ..data.tab import load_tab

    documents = [d for path in args.inputs for d in load_tab(path)]
    started = time.perf_counter()
    prepared = prepare(base_detector(), documents)
    tagger = fit(prepared, args.bits, args.c)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tagger.save(args.out)
    tokens = sum(len(x.labels) for x in prepared)
    print(f"token tagger: {len(documents)} documents, {tokens:,} tokens, classes {', '.join(tagger.classes)}, "
          f"{time.perf_counter() - started:.0f} s -> {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
