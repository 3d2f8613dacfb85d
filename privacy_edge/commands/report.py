"""``report``: a readable table (each rate with its 95% bootstrap interval), the attackers' calibration
and plots (frontier, route mix, latency, leakage by entity type) from an Ianvs workspace; with ``--html``,
one self-contained HTML file of all that and of every sample (report_html.py)."""

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
    p.add_argument("--html", metavar="FILE",
                   help="also write one self-contained HTML report (ranking, frontier, every sample with what "
                        "left the edge) to FILE, e.g. WORKSPACE/report/report.html")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..profile import stage

    with stage("report and plots"):
        code = report(args)
    print_profile(Path(args.workspace))
    return code


def print_profile(workspace) -> None:
    """Where the job's time went, when ``make run`` profiled it (WORKSPACE/profile.jsonl)."""
    from ..profile import job, read

    entries = read(workspace / "profile.jsonl")
    if not entries:
        return
    seconds = workspace / "ianvs_seconds"
    times, total = job(entries, float(seconds.read_text()) if seconds.exists() else None)
    print(f"time by stage ({total:.0f} s in all, install excluded):")
    for t in times:
        print(f"  {t.stage:<28} {t.seconds:7.1f} s {t.seconds / total:5.0%}")


def report(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..report import (calibration, formatted, markdown, models_used, reproducibility_warnings, runs,
                          table, write_plots)

    df = table(args.workspace)
    if args.markdown:
        print(markdown(df))
    else:
        with pd.option_context("display.max_columns", None, "display.width", 400, "display.max_colwidth", 40):
            print(formatted(df).to_string(index=False))
        if any(c.endswith("_lo") for c in df.columns):
            print("[lo, hi]: 95% bootstrap interval over documents (the same resampled documents for every row)")
    all_runs = runs(args.workspace)
    for model in models_used(args.workspace):  # which model each role ran: an HF id, the official spaCy, a repack
        print(f"model: {model}")
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
    if args.html:
        from ..report_html import write_html

        path = write_html(args.workspace, args.html, args.data)
        print(f"html: {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0
