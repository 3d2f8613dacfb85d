"""``score``: how well a mask file covers the TAB gold of the same documents (PDR, ER_di, ER_qi, tokens)."""

from __future__ import annotations

import argparse
import json


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("masks", help="mask file {doc_id: [[start, end, type], ...]} (as written by detect)")
    p.add_argument("inputs", nargs="+", help="TAB-layout JSON files with the gold annotations of those documents")
    p.add_argument("--json", default=None, help="also write the scores to this JSON file")


def run(args: argparse.Namespace) -> int:
    from ..data.tab import TabFormatError, load_tab
    from ..detect.masks import check_against, read_masks
    from ..metrics.detection import score_documents

    masks = read_masks(args.masks)
    docs = {}
    for path in args.inputs:
        for doc in load_tab(path):
            if doc.doc_id in docs:
                raise TabFormatError(path, doc.doc_id, "doc_id", "appears in more than one input")
            docs[doc.doc_id] = doc
    check_against(masks, {d: doc.text for d, doc in docs.items()}, args.masks, args.inputs)
    scores = score_documents([(doc.text, doc.mentions, masks[d]) for d, doc in docs.items()])
    print(format_scores(scores, len(docs)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(scores.to_dict(), f, indent=2)
    return 0


def format_scores(scores, n_docs: int) -> str:
    rows = [
        ("documents", f"{n_docs}"),
        ("to-mask mentions", f"{scores.mentions}"),
        ("mention recall (PDR)", f"{scores.pdr:.4f}"),
        (f"ER_di ({scores.direct_entities} direct entities)", f"{scores.er_di:.4f}"),
        (f"ER_qi ({scores.quasi_entities} quasi entities)", f"{scores.er_qi:.4f}"),
        ("token recall", f"{scores.token_recall:.4f}"),
        ("token precision", f"{scores.token_precision:.4f}"),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v:>8}" for k, v in rows]
    lines += ["", f"{'missed mentions by type':<{width}}  {'missed':>8}  {'recall':>7}"]
    by_miss = sorted(scores.missed_by_type.items(), key=lambda kv: (-kv[1], kv[0]))
    lines += [f"  {t:<{width - 2}}  {n:>8}  {scores.recall_by_type[t]:>7.3f}" for t, n in by_miss]
    return "\n".join(lines)
