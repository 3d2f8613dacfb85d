"""``prepare``: TAB documents -> the Ianvs JSONL dataset (question = sample, answer = gold), and the
linking attacker's background ({doc_id: whole public judgment}) beside it."""

from __future__ import annotations

import argparse

from ..data.prepare import default_background, prepare
from ..data.splits import TEST_ENV
from ..data.tasks import TASKS


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", help=f"TAB-layout JSON files (default: ${TEST_ENV}, else the official echr_test.json)")
    p.add_argument("--out", default="data/tab/test_data.jsonl", help="the JSONL file to write (default: %(default)s)")
    p.add_argument("--task", default="respondent_state", choices=sorted(TASKS), help="the question asked (default: %(default)s)")
    p.add_argument("--max-docs", type=int, default=0, help="first N documents only; 0 = the whole split (default: %(default)s)")
    p.add_argument("--max-chars", type=int, default=0, help="cut texts to N characters at a paragraph boundary; 0 = whole text")
    p.add_argument("--background", default="",
                   help="the linking attacker's background JSON to write (default: background.json beside --out)")
    p.add_argument("--cache-dir", default=".cache/tab", help="where the official split is downloaded to")


def run(args: argparse.Namespace) -> int:
    from ..profile import stage

    with stage("data preparation"):
        path, n = prepare(args.inputs, args.out, task=args.task, max_docs=args.max_docs,
                          max_chars=args.max_chars, cache_dir=args.cache_dir, background=args.background)
    print(f"wrote {n} samples to {path}, the linking background to {args.background or default_background(path)}")
    return 0
