"""Read an Ianvs workspace: the rank CSV joined with each test case's records (by hyperparameters)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .record import read_records

METRIC_ORDER = ["PDR", "SELS", "IAR", "IAR-LLM", "IAR-Link", "CPP", "LO", "APR", "TI", "Failed"]


@dataclass
class Run:
    """One test case: its rank row and its records."""

    label: str
    row: pd.Series
    records: list[dict]


def load_rank(workspace: str | Path) -> pd.DataFrame:
    path = Path(workspace) / "rank" / "all_rank.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no rank CSV (run `ianvs -f benchmarkingjob.yaml` first)")
    # As text, so hyperparameters compare exactly as Ianvs wrote them ("" stays "", 4.0 stays "4.0").
    df = pd.read_csv(path, index_col=0, dtype=str, keep_default_na=False)
    for m in METRIC_ORDER:
        if m in df.columns:
            df[m] = pd.to_numeric(df[m], errors="coerce")
    hp_cols = [c for c in df.columns if "-" in c and c.split("-")[0] in ("edgemodel", "cloudmodel", "hard_example_mining")]
    # Ianvs appends earlier runs of the same workspace: keep the newest row per configuration.
    return df.sort_values("time").drop_duplicates(subset=["algorithm", *hp_cols], keep="last")


def manifests(workspace: str | Path) -> list[tuple[dict, Path]]:
    out = []
    for f in sorted(Path(workspace).glob("*/records/*.json")):
        m = json.loads(f.read_text())
        out.append((m["hyperparameters"], f.parent / m["records"]))
    return out


def label_of(row: pd.Series) -> str:
    router = str(row.get("hard_example_mining-router", "?"))
    if router != "oracle":
        return router
    return f"oracle {row.get('hard_example_mining-policy', '')} t={row.get('hard_example_mining-threshold', '')}"


def runs(workspace: str | Path) -> list[Run]:
    """Every test case in the rank CSV with the records whose manifest matches its hyperparameters."""
    df = load_rank(workspace)
    found = manifests(workspace)
    result = []
    for _, row in df.iterrows():
        records: list[dict] = []
        for hps, path in found:
            shared = [k for k in hps if k in row.index]
            if shared and all(str(row[k]) == hps[k] for k in shared) and path.exists():
                records = read_records(path)
                break
        result.append(Run(label_of(row), row, records))
    return result


def table(workspace: str | Path) -> pd.DataFrame:
    """A compact table: one row per test case, the metrics that exist, the route mix."""
    rows = []
    for run in runs(workspace):
        entry = {"test case": run.label}
        for m in METRIC_ORDER:
            if m in run.row.index:
                entry[m] = run.row[m]
        if run.records:
            n = len(run.records)
            for route in ("edge", "cloud_raw", "cloud_sanitized"):
                entry[route] = sum(r["route"] == route for r in run.records) / n
        rows.append(entry)
    return pd.DataFrame(rows)
