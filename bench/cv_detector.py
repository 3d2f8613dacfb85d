"""Cross-validation by document within the train split: the detector's learned stage refitted per fold.

Whatever the detector fits from data (here the learned token tagger, detect/learned.py) is fitted on
four folds and scored on the fifth; the folds come from the document ids (data/splits.py), or from
``--folds`` (a JSON file ``{"folds": [[doc_id, ...], ...]}``). Each row reports the mean and spread
(sample standard deviation over the folds) of the held-out scores, the all-documents score (fitted and
scored on all of them) and the gap, under TAB's scorer (metrics/tab_eval.py) and the project's stricter
``score`` (metrics/detection.py). Test-split documents are refused: measure those with
bench/eval_detector.py. The thresholds the shipped tagger uses are chosen by ``python -m privacy_edge
fit`` the same way (pooled over the folds).

    python bench/cv_detector.py [TRAIN.json] [--folds FOLDS.json] [--grid] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DOCS = os.environ.get("TAB_TRAIN")
METRICS = ("token_recall", "token_precision", "er_di", "er_qi")


def protocol_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The arguments every script of the protocol takes: the documents and the fold file."""
    parser.add_argument("docs", nargs="?", default=DEFAULT_DOCS, help="train-split TAB file (default: $TAB_TRAIN)")
    parser.add_argument("--folds", default=None, help="fold file of document ids (default: 5 folds by document id)")
    return parser


def load_folds(path: Path | None, doc_ids: list[str]) -> list[list[str]]:
    """The folds of a fold file (default: by document id, data/splits.py); every document in exactly
    one fold, or an error naming the ids."""
    if path is None:
        from privacy_edge.data.splits import folds as by_id

        return by_id(doc_ids)
    folds = json.loads(Path(path).read_text(encoding="utf-8"))["folds"]
    seen = [d for f in folds for d in f]
    dupes = sorted({d for d in seen if seen.count(d) > 1})
    missing, extra = sorted(set(doc_ids) - set(seen)), sorted(set(seen) - set(doc_ids))
    if dupes or missing or extra:
        raise SystemExit(f"error: {path}: folds do not partition the documents "
                         f"(in two folds: {dupes[:5]}, in no fold: {missing[:5]}, unknown: {extra[:5]})")
    return folds


def load_protocol(docs_path: str, folds_path: str | None):
    """The train documents (test-split ones refused), the fold split, the detector without its learned
    stage, every document's candidates and features (``train.prepare``) and POS-tagged views for TAB's
    scorer."""
    from privacy_edge.data.splits import check_fittable
    from privacy_edge.data.tab import load_tab
    from privacy_edge.detect.train import base_detector, prepare
    from privacy_edge.metrics.tab_eval import pos_docs

    docs = load_tab(docs_path)
    check_fittable(docs, docs_path)
    folds = load_folds(Path(folds_path) if folds_path else None, [d.doc_id for d in docs])
    detector = base_detector()
    prepared = prepare(detector, docs)
    pos_by_id = dict(zip((p.doc_id for p in prepared), pos_docs([p.text for p in prepared])))  # the views' texts
    return docs, folds, detector, prepared, pos_by_id


def score_both(prepared, spans_by_doc, pos_by_id) -> dict:
    from privacy_edge.metrics.detection import score_documents
    from privacy_edge.metrics.tab_eval import tab_score

    items = [(p.text, p.mentions, spans_by_doc[p.doc_id]) for p in prepared]
    ours = score_documents(items)
    tab = tab_score(items, [pos_by_id[p.doc_id] for p in prepared])
    return {"tab": {m: getattr(tab, m) for m in METRICS}, "score": {m: getattr(ours, m) for m in METRICS},
            "tab_by_type": tab.token_recall_by_type}


def run_config(detector, prepared, folds, pos_by_id, learned: dict | None) -> dict:
    """CV and all-documents scores of one configuration (``learned``: tagger thresholds, or None for rules only)."""
    from privacy_edge.detect.train import fit

    by_id = {p.doc_id: p for p in prepared}

    def detect(test, train):
        tagger = fit(train, **learned) if learned is not None else None
        return {p.doc_id: list(detector.finish(p.text, p.doc, list(p.kept), list(p.dropped), tagger=tagger).spans)
                if tagger is not None else
                list(detector.finish(p.text, p.doc, list(p.kept), list(p.dropped)).spans) for p in test}

    per_fold = []
    for k, fold in enumerate(folds):
        test = [by_id[d] for d in fold]
        train = [by_id[d] for i, f in enumerate(folds) if i != k for d in f]
        per_fold.append(score_both(test, detect(test, train), pos_by_id))
    whole = score_both(prepared, detect(prepared, prepared), pos_by_id)
    out = {"folds": per_fold, "all": whole, "cv": {}}
    for scorer in ("tab", "score"):
        out["cv"][scorer] = {m: (statistics.mean(f[scorer][m] for f in per_fold),
                                 statistics.stdev(f[scorer][m] for f in per_fold)) for m in METRICS}
    return out


def table(rows: list[tuple[str, dict]]) -> str:
    head = ("| configuration | scorer | token recall | token precision | ER_di | ER_qi |\n"
            "| --- | --- | --- | --- | --- | --- |")
    lines = [head]
    for name, r in rows:
        for scorer, label in (("tab", "TAB"), ("score", "score")):
            cells = []
            for m in METRICS:
                mean, sd = r["cv"][scorer][m]
                whole = r["all"][scorer][m]
                cells.append(f"{mean:.3f} ± {sd:.3f} (all {whole:.3f}, gap {whole - mean:+.3f})")
            lines.append(f"| {name} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    protocol_arguments(p)
    p.add_argument("--grid", action="store_true", help="also sweep the tagger's thresholds (CV decides)")
    p.add_argument("--json", default=None, help="write every figure, per fold too, to this JSON file")
    args = p.parse_args(argv)

    from privacy_edge.detect.config import load_detector_config

    started = time.perf_counter()
    docs, folds, detector, prepared, pos_by_id = load_protocol(args.docs, args.folds)
    print(f"{len(docs)} documents in {len(folds)} folds; candidates and POS tags in "
          f"{time.perf_counter() - started:.0f} s", flush=True)

    from privacy_edge.detect.learned import load_tagger

    shipped = load_tagger(load_detector_config().learned.model)
    configs = [("rules only (no learned stage)", None),
               (f"rules + token tagger (drop<{shipped.drop_below}, add>={shipped.add_above})",
                {"drop_below": shipped.drop_below, "add_above": shipped.add_above, "protect": sorted(shipped.protect)})]
    if args.grid:
        configs += [(f"rules + token tagger (drop<{d}, add>={a})", {"drop_below": d, "add_above": a,
                                                                    "protect": shipped.protect})
                    for d in (0.2, 0.3, 0.4, 0.5) for a in (0.4, 0.5, 0.6, 0.7)
                    if (d, a) != (shipped.drop_below, shipped.add_above)]
    rows = []
    for name, learned in configs:
        rows.append((name, run_config(detector, prepared, folds, pos_by_id, learned)))
        print(table(rows[-1:]).splitlines()[-2:][0], flush=True)
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(rows))
    print(f"\n(cells: CV mean ± sample s.d. over {len(folds)} folds; all = fitted and scored on all "
          f"{len(docs)} documents; gap = all - CV) in {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({n: r for n, r in rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
