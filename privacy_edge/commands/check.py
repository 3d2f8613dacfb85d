"""``check``: validate a whole Ianvs job (files, every grid point's hyperparameters, metrics, dataset)."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("job", nargs="?", default="benchmarkingjob.yaml", help="the job YAML (default: %(default)s)")
    p.add_argument("--root", default=".", help="the folder ianvs runs in (default: current folder)")


def run(args: argparse.Namespace) -> int:
    from ..jobcheck import check_job

    s = check_job(args.job, args.root)
    print(f"{args.job}: OK: {s.test_cases} test cases ({', '.join(s.algorithms)}) x {s.samples} samples, "
          f"{len(s.metrics)} metrics")
    return 0
