"""``report``: a readable table (each rate with its 95% bootstrap interval), the attackers' calibration
and plots (frontier, route mix, latency, leakage by entity type) from an Ianvs workspace."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace", help="the job's workspace, e.g. workspace/tab_privacy")
    p.add_argument("--out", help="folder for the PNGs (default: WORKSPACE/report)")
    p.add_argument("--no-plots", action="store_true", help="print the table only")
    p.add_argument("--data", help="the job's dataset, for the leakage by entity type "
                                  "(default: data/tab/test_data.jsonl)")
    p.add_argument("--markdown", action="store_true",
                   help="print the table as Markdown (the README's results table)")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..report import (calibration, formatted, markdown, reproducibility_warnings, runs, table,
                          write_plots)

    df = table(args.workspace)
    if args.markdown:
        print(markdown(df))
    else:
        with pd.option_context("display.max_columns", None, "display.width", 400, "display.max_colwidth", 40):
            print(formatted(df).to_string(index=False))
        if any(c.endswith("_lo") for c in df.columns):
            print("[lo, hi]: 95% bootstrap interval over documents (the same resampled documents for every row)")
    all_runs = runs(args.workspace)
    for cal in calibration(all_runs).values():  # an attack's strength: its success on raw text
        print(f"calibration: {cal.describe()}")
    for label, note in zip(df.get("test case", []), df.get("flags", [])):
        if note:  # a metric scored on fewer samples than it could be, IAR without linking, a weak attacker
            print(f"flag: {label}: {note}")
    for line in reproducibility_warnings(all_runs):
        print(f"warning: {line}")
    if not args.no_plots:
        for path in write_plots(args.workspace, args.out, args.data):
            print(f"plot: {path}")
    return 0
