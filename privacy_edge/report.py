"""Read an Ianvs workspace: the rank CSV joined with each test case's records (by hyperparameters)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .record import read_records

METRIC_ORDER = ["PDR", "SELS", "IAR", "ASR-LLM", "ASR-Link", "CPP", "APR", "Accuracy", "LO", "TI", "Failed"]
# The model-backed metrics and the rank column that says on how many samples each was scored.
COUNTS = {"ASR-LLM": "ASR-LLM_n", "ASR-Link": "ASR-Link_n", "CPP": "CPP_n", "APR": "APR_n"}


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
    for m in [*METRIC_ORDER, *COUNTS.values()]:
        if m in df.columns:
            df[m] = pd.to_numeric(df[m], errors="coerce")
    hp_cols = [c for c in df.columns if "-" in c and c.split("-")[0] in ("edgemodel", "cloudmodel", "hard_example_mining")]
    # Ianvs appends earlier runs of the same workspace: keep the newest row per configuration.
    newest = df.sort_values("time").drop_duplicates(subset=["algorithm", *hp_cols], keep="last")
    return newest.loc[[i for i in df.index if i in newest.index]]  # in Ianvs's rank order


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


def _isnan(value) -> bool:
    return value is None or pd.isna(value)


def flags(run: Run) -> list[str]:
    """What a reader must know before trusting a row: a model-backed metric scored on fewer samples than
    it could be (N: the records; for CPP, those that sent something), and IAR without linking."""
    row, out = run.row, []
    linking_off = _isnan(row.get("ASR-Link")) and not _isnan(row.get("IAR")) and row.get("ASR-Link_n", 0) == 0
    if linking_off:
        out.append("linking off: IAR = 1 - ASR-LLM")
    if not run.records:
        return out + ["no records found: scored counts not checked"]
    for metric, count in COUNTS.items():
        if count not in row.index or _isnan(row[count]) or (metric == "ASR-Link" and linking_off):
            continue
        n_all = sum(bool(r.get("egress")) for r in run.records) if metric == "CPP" else len(run.records)
        if int(row[count]) < n_all:
            out.append(f"{metric} on {int(row[count])}/{n_all} samples")
    return out


def table(workspace: str | Path) -> pd.DataFrame:
    """A compact table: one row per test case, the metrics that exist, the route mix, the flags."""
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
        entry["flags"] = "; ".join(flags(run))
        rows.append(entry)
    return pd.DataFrame(rows)


def reproducibility_warnings(all_runs: list[Run]) -> list[str]:
    """One line per test case whose sanitizers were keyed by a YAML salt or seed, not the workspace secret."""
    out = []
    for run in all_runs:
        methods = sorted({r["method"]["name"] for r in run.records
                          if (r.get("method") or {}).get("params", {}).get("reproducible")})
        if methods:
            out.append(f"{run.label}: {', '.join(methods)} keyed by a salt/seed from the YAML (reproducible: "
                       "true): the protection does not hold against anyone who knows that setting")
    return out


STAGES = ("detect", "sanitize", "restore", "edge", "cloud")
ROUTE_COLORS = {"edge": "#4e79a7", "cloud_raw": "#e15759", "cloud_sanitized": "#f28e2b"}
STAGE_COLORS = {"detect": "#59a14f", "sanitize": "#8cd17d", "restore": "#b6992d", "edge": "#4e79a7", "cloud": "#e15759"}


def _marker(label: str) -> tuple[str, str]:
    if label.startswith("oracle"):
        return "o", "#4e79a7"
    return {"edge_only": ("s", "#59a14f"), "cloud_only": ("X", "#e15759"), "cloud_sanitized": ("D", "#f28e2b")}.get(
        label, ("^", "#777"))


def plot_frontier(all_runs: list[Run], out: Path) -> Path:
    """Privacy vs. utility, one numbered point per test case: SELS vs APR and IAR vs APR."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [r for r in all_runs if not pd.isna(r.row.get("APR", float("nan")))]
    number = {id(r): i + 1 for i, r in enumerate(shown)}
    fig, axes = plt.subplots(1, 3, figsize=(16, 5.6), gridspec_kw={"width_ratios": [1, 1, 0.55]})
    for ax, metric, better in ((axes[0], "SELS", "lower leakage ←"), (axes[1], "IAR", "more resistance →")):
        points: dict[tuple[float, float], list[str]] = {}
        for run in shown:
            x, y = run.row.get(metric), run.row.get("APR")
            if x is None or pd.isna(x):
                continue
            marker, color = _marker(run.label)
            ax.scatter(x, y, s=70, marker=marker, color=color, edgecolor="black", linewidth=0.5, zorder=3)
            points.setdefault((round(float(x), 3), round(float(y), 3)), []).append(str(number[id(run)]))
        for (x, y), numbers in points.items():  # test cases on the same spot share one label
            ax.annotate(",".join(numbers), (x, y), textcoords="offset points", xytext=(6, 5), fontsize=8)
        ax.set_xlabel(f"{metric} ({better})")
        ax.set_ylabel("APR (accuracy kept vs. cloud on raw text)")
        ax.grid(alpha=0.3)
    axes[0].set_title("Leakage vs. accuracy")
    axes[1].set_title("Attack resistance vs. accuracy")
    axes[2].axis("off")
    axes[2].text(0, 1, "\n".join(f"{number[id(r)]:>2}  {r.label}" for r in shown), va="top", family="monospace",
                 fontsize=8.5, transform=axes[2].transAxes)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def _stacked_bars(runs_: list[Run], parts: dict[str, tuple[str, list[float]]], xlabel: str, title: str,
                  out: Path, notes: list[str] | None = None) -> Path:
    """Horizontal stacked bars, one per test case; ``parts``: name -> (color, value per test case)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 0.45 * len(runs_) + 1.5))
    labels = [r.label for r in runs_]
    left = [0.0] * len(runs_)
    for name, (color, values) in parts.items():
        ax.barh(labels, values, left=left, color=color, label=name)
        left = [a + b for a, b in zip(left, values)]
    for i, note in enumerate(notes or []):
        if note:
            ax.text(max(left) * 1.01, i, note, va="center", fontsize=8, color="#b00")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def _mean(run: Run, value) -> float:
    return sum(value(rec) for rec in run.records) / len(run.records)


def plot_routes(all_runs: list[Run], out: Path) -> Path:
    """Share of samples per route, per test case (and the share that failed)."""
    runs_ = [r for r in all_runs if r.records]
    parts = {route: (color, [_mean(r, lambda rec, route=route: rec["route"] == route) for r in runs_])
             for route, color in ROUTE_COLORS.items()}
    failed = [_mean(r, lambda rec: bool(rec.get("error"))) for r in runs_]
    return _stacked_bars(runs_, parts, "share of samples", "Route mix per test case", out,
                         [f"{f:.0%} failed" if f else "" for f in failed])


def plot_latency(all_runs: list[Run], out: Path) -> Path:
    """Mean seconds per sample in each stage, per test case (model time as measured, cache hits included)."""
    runs_ = [r for r in all_runs if r.records]
    parts = {stage: (STAGE_COLORS[stage], [_mean(r, lambda rec, st=stage: float(rec["timings_s"].get(st) or 0))
                                           for r in runs_]) for stage in STAGES}
    return _stacked_bars(runs_, parts, "mean seconds per sample", "Latency breakdown per stage", out)


def write_plots(workspace: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    all_runs = runs(workspace)
    out_dir = Path(out_dir) if out_dir else Path(workspace) / "report"
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        plot_frontier(all_runs, out_dir / "frontier.png"),
        plot_routes(all_runs, out_dir / "routes.png"),
        plot_latency(all_runs, out_dir / "latency.png"),
    ]
