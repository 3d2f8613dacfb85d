"""The learned component the detection issue proposed, measured: a spaCy NER trained on TAB's labels.

Per fold of the generalization protocol (bench/cv_detector.py), a NER is trained on the four other
folds, starting from en_core_web_sm's NER weights (same architecture and speed as the stock NER, so
it could replace it), with TAB's entity types as labels: every mention of an entity TAB masks. It is
scored on the held-out fold alone and combined with the shipped detector (whose tagger is fitted on
the same four folds):

- **agrees**: the shipped detector's ORG, LOC, DEM and MISC spans that come from the stock NER or
  from what builds on it (organisation rule, propagation, the tagger's additions) are kept only where
  the trained NER also marks something; every other span is kept.
- **agrees + its own**: the same, plus the trained NER's spans.

Nothing is saved: no weights, no text. About 3 minutes a fold on one core; ``--jobs 2`` trains two
folds at once.

    python bench/cv_trained_ner.py [TRAIN.json] [--folds FOLDS.json] [--epochs 25] [--jobs 2]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cv_detector import load_protocol, protocol_arguments
from cv_headroom import cells, cv_tab

JUDGED_TYPES = frozenset({"ORG", "LOC", "DEM", "MISC"})
JUDGED_SOURCES = frozenset({"spacy", "organisation", "propagate", "learned"})


def gold_entities(mentions) -> list[tuple[int, int, str]]:
    """(start, end, type) of every mention of an entity that TAB masks (any of its mentions to mask),
    as TAB's recall counts them."""
    masked = {(m.annotator, m.entity_id) for m in mentions if m.to_mask}
    return [(m.start, m.end, m.entity_type) for m in mentions if (m.annotator, m.entity_id) in masked]


def train_and_predict(train: list[tuple[str, list]], test: list[str], epochs: int, seed: int) -> list[list]:
    """Fine-tune the stock NER on (text, gold spans) pairs; the entities it finds in each test text."""
    import spacy
    from spacy.training import Example
    from spacy.util import filter_spans, minibatch

    from privacy_edge.detect.ner import SPACY_MODEL

    spacy.util.fix_random_seed(seed)
    nlp = spacy.load(SPACY_MODEL, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "tok2vec"])
    ner = nlp.get_pipe("ner")
    examples = []
    for text, gold in train:
        ref = nlp.make_doc(text)
        spans = [ref.char_span(s, e, label=t, alignment_mode="expand") for s, e, t in gold]
        ref.ents = filter_spans([s for s in spans if s is not None])
        examples.append(Example(nlp.make_doc(text), ref))
        for s in ref.ents:
            ner.add_label(s.label_)
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, 4):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(test)]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    protocol_arguments(p)
    p.add_argument("--epochs", type=int, default=25, help="training passes per fold (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed of fold k's training is seed + k (default: %(default)s)")
    p.add_argument("--jobs", type=int, default=1, help="folds trained at once, one process each (default: %(default)s)")
    args = p.parse_args(argv)

    from privacy_edge.detect.config import load_detector_config
    from privacy_edge.detect.train import fit
    from privacy_edge.spans import Span, resolve_overlaps

    started = time.perf_counter()
    docs, folds, detector, prepared, pos_by_id = load_protocol(args.docs, args.folds)
    by_id = {d.doc_id: d for d in prepared}
    print(f"{len(docs)} documents in {len(folds)} folds; candidates in {time.perf_counter() - started:.0f} s; "
          f"training {len(folds)} NERs, {args.epochs} epochs each", flush=True)

    jobs = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for k, fold in enumerate(folds):
            train = [(by_id[d].text, gold_entities(by_id[d].mentions)) for i, f in enumerate(folds) if i != k for d in f]
            jobs.append(pool.submit(train_and_predict, train, [by_id[d].text for d in fold], args.epochs, args.seed + k))
        trained: dict[str, list[Span]] = {}
        for k, (fold, job) in enumerate(zip(folds, jobs)):
            for d, found in zip(fold, job.result()):
                trained[d] = [Span(s, e, t, 0.9, f"trained_ner:{t}", by_id[d].text[s:e]) for s, e, t in found]
            print(f"  fold {k + 1}/{len(folds)} trained ({time.perf_counter() - started:.0f} s)", flush=True)

    learned = load_detector_config().learned
    taggers = [fit([by_id[d] for i, f in enumerate(folds) if i != k for d in f], drop_below=learned.drop_below,
                   add_above=learned.add_above, protect=learned.protect) for k in range(len(folds))]

    def shipped(d, k):
        return list(detector.finish(d.text, d.doc, list(d.kept), list(d.dropped), tagger=taggers[k]).spans)

    def agrees(d, k):
        ours, theirs = shipped(d, k), trained[d.doc_id]
        return [s for s in ours if s.entity_type not in JUDGED_TYPES or s.source.split(":")[0] not in JUDGED_SOURCES
                or any(t.start < s.end and s.start < t.end for t in theirs)]

    def agrees_and_own(d, k):
        return [s for s in resolve_overlaps(agrees(d, k) + trained[d.doc_id], d.text) if s.text.strip()]

    rows = [("trained NER alone", lambda d, k: trained[d.doc_id]),
            ("shipped detector (rules + tagger, default thresholds)", shipped),
            ("shipped detector, its NER-based ORG/LOC/DEM/MISC spans only where the trained NER agrees", agrees),
            ("the same, plus the trained NER's own spans", agrees_and_own)]
    print(f"\n{len(docs)} documents, {len(folds)} folds, TAB's scorer, CV mean ± sample s.d. over the folds; "
          f"{args.epochs} epochs ({time.perf_counter() - started:.0f} s)\n")
    print("| detector | token recall | token precision | ER_qi | ER_di |\n| --- | --- | --- | --- | --- |")
    for name, spans_of in rows:
        s = cv_tab(prepared, folds, pos_by_id, spans_of)
        print(f"| {name} | {cells(s)} | {s['er_di']:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
