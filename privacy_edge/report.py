"""Read an Ianvs workspace: the rank CSV joined with each test case's records (by hyperparameters)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .jsonl import read_jsonl

from .metrics import companions, headline
from .routing import RENAMED

# The confidence router's rows, under its name or an old one (rank CSVs of earlier runs).
CONFIDENCE = frozenset({"confidence", *(old for old, new in RENAMED.items() if new == "confidence")})
# The attacks, calibrated by their success on raw text (the cloud_only row): under this, an attacker
# is too weak for its failure on protected rows to say anything about the protection.
ATTACKS = ("ASR-LLM", "ASR-Link")
WEAK_ATTACKER = 0.5


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
    numeric = [*headline(), *companions("count").values(), *companions("lo").values(), *companions("hi").values()]
    for m in numeric:
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


def models_used(workspace: str | Path) -> list[str]:
    """The models the test cases ran, as the manifests name them ("edge: ...", "ner: ..."), each once."""
    seen: dict[str, None] = {}
    for f in sorted(Path(workspace).glob("*/records/*.json")):
        for role, name in sorted((json.loads(f.read_text()).get("models") or {}).items()):
            seen.setdefault(f"{role}: {name}")
    return list(seen)


def label_of(row: pd.Series) -> str:
    router = str(row.get("hard_example_mining-router", "?"))
    if router not in CONFIDENCE:
        return router
    return f"{router} {row.get('hard_example_mining-policy', '')} t={row.get('hard_example_mining-threshold', '')}"


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
                records = read_jsonl(path)
                break
        result.append(Run(label_of(row), row, records))
    return result


def _isnan(value) -> bool:
    return value is None or pd.isna(value)


def is_raw(run: Run) -> bool:
    """The raw-text baseline: its attack success rates are the attackers' calibration."""
    return str(run.row.get("hard_example_mining-router", "")) == "cloud_only"


@dataclass
class Calibration:
    """An attack's success on raw text (the cloud_only row), with its interval."""

    attack: str
    raw: float
    lo: float = float("nan")
    hi: float = float("nan")

    @property
    def known(self) -> bool:
        return not _isnan(self.raw)

    @property
    def weak(self) -> bool:
        return self.known and self.raw < WEAK_ATTACKER

    def describe(self) -> str:
        if not self.known:
            return (f"{self.attack}: uncalibrated (no cloud_only row with a value: its strength on raw text "
                    "is unknown)")
        verdict = (f"too weak to measure protection (under {WEAK_ATTACKER:g} on raw text): IAR leaves it out"
                   ) if self.weak else "strong enough to measure protection: IAR counts it"
        return f"{self.attack}: {fmt(self.raw, self.lo, self.hi)} on the raw texts; {verdict}"


def calibration(all_runs: list[Run]) -> dict[str, Calibration]:
    """Each attack's success on raw text: its ``_raw`` column (every row is scored on the same samples),
    else the cloud_only row; NaN when neither is there."""
    raw = next((r for r in all_runs if is_raw(r)), None)
    out = {}
    for attack in ATTACKS:
        own = next((r for r in all_runs if not _isnan(r.row.get(f"{attack}_raw"))), None)
        if own is not None:
            out[attack] = Calibration(attack, _num(own.row, f"{attack}_raw"))
        elif raw is None or _isnan(raw.row.get(attack)):
            out[attack] = Calibration(attack, float("nan"))
        else:
            out[attack] = Calibration(attack, _num(raw.row, attack), _num(raw.row, f"{attack}_lo"),
                                      _num(raw.row, f"{attack}_hi"))
    return out


def flags(run: Run, calibrated: dict[str, Calibration] | None = None) -> list[str]:
    """What a reader must know before trusting a row: a model-backed metric scored on fewer samples than
    it could be (N: the records; for CPP, those that sent something), IAR without linking, and an attack
    too weak on raw text to measure this row's protection."""
    row, out = run.row, []
    linking_off = _isnan(row.get("ASR-Link")) and not _isnan(row.get("IAR")) and row.get("ASR-Link_n", 0) == 0
    if linking_off:
        out.append("linking off: IAR = 1 - ASR-LLM")
    if not is_raw(run):
        for attack, cal in (calibrated or {}).items():
            if cal.weak and not _isnan(row.get(attack)):
                out.append(f"{attack} attacker too weak ({cal.raw:.2f} on raw text)")
    if not run.records:
        return out + ["no records found: scored counts not checked"]
    for metric, count in companions("count").items():
        if count not in row.index or _isnan(row[count]) or (metric == "ASR-Link" and linking_off):
            continue
        n_all = sum(bool(r.get("egress")) for r in run.records) if metric == "CPP" else len(run.records)
        if int(row[count]) < n_all:
            out.append(f"{metric} on {int(row[count])}/{n_all} samples")
    return out


def table(workspace: str | Path) -> pd.DataFrame:
    """A compact table: one row per test case, the metrics that exist (each with its interval columns
    NAME_lo, NAME_hi where the rank CSV has them), the route mix, the flags."""
    rows = []
    all_runs = runs(workspace)
    calibrated = calibration(all_runs)
    counts = companions("count")
    for run in all_runs:
        entry = {"test case": run.label}
        for m in headline():
            if m in run.row.index:
                entry[m] = run.row[m]
                n_scored = run.row.get(counts[m]) if m in counts else None
                if n_scored is not None and not _isnan(n_scored):
                    entry[f"{m}_n"] = int(n_scored)
                    if int(n_scored) < 2:  # one sample has no spread: no interval is drawn
                        continue
                for b in (f"{m}_lo", f"{m}_hi"):
                    if b in run.row.index:
                        entry[b] = run.row[b]
        if run.records:
            n = len(run.records)
            entry["N"] = n
            for route in ("edge", "cloud_raw", "cloud_sanitized"):
                entry[route] = sum(r["route"] == route for r in run.records) / n
        entry["flags"] = "; ".join(flags(run, calibrated))
        rows.append(entry)
    return pd.DataFrame(rows)


def fmt(value, lo=None, hi=None, digits: int = 3) -> str:
    """A figure with its interval, e.g. "0.031 [0.010, 0.062]"; "–" for NaN."""
    if _isnan(value):
        return "–"
    text = f"{float(value):.{digits}f}"
    if lo is not None and hi is not None and not _isnan(lo) and not _isnan(hi):
        text += f" [{float(lo):.{digits}f}, {float(hi):.{digits}f}]"
    return text


def formatted(df: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """table() as text: each metric with its interval in one cell, the route shares as percentages."""
    out = pd.DataFrame({"test case": df["test case"]}) if "test case" in df else pd.DataFrame(index=df.index)
    total = df.get("N")
    for m in headline():
        if m in df:
            lo, hi, scored = df.get(f"{m}_lo"), df.get(f"{m}_hi"), df.get(f"{m}_n")
            cells = []
            for i, v in zip(df.index, df[m]):
                cell = fmt(v, None if lo is None else lo[i], None if hi is None else hi[i], digits)
                if (scored is not None and not _isnan(scored[i]) and total is not None and not _isnan(total[i])
                        and scored[i] < total[i] and cell != "–"):
                    cell += f" (n={int(scored[i])})"  # scored on fewer samples than the test case has
                cells.append(cell)
            out[m] = cells
    for route in ("edge", "cloud_raw", "cloud_sanitized"):
        if route in df:
            out[route] = ["–" if _isnan(v) else f"{v:.0%}" for v in df[route]]
    return out


def markdown(df: pd.DataFrame, digits: int = 3) -> str:
    """formatted() as a Markdown table (the README's results table)."""
    text = formatted(df, digits)
    lines = ["| " + " | ".join(text.columns) + " |", "|" + " --- |" * len(text.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in text.itertuples(index=False)]
    return "\n".join(lines)


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


STAGES = ("detect", "sanitize", "guard", "restore", "edge", "cloud")
ROUTE_COLORS = {"edge": "#4e79a7", "cloud_raw": "#e15759", "cloud_sanitized": "#f28e2b"}
STAGE_COLORS = {"detect": "#59a14f", "sanitize": "#8cd17d", "guard": "#499894", "restore": "#b6992d", "edge": "#4e79a7",
                "cloud": "#e15759"}


BASELINES = {"edge_only": ("s", "#59a14f"), "cloud_only": ("X", "#e15759"), "cloud_sanitized": ("D", "#f28e2b")}
POLICY_COLORS = ["#4e79a7", "#b07aa1", "#76b7b2", "#9c755f", "#edc948", "#ff9da7", "#bab0ac", "#59a14f"]
LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
DODGE_PT = 5.0  # policies that land on the same point are drawn this many points apart, left to right


def _num(row: pd.Series, name: str) -> float:
    value = row.get(name)
    return float("nan") if _isnan(value) else float(value)


def _err(row: pd.Series, metric: str) -> list[float] | None:
    """[below, above] the point from the interval columns; None when the rank CSV has none."""
    value, lo, hi = _num(row, metric), _num(row, f"{metric}_lo"), _num(row, f"{metric}_hi")
    if any(math.isnan(v) for v in (value, lo, hi)):
        return None
    return [max(0.0, value - lo), max(0.0, hi - value)]


def place_labels(ax, items: list[tuple[float, float, str, str]], avoid: list[tuple[float, float]]) -> None:
    """Text labels near their points, each at the first of a ring of offsets where it overlaps no label
    placed before it, no point in ``avoid`` and stays inside the axes (greedy; the nearest offset wins)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    marker_boxes = []
    for x, y in avoid:
        px, py = to_px((x, y))
        marker_boxes.append((px - 6, py - 6, px + 6, py + 6))
    placed: list[tuple[float, float, float, float]] = []
    frame = ax.get_window_extent(renderer)
    offsets = [(dx, dy) for radius in (7, 14, 22, 32, 44) for dx, dy in
               ((radius, radius * 0.6), (radius, -radius * 0.9), (-radius, radius * 0.6), (-radius, -radius * 0.9),
                (0, radius), (0, -radius - 4), (radius * 1.3, 0), (-radius * 1.3, 0))]

    def overlaps(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for x, y, text, color in items:
        chosen = None
        for dx, dy in offsets:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top"
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=7.5, color=color,
                            ha=ha, va=va, zorder=5, bbox=LABEL_BOX)
            bb = t.get_window_extent(renderer)
            box = (bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
            inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
            if inside and not any(overlaps(box, o) for o in placed + marker_boxes):
                chosen = (t, box, dx, dy)
                break
            t.remove()
        if chosen is None:  # nowhere free: the nearest spot, with a leader line
            dx, dy = offsets[-1]
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=7.5, color=color,
                            ha="left", va="bottom", zorder=5, bbox=LABEL_BOX,
                            arrowprops={"arrowstyle": "-", "color": color, "lw": 0.5})
            bb = t.get_window_extent(renderer)
            chosen = (t, (bb.x0, bb.y0, bb.x1, bb.y1), dx, dy)
        t, box, dx, dy = chosen
        placed.append(box)


def frontier_groups(all_runs: list[Run]) -> tuple[dict[str, list[Run]], list[Run]]:
    """Confidence-router test cases per policy (ordered by threshold) and the baselines."""
    policies: dict[str, list[Run]] = {}
    baselines = []
    for run in all_runs:
        if str(run.row.get("hard_example_mining-router", "")) in CONFIDENCE:
            policies.setdefault(str(run.row.get("hard_example_mining-policy", "")), []).append(run)
        else:
            baselines.append(run)
    for group in policies.values():
        group.sort(key=lambda r: _num(r.row, "hard_example_mining-threshold"))
    return policies, baselines


def _frontier_panel(ax, metric: str, policies: dict[str, list[Run]], baselines: list[Run], colors: dict[str, str],
                    thresholds: bool) -> list[tuple[float, float]]:
    """One frontier panel (``metric`` vs APR); returns the confidence router points drawn."""
    from matplotlib.transforms import offset_copy

    labels, avoid, drawn = [], [], []
    for k, policy in enumerate(sorted(policies)):
        group = [r for r in policies[policy]
                 if not (math.isnan(_num(r.row, metric)) or math.isnan(_num(r.row, "APR")))]
        if not group:
            continue
        shift = offset_copy(ax.transData, fig=ax.figure, x=(k - (len(policies) - 1) / 2) * DODGE_PT, y=0,
                            units="points")
        xs, ys = [_num(r.row, metric) for r in group], [_num(r.row, "APR") for r in group]
        xerr = [_err(r.row, metric) or [0, 0] for r in group]
        yerr = [_err(r.row, "APR") or [0, 0] for r in group]
        ax.errorbar(xs, ys, xerr=list(zip(*xerr)), yerr=list(zip(*yerr)), fmt="none", ecolor=colors[policy],
                    elinewidth=0.9, capsize=2, alpha=0.45, transform=shift, zorder=2)
        ax.plot(xs, ys, "-o", color=colors[policy], markersize=6, markeredgecolor="black", markeredgewidth=0.5,
                lw=1.4, transform=shift, zorder=3)
        avoid += list(zip(xs, ys))
        drawn += list(zip(xs, ys))
        if thresholds:
            labels += [(x, y, f"t={r.row.get('hard_example_mining-threshold', '')}", "#333")
                       for r, x, y in zip(group, xs, ys)]
    for run in baselines:
        x, y = _num(run.row, metric), _num(run.row, "APR")
        if math.isnan(x) or math.isnan(y):
            continue
        marker, color = BASELINES.get(run.label, ("^", "#777"))
        e_x, e_y = _err(run.row, metric), _err(run.row, "APR")
        ax.errorbar([x], [y], xerr=None if e_x is None else [[e_x[0]], [e_x[1]]],
                    yerr=None if e_y is None else [[e_y[0]], [e_y[1]]], fmt="none", ecolor=color,
                    elinewidth=0.9, capsize=2, alpha=0.6, zorder=2)
        ax.scatter([x], [y], s=90, marker=marker, color=color, edgecolor="black", linewidth=0.6, zorder=4)
        avoid.append((x, y))
        labels.append((x, y, run.label, color))
    ax.set_ylabel("APR: accuracy kept vs. raw-text cloud (↑)")
    ax.grid(alpha=0.3)
    ax.figure.canvas.draw()
    return drawn, labels, avoid


def _zoom_limits(points: list[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    if not points:
        return None
    out = []
    for values in zip(*points):
        lo, hi = min(values), max(values)
        pad = max(0.3 * (hi - lo), 0.02)
        out.append((lo - pad, hi + pad))
    return out[0], out[1]


def plot_frontier(all_runs: list[Run], out: Path) -> Path:
    """Privacy vs. utility: SELS vs APR and IAR vs APR, one line per policy through its thresholds, the
    baselines as labelled markers, 95% bootstrap intervals as error bars; the top row shows every test
    case, the bottom row zooms onto the confidence router's lines (the grey box above)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    policies, baselines = frontier_groups(all_runs)
    colors = {p: POLICY_COLORS[i % len(POLICY_COLORS)] for i, p in enumerate(sorted(policies))}
    fig, axes = plt.subplots(2, 2, figsize=(14, 11.5), gridspec_kw={"height_ratios": [1, 1.25]})
    names = {"SELS": "SELS: gold mentions leaked (← lower is better)",
             "IAR": "IAR: inference attack resistance (higher is better →)"}
    for col, metric in enumerate(("SELS", "IAR")):
        full, zoom = axes[0, col], axes[1, col]
        full.margins(x=0.1, y=0.12)
        drawn, labels, avoid = _frontier_panel(full, metric, policies, baselines, colors, thresholds=False)
        place_labels(full, labels, avoid)
        full.set_xlabel(names[metric])
        full.set_title(("Leakage" if metric == "SELS" else "Attack resistance") + " vs. accuracy: every test case")
        limits = _zoom_limits(drawn)
        if limits is None:
            zoom.axis("off")
            continue
        (x0, x1), (y0, y1) = limits
        full.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="#888", ls="--", lw=0.8, zorder=1))
        zoom.set_xlim(x0, x1)
        zoom.set_ylim(y0, y1)
        drawn, labels, avoid = _frontier_panel(zoom, metric, policies, baselines, colors, thresholds=True)
        inside = [lab for lab in labels if x0 <= lab[0] <= x1 and y0 <= lab[1] <= y1]
        # Threshold labels repeat where policies coincide: one label per spot and text.
        place_labels(zoom, list({(round(x, 4), round(y, 4), t): (x, y, t, c) for x, y, t, c in inside}.values()),
                     avoid)
        zoom.set_xlim(x0, x1)
        zoom.set_ylim(y0, y1)
        zoom.set_xlabel(names[metric])
        zoom.set_title("zoom: the confidence router's policies, thresholds t marked")
    handles = [Line2D([], [], color=colors[p], marker="o", markeredgecolor="black", markeredgewidth=0.5,
                      label=f"confidence router, {p} (line through its thresholds)") for p in sorted(policies)]
    for r in baselines:
        marker, color = BASELINES.get(r.label, ("^", "#777"))
        handles.append(Line2D([], [], ls="", marker=marker, markersize=9, color=color, markeredgecolor="black",
                              label=f"baseline: {r.label}"))
    handles.append(Line2D([], [], color="#777", lw=0.9, alpha=0.6, label="95% bootstrap interval over documents"))
    rows = math.ceil(len(handles) / 3)
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8.5, frameon=False,
               title=(f"policies on the same spot are drawn {DODGE_PT:g} pt apart, left to right in legend order"
                      if len(policies) > 1 else None), title_fontsize=8)
    fig.tight_layout(rect=(0, 0.02 + 0.022 * (rows + 1), 1, 1))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def leakage_by_type(all_runs: list[Run], gold: dict[str, dict]) -> pd.DataFrame:
    """Per test case (rows) and TAB entity type (columns): the share of gold to-mask mentions of that type
    that reached the egress, token by token as SELS counts it (unweighted); documents kept at the edge
    leak nothing. The ``n`` row holds the number of mentions of each type (the same for every row)."""
    from .metrics.privacy import leaks_by_type

    rows, totals = {}, {}
    for run in all_runs:
        if not run.records:
            continue
        pairs = [(r, gold[r["doc_id"]]) for r in run.records if r.get("doc_id") in gold]
        if not pairs:
            continue
        counts = leaks_by_type([p[0] for p in pairs], [p[1] for p in pairs])
        rows[run.label] = {t: leak / total for t, (leak, total) in counts.items() if total}
        totals = {t: total for t, (_, total) in counts.items() if total}
    df = pd.DataFrame.from_dict(rows, orient="index")
    order = sorted(totals, key=lambda t: -totals[t])
    df = df.reindex(columns=order)
    df.attrs["n"] = totals
    return df


def plot_leakage_by_type(all_runs: list[Run], gold: dict[str, dict], out: Path) -> Path | None:
    """A heat map of leakage_by_type(); None when no test case's documents are in the gold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = leakage_by_type(all_runs, gold)
    if df.empty:
        return None
    values = df.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.05 * len(df.columns) + 3.8, 0.42 * len(df) + 1.9))
    im = ax.imshow(values, cmap="Reds", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(df.columns)), [f"{t}\n(n={df.attrs['n'][t]})" for t in df.columns], fontsize=8.5)
    ax.set_yticks(range(len(df)), df.index, fontsize=8.5)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            ax.text(j, i, "–" if math.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=7.5,
                    color="white" if v > 0.6 else "black")
    ax.set_title("Leakage by entity type: share of gold to-mask mentions found in the egress", fontsize=10)
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="share leaked")
    fig.tight_layout()
    fig.savefig(out, dpi=130)
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


def read_gold(data: str | Path) -> dict[str, dict]:
    """The gold answers of the job's dataset (the JSONL `prepare` writes), by doc_id."""
    out = {}
    with open(data, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                answer = json.loads(line)["answer"]
                out[answer["doc_id"]] = answer
    return out


DATASET = Path("data/tab/test_data.jsonl")


def write_plots(workspace: str | Path, out_dir: str | Path | None = None,
                data: str | Path | None = None) -> list[Path]:
    """The frontier, the route mix, the latency per stage and, given the job's dataset (``data``, default
    data/tab/test_data.jsonl where it exists), the leakage by entity type."""
    all_runs = runs(workspace)
    out_dir = Path(out_dir) if out_dir else Path(workspace) / "report"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        plot_frontier(all_runs, out_dir / "frontier.png"),
        plot_routes(all_runs, out_dir / "routes.png"),
        plot_latency(all_runs, out_dir / "latency.png"),
    ]
    data = Path(data) if data else DATASET if DATASET.exists() else None
    if data is not None:
        leakage = plot_leakage_by_type(all_runs, read_gold(data), out_dir / "leakage_by_type.png")
        if leakage is not None:
            paths.append(leakage)
    return paths
