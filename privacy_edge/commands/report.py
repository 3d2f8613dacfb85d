"""``report``: a readable table (and plots) from an Ianvs workspace's rank CSV and records."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace", help="the job's workspace, e.g. workspace/tab_privacy")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..report import table

    df = table(args.workspace)
    with pd.option_context("display.max_columns", None, "display.width", 200, "display.float_format", "{:.3f}".format):
        print(df.to_string(index=False))
    return 0
