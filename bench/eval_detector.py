"""The detector on the test split, under TAB's scorer, with 95% bootstrap intervals over documents.

What was fitted where is part of each row: the learned parts (token tagger, public-bodies lexicon,
sensitivity levels) are fitted on the train split only (``make detector-model``; the weights carry
their provenance), so they are out-of-sample here; the hand-written recognizers and rules were
written while reading the test documents, so every row that uses them is an upper bound for
documents nobody here has read.

    python bench/eval_detector.py [TEST.json] [--train TRAIN.json] [--markdown docs/detection-results.md]

Default documents: ``$TAB_DATA`` (test) and ``$TAB_TRAIN`` (train).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPACY_ONLY = {"recognizers": [], "rules": [], "propagation": {"enabled": False}, "public_body_types": [],
              "learned": {"enabled": False}, "trim": False, "drop_legal_references": False,
              "ignore_patterns": [], "ignore": [],
              "ner": {"labels": {"CARDINAL": "QUANTITY", "ORDINAL": "QUANTITY"}}}
SYSTEMS = (
    ("detector (default)", None, "learned parts: train split; rules: read on the test documents"),
    ("detector, no learned stage", {"learned": {"enabled": False}},
     "lexicon: train split; rules: read on the test documents"),
    ("spaCy NER alone, every entity", SPACY_ONLY, "nothing fitted here (en_core_web_sm)"),
)


def default_file(env: str) -> str | None:
    return os.environ.get(env) or None


def evaluate(docs, overrides, pos, resamples: int):
    from privacy_edge.detect.config import load_detector_config
    from privacy_edge.detect.detector import Detector
    from privacy_edge.metrics.tab_eval import scores_of, tab_counts, tab_intervals

    found = Detector(load_detector_config(None, overrides)).detect_many([d.text for d in docs])
    counts = tab_counts([(d.text, d.mentions, f.spans) for d, f in zip(docs, found)], pos)
    return scores_of(counts), tab_intervals(counts, [d.doc_id for d in docs], resamples)


def cell(value: float, bounds: tuple[float, float]) -> str:
    return f"{value:.3f} [{bounds[0]:.3f}, {bounds[1]:.3f}]"


def table(rows, title: str) -> list[str]:
    lines = [f"**{title}**", "",
             "| system | token recall | token precision | ER_di | ER_qi | fitted / written on |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, (s, ci), where in rows:
        lines.append(f"| {name} | {cell(s.token_recall, ci['token_recall'])} | "
                     f"{cell(s.token_precision, ci['token_precision'])} | {cell(s.er_di, ci['er_di'])} | "
                     f"{cell(s.er_qi, ci['er_qi'])} | {where} |")
    return lines


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("test", nargs="?", default=default_file("TAB_DATA"), help="test-split TAB file")
    p.add_argument("--train", default=default_file("TAB_TRAIN"),
                   help="train-split TAB file: also scored, as a check of fit (in-sample for the learned parts)")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default %(default)s)")
    p.add_argument("--markdown", default=None, help="also write the tables to this Markdown file")
    p.add_argument("--curve", default="", help="also the default detector at these drop_below values, "
                   "comma-separated (the trade-off, for the record: thresholds are chosen on train only)")
    args = p.parse_args(argv)
    if not args.test:
        sys.exit("error: no test file: give one, or set TAB_DATA")

    from privacy_edge.data.splits import official_test_ids
    from privacy_edge.provenance import current_commit, machine
    from privacy_edge.data.tab import load_tab
    from privacy_edge.detect.learned import DEFAULT_MODEL, TokenTagger
    from privacy_edge.metrics.tab_eval import pos_docs

    started = time.perf_counter()
    prov = TokenTagger.load(DEFAULT_MODEL).provenance
    test = load_tab(args.test)
    outside = [d.doc_id for d in test if d.doc_id not in official_test_ids()]
    if outside:
        print(f"note: {len(outside)} of these documents are not in TAB's test split ({', '.join(outside[:3])}...)")
    out = ["# Detection on the test split", "",
           f"`python bench/eval_detector.py` on commit {current_commit()}, {machine()}, "
           f"{time.strftime('%Y-%m-%d')}. TAB's scorer (metrics/tab_eval.py), "
           f"95% percentile bootstrap intervals over documents ({args.resamples} resamples).",
           "",
           f"The learned parts were fitted on {prov.get('documents', '?')} train documents "
           f"(ids sha256 {prov.get('doc_ids_sha256', '?')}, `{prov.get('command', '?')}` at "
           f"{prov.get('commit', '?')}); none of them is a test document (tests/test_provenance.py).", ""]
    pos = pos_docs([d.text for d in test])
    rows = [(name, evaluate(test, over, pos, args.resamples), where) for name, over, where in SYSTEMS]
    out += table(rows, f"{Path(args.test).name}: {len(test)} test documents")
    if args.curve:
        curve = [(f"detector, drop_below {d}", evaluate(test, {"learned": {"drop_below": float(d)}}, pos, args.resamples),
                  "as the default, another threshold") for d in args.curve.split(",")]
        out += [""] + table(curve, "The learned stage's trade-off on the test split (for the record; the "
                                   "threshold is chosen within train)")
    if args.train:
        train = load_tab(args.train)
        pos = pos_docs([d.text for d in train])
        rows = [(name, evaluate(train, over, pos, args.resamples), where.replace("train split", "these documents"))
                for name, over, where in SYSTEMS[:2]]
        out += [""] + table(rows, f"{Path(args.train).name}: {len(train)} train documents, in-sample for the "
                                  f"learned parts (a check of fit, not a result)")
        cv = prov.get("cv")
        if cv:
            out += ["", f"Cross-validated within the train split when the thresholds were chosen "
                        f"({cv['folds']} folds, pooled): token recall {cv['token_recall']:.3f}, precision "
                        f"{cv['token_precision']:.3f}, ER_qi {cv['er_qi']:.3f}, ER_di {cv['er_di']:.3f} "
                        f"(drop_below {cv['drop_below']}, add_above {cv['add_above']})."]
    out += ["", f"({time.perf_counter() - started:.0f} s)"]
    print("\n".join(out))
    if args.markdown:
        Path(args.markdown).write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
