"""Benchmark: how strong the linking attacker is on raw text (its calibration), per retriever.

Every TAB document is cut as the default job cuts it (``--max-chars``, default 2,000) and sent raw, as
the cloud_only baseline sends it; the attacker ranks the public judgments it knows (the background)
by TF-IDF, by the dense retriever (all-MiniLM-L6-v2, best chunk) and counts a case linked when either
ranks it first (what ASR-Link counts).

    python bench/bench_linking.py [TAB.json] [--background FILE] [--max-chars N] [--docs N ...]

Prints, for the first N documents (each --docs; 0: all), how many are known to the background and
each retriever's raw-text linking success on them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from privacy_edge.data.splits import test_file  # noqa: E402  ($TAB_DATA, else the official test split)



def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tab", nargs="?", help="a TAB-layout JSON file (default: $TAB_DATA, else the official test split)")
    ap.add_argument("--background", required=True, help="the judgments the attacker knows: a JSON list of "
                    "{doc_id, text} (prepare --background writes the test documents' own)")
    ap.add_argument("--max-chars", type=int, default=2000, help="cut each text to this many characters (0: whole)")
    ap.add_argument("--docs", type=int, nargs="+", default=[16, 0], help="first N documents (0: all)")
    ap.add_argument("--cache-dir", default=str(ROOT / ".cache"), help="keeps the background's embeddings")
    args = ap.parse_args()

    from privacy_edge.data.prepare import prepare_document
    from privacy_edge.data.tab import load_tab
    from privacy_edge.llm.base import build_messages, payload_text
    from privacy_edge.metrics.attacks import linking_by_retriever
    from privacy_edge.metrics.resources import Linker, read_background

    docs = load_tab(args.tab or test_file())
    samples = [prepare_document(d, "respondent_state", args.max_chars) for d in docs]
    records = [{"doc_id": s.question["doc_id"], "egress": payload_text(build_messages(s.question["question"],
                                                                                      s.question["text"]))}
               for s in samples]
    gold = [s.answer for s in samples]
    start = time.perf_counter()
    index = Linker(read_background(args.background), cache_dir=args.cache_dir)
    per = linking_by_retriever(records, gold, index)
    seconds = time.perf_counter() - start
    per["either"] = [None if outs[0] is None else any(outs) for outs in zip(*per.values())]

    print(f"raw text cut to {args.max_chars or 'all'} chars; background: {len(index.doc_ids)} judgments "
          f"({Path(args.background).name}); {seconds:.1f} s")
    print(f"{'documents':>10} {'known':>6} " + " ".join(f"{name:>14}" for name in per))
    for n in args.docs:
        n = n or len(records)
        cells = []
        known = [i for i in range(min(n, len(records))) if per["tfidf"][i] is not None]
        for outs in per.values():
            hit = sum(bool(outs[i]) for i in known)
            cells.append(f"{hit:>3}/{len(known):<3} {hit / len(known) if known else float('nan'):.3f}")
        print(f"{min(n, len(records)):>10} {len(known):>6} " + " ".join(f"{c:>14}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
