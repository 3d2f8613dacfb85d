"""``report``: a readable table and plots (frontier, route mix, latency) from an Ianvs workspace."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace", help="the job's workspace, e.g. workspace/tab_privacy")
    p.add_argument("--out", help="folder for the PNGs (default: WORKSPACE/report)")
    p.add_argument("--no-plots", action="store_true", help="print the table only")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..report import reproducibility_warnings, runs, table, write_plots

    df = table(args.workspace)
    with pd.option_context("display.max_columns", None, "display.width", 250, "display.float_format", "{:.3f}".format):
        print(df.drop(columns="flags", errors="ignore").to_string(index=False))
    for label, note in zip(df.get("test case", []), df.get("flags", [])):
        if note:  # a metric scored on fewer samples than it could be, or IAR without linking
            print(f"flag: {label}: {note}")
    for line in reproducibility_warnings(runs(args.workspace)):
        print(f"warning: {line}")
    if not args.no_plots:
        for path in write_plots(args.workspace, args.out):
            print(f"plot: {path}")
    return 0
