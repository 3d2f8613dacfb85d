"""Where the detector's precision is lost, under the generalization protocol (bench/cv_detector.py).

Three measurements on the same CV folds and TAB's scorer:

1. **The tagger's frontier.** The tagger is fitted once per fold and its two thresholds swept; the
   row printed first is the best CV precision with CV token recall and ER_qi both at least
   ``--floor`` (the issue's 0.93).
2. **A perfect judge** of the same candidates: a candidate is kept exactly when TAB's annotator
   masked at least half its tokens (PERSON and CODE always kept, the tagger's additions as
   configured). It reads the gold annotations, so it is a bound, never a detector: how far the
   candidates would carry a better judge.
3. **Annotator consistency.** For candidate values of the types the tagger judges most (ORG, LOC)
   that occur in at least ``--min-docs`` documents: the share of (document, value) decisions that
   go against that value's majority decision over the documents. No judge that decides by the value
   and its context can get those right in both documents when the contexts are alike.

    python bench/cv_headroom.py [TRAIN.json] [--folds FOLDS.json] [--floor 0.93]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cv_detector import load_protocol, protocol_arguments

DROP_BELOW = (0.0, 0.03, 0.06, 0.09, 0.12, 0.2, 0.3, 0.4)
ADD_ABOVE = (0.5, 0.6, 0.7, 0.8)
JUDGED_TYPES = ("ORG", "LOC")


def masked_share(text: str, mentions, span) -> float:
    """Share of TAB tokens (\\w+) of ``span`` that overlap a to-mask gold mention."""
    from privacy_edge.metrics.tab_eval import TOKEN

    gold = [(m.start, m.end) for m in mentions if m.to_mask]
    tokens = [(t.start(), t.end()) for t in TOKEN.finditer(text, span.start, span.end)]
    if not tokens:
        return 1.0
    return sum(any(a < e and s < b for s, e in gold) for a, b in tokens) / len(tokens)


def cv_tab(prepared, folds, pos_by_id, spans_of) -> dict:
    """CV mean of TAB's scores for ``spans_of(prepared_doc, fold_index)``, and their sample s.d. over
    the folds (``<metric>_sd``)."""
    from privacy_edge.metrics.tab_eval import tab_score

    by_id = {p.doc_id: p for p in prepared}
    per_fold = []
    for k, fold in enumerate(folds):
        items = [(by_id[d].text, by_id[d].mentions, spans_of(by_id[d], k)) for d in fold]
        per_fold.append(tab_score(items, [pos_by_id[d] for d in fold]))
    out = {}
    for m in ("token_recall", "token_precision", "er_di", "er_qi"):
        values = [getattr(s, m) for s in per_fold]
        out[m], out[f"{m}_sd"] = statistics.mean(values), statistics.stdev(values)
    return out


def cells(s: dict) -> str:
    """Table cells: recall, precision and ER_qi as CV mean ± s.d."""
    return " | ".join(f"{s[m]:.3f} ± {s[m + '_sd']:.3f}" for m in ("token_recall", "token_precision", "er_qi"))


def consistency(prepared, min_docs: int) -> tuple[int, int, int, list[tuple[str, int, float]]]:
    """(values, document occurrences, occurrences against the value's majority, the most frequent
    values masked in 20-80% of their documents) over ORG/LOC candidates occurring in ``min_docs``."""
    from privacy_edge import matching

    decisions: dict[str, list[bool]] = {}
    for p in prepared:
        shares: dict[str, list[float]] = {}
        for s in [*p.kept, *p.dropped]:
            if s.entity_type in JUDGED_TYPES:
                shares.setdefault(matching.key(p.text[s.start:s.end]), []).append(masked_share(p.text, p.mentions, s))
        for value, xs in shares.items():
            decisions.setdefault(value, []).append(statistics.mean(xs) >= 0.5)
    recurring = [d for d in decisions.values() if len(d) >= min_docs]
    against = sum(min(sum(d), len(d) - sum(d)) for d in recurring)
    mixed = sorted(((v, len(d), sum(d) / len(d)) for v, d in decisions.items()
                    if len(d) >= min_docs and 0.2 <= sum(d) / len(d) <= 0.8), key=lambda x: (-x[1], x[0]))
    return len(recurring), sum(len(d) for d in recurring), against, mixed[:6]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    protocol_arguments(p)
    p.add_argument("--floor", type=float, default=0.93, help="CV token recall and ER_qi to keep (default: %(default)s)")
    p.add_argument("--min-docs", type=int, default=4, help="documents a value must occur in (default: %(default)s)")
    args = p.parse_args(argv)

    from privacy_edge.detect.config import load_detector_config
    from privacy_edge.detect.learned import TokenTagger
    from privacy_edge.detect.train import fit

    started = time.perf_counter()
    docs, folds, detector, prepared, pos_by_id = load_protocol(args.docs, args.folds)
    by_id = {p.doc_id: p for p in prepared}
    fitted = [fit([by_id[d] for i, f in enumerate(folds) if i != k for d in f]) for k in range(len(folds))]
    shipped = load_detector_config().learned

    def tagger(k, drop_below, add_above):
        t = fitted[k]
        return TokenTagger(t.classes, t.coef, t.intercept, t.bits, drop_below=drop_below, add_above=add_above,
                           protect=shipped.protect)

    def detect(p, tg, kept=None):
        return list(detector.finish(p.text, p.doc, list(p.kept if kept is None else kept), list(p.dropped),
                                    tagger=tg).spans)

    rows = []
    for db in DROP_BELOW:
        for aa in ADD_ABOVE:
            s = cv_tab(prepared, folds, pos_by_id, lambda p, k, db=db, aa=aa: detect(p, tagger(k, db, aa)))
            rows.append((db, aa, s))
            print(f"  drop<{db} add>={aa}: recall {s['token_recall']:.3f} precision {s['token_precision']:.3f} "
                  f"ER_qi {s['er_qi']:.3f}", flush=True)
    ok = [r for r in rows if r[2]["token_recall"] >= args.floor and r[2]["er_qi"] >= args.floor]

    def judged(p, k):
        keep = [s for s in p.kept if s.entity_type in shipped.protect or masked_share(p.text, p.mentions, s) >= 0.5]
        return detect(p, tagger(k, -1.0, shipped.add_above), kept=keep)

    judge = cv_tab(prepared, folds, pos_by_id, judged)
    values, occurrences, against, mixed = consistency(prepared, args.min_docs)

    print(f"\n{len(docs)} documents, {len(folds)} folds, TAB's scorer, CV mean ± sample s.d. over the folds "
          f"({time.perf_counter() - started:.0f} s)\n")
    print("| learned stage | token recall | token precision | ER_qi |\n| --- | --- | --- | --- |")
    if ok:
        db, aa, s = max(ok, key=lambda r: r[2]["token_precision"])
        print(f"| tagger, best of {len(rows)} threshold pairs with recall and ER_qi >= {args.floor} "
              f"(drop<{db}, add>={aa}) | {cells(s)} |")
    else:
        print(f"| tagger: none of {len(rows)} threshold pairs keeps recall and ER_qi >= {args.floor} | | | |")
    best = max(rows, key=lambda r: r[2]["token_precision"])
    print(f"| tagger, most precise pair (drop<{best[0]}, add>={best[1]}) | {cells(best[2])} |")
    print(f"| perfect judge of the same candidates (reads the gold: a bound) | {cells(judge)} |")
    print(f"\nAnnotator consistency: {values} ORG/LOC values occur in >= {args.min_docs} documents "
          f"({occurrences} document occurrences); {against} ({against / max(occurrences, 1):.1%}) of those "
          f"decisions go against the value's majority over the documents. Most frequent mixed values: "
          + "; ".join(f"{v!r} masked in {r:.0%} of {n} documents" for v, n, r in mixed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
