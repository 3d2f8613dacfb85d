"""``check``: validate a whole Ianvs job (files, every grid point's hyperparameters, metrics, dataset) and
send one tiny request to each remote cloud endpoint it configures."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("job", nargs="?", default="benchmarkingjob.yaml", help="the job YAML (default: %(default)s)")
    p.add_argument("--root", default=".", help="the folder ianvs runs in (default: current folder)")
    p.add_argument("--no-probe", action="store_true",
                   help="do not send the one tiny request (max_tokens 1) to each remote endpoint")


def run(args: argparse.Namespace) -> int:
    from ..jobcheck import check_job

    s = check_job(args.job, args.root, probe=not args.no_probe)
    print(f"{args.job}: OK: {s.test_cases} test cases ({', '.join(s.algorithms)}) x {s.samples} samples, "
          f"{len(s.metrics)} metrics")
    for line in s.endpoints:
        print(f"  cloud endpoint: {line}")
    for line in s.warnings:
        print(f"  warning: {line}")
    return 0
