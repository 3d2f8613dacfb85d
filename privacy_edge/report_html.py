"""One self-contained HTML report of a job: what left the edge, sample by sample.

``write_html(workspace, out)`` reads what ``report.py`` reads (the rank CSV, each test case's records and
manifests, the job's dataset for the gold) and writes one file that opens from disk: no server, no
network, its script and style inline (templates/report.html). The data goes in as one JSON blob; the
page draws the ranking, the frontier, the leakage by type and the route mix at once and a sample only
when it is opened, so the whole split (about 98 documents x 11 test cases) stays usable.

The gold is used here for display only (missed and extra detections, the gold tokens that reached the
egress, judged by metrics/leaks.py as SELS judges them, and the task score); the system never reads it.
Every text of the data is user input: the blob is JSON with ``<``, ``>`` and ``&`` escaped, and the
page builds its DOM with textContent, never HTML from data.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import inspect
import json
import math
import re
from importlib import resources
from pathlib import Path

from .data.tab import MASKED_IDENTIFIER_TYPES as MASKED
from .data.tasks import get_task
from .llm.base import case_text_of
from .metrics import INFO, METRICS, headline, load_all
from .metrics.detection import coverage, is_covered
from .metrics.leaks import leak_detail, tokens
from .metrics.settings import load_metric_settings
from .provenance import current_commit, machine
from .report import (BASELINES, CONFIDENCE, DATASET, POLICY_COLORS, ROUTE_COLORS, Run, calibration, flags,
                     formatted, frontier_groups, models_used, read_gold, reproducibility_warnings, runs, table)

ROUTES = ("edge", "cloud_raw", "cloud_sanitized")
FRONTIER = (("SELS", "APR"), ("IAR", "APR"))  # as report.plot_frontier: privacy (x) vs utility (y)
COLUMN_NOTES = {
    "test case": "One Ianvs test case: the router, and for the confidence router its policy and threshold t.",
    "N": "The samples (records) of the test case.",
    "edge": "Share of the samples answered at the edge: nothing left it.",
    "cloud_raw": "Share of the samples sent to the cloud as raw text.",
    "cloud_sanitized": "Share of the samples sent to the cloud sanitized (masked, pseudonymized or DP).",
}
METRIC_SETTINGS = Path("testenv/metrics.yaml")  # as the Ianvs metric modules read them ($PRIVACY_EDGE_METRICS first)
INTERVAL_NOTE = "[lo, hi]: 95% bootstrap interval over documents (the same resampled documents for every row)."
_WORD = re.compile(r"[^\W_]+")
_DIFF_TOKEN = re.compile(r"\w+|[^\w\s]")
_CASE_TEXT = "Case text:\n"


def _clean(value):
    """JSON-ready: NaN and infinities as null, numpy and pandas scalars as Python ones."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, (str, bool)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)
    if isinstance(value, int):
        return value
    import pandas as pd

    try:
        if pd.isna(value):  # pandas NA, NaT
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def embed_json(obj) -> str:
    """JSON safe inside a <script> element: ``<``, ``>`` and ``&`` (so ``</script>`` and ``<!--``) and the
    JavaScript line separators as escapes; the parsed value is unchanged."""
    text = json.dumps(_clean(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _doc(obj) -> str:
    text = inspect.getdoc(obj) or ""
    return " ".join(text.split())


def metric_definitions() -> dict[str, dict]:
    """Every registered metric's definition (its function's docstring) and direction, by rank CSV column."""
    load_all()
    out = {}
    for name, info in INFO.items():
        out[name] = {"doc": _doc(METRICS.get(name)), "better": "higher" if info.higher_is_better else "lower",
                     "of": info.of, "role": info.role}
    for name, note in COLUMN_NOTES.items():
        out.setdefault(name, {"doc": note, "better": None, "of": None, "role": "column"})
    out["flags"] = {"doc": _doc(flags), "better": None, "of": None, "role": "column"}
    return out


class _Interned:
    """A table of distinct values: repeated texts (egresses shared by test cases, span sources) once."""

    def __init__(self) -> None:
        self.items: list = []
        self._index: dict[str, int] = {}

    def __call__(self, value) -> int | None:
        if value is None:
            return None
        key = json.dumps(value, sort_keys=True) if not isinstance(value, str) else "s" + value
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(value)
        return self._index[key]


def _case_offset(egress: str) -> int:
    """Where ``case_text_of(egress)`` starts in the egress."""
    head, sep, _ = egress.partition(_CASE_TEXT)
    return len(head) + len(sep) if sep else 0


def substitutions(original: str, sent: str) -> list[tuple[int, int]]:
    """[start, end) ranges of ``sent`` that are not the original's words: placeholders, surrogates, DP
    words (a word-level diff; what data minimization dropped is not shown)."""
    a = [m.group() for m in _DIFF_TOKEN.finditer(original)]
    spans = [(m.start(), m.end()) for m in _DIFF_TOKEN.finditer(sent)]
    b = [sent[s:e] for s, e in spans]
    out: list[tuple[int, int]] = []
    for op, _, _, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=len(b) > 2000).get_opcodes():
        if op in ("replace", "insert") and j2 > j1:
            start, end = spans[j1][0], spans[j2 - 1][1]
            if out and start - out[-1][1] <= 1:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
    return out


def token_ranges(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """[start, end) of the words of ``text`` holding one of the judge's ``wanted`` tokens."""
    if not wanted:
        return []
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if set(tokens(m.group())) & wanted]


def sample_view(record: dict, gold: dict | None, weights: dict[str, float], own: _Interned) -> dict:
    """What the page shows of one sample; texts and span lists interned in ``own``."""
    egress = record.get("egress") or None
    edge, cloud = record.get("edge") or {}, record.get("cloud") or {}
    view = {
        "doc": record.get("doc_id"), "route": record.get("route"), "error": record.get("error"),
        "conf": edge.get("confidence"), "sens": (record.get("sensitivity") or {}).get("score"),
        "level": (record.get("sensitivity") or {}).get("level"), "private": record.get("private"),
        "method": (record.get("method") or {}).get("name"),
        "params": own((record.get("method") or {}).get("params") or None),
        "det": own([[int(d["start"]), int(d["end"]), d.get("type"), d.get("source"), d.get("score")]
                    for d in record.get("detected") or []]),
        "eg": own(egress), "bytes": len(egress.encode("utf-8")) if egress else 0,
        "edgeAns": own(edge.get("answer")), "cloudAns": own(cloud.get("answer")), "ans": own(record.get("answer")),
        "t": {k: v for k, v in (record.get("timings_s") or {}).items() if v},
    }
    text = ((gold or {}).get("reference_input") or {}).get("text")
    if gold is None or text is None:
        return view
    task = gold.get("task") or {}
    if task.get("reference") is not None:
        view["score"] = get_task(task["name"]).score(record.get("answer") or "", task["reference"])
    mentions = [m for m in gold.get("mentions", []) if m.get("identifier_type") in MASKED]
    covered = coverage(len(text), record.get("detected") or [])
    sent = case_text_of(egress) if egress else ""
    detail = leak_detail(text, [(m["start"], m["end"]) for m in mentions], sent) if egress else \
        [(0.0, [])] * len(mentions)
    view["leaks"] = [[i, round(share, 4), toks] for i, (share, toks) in enumerate(detail) if share > 0]
    view["missed"] = [i for i, m in enumerate(mentions) if not is_covered(text, m, covered)]
    total = sum(weights.get(m["identifier_type"], 0.0) for m in mentions)
    leaked_weight = sum(weights.get(m["identifier_type"], 0.0) * share for m, (share, _) in zip(mentions, detail))
    view["sels"] = leaked_weight / total if total else 0.0
    if egress:
        offset = _case_offset(egress)
        end = offset + len(sent)  # the prompt around the case text: before it and after it
        leaked = {t for _, toks in detail for t in toks}
        view["marks"] = own([[offset + a, offset + b, "leak"] for a, b in token_ranges(sent, leaked)]
                            + [[offset + a, offset + b, "sub"] for a, b in substitutions(text, sent)]
                            + [[a, b, "prompt"] for a, b in ((0, offset), (end, len(egress))) if b > a])
    return view


def _doc_view(gold: dict) -> dict:
    task = gold.get("task") or {}
    ref = gold.get("reference_input") or {}
    return {"text": ref.get("text"), "question": ref.get("question"), "task": task.get("name"),
            "reference": task.get("reference"), "applicant": gold.get("applicant"),
            "mentions": [[m["start"], m["end"], m["entity_type"], m["identifier_type"], m.get("span_text", "")]
                         for m in gold.get("mentions", []) if m.get("identifier_type") in MASKED]}


def _slug(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._]+", "-", label).strip("-") or "case"
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def _hps(run: Run) -> dict[str, str]:
    return {k: str(v) for k, v in run.row.items()
            if "-" in k and k.split("-")[0] in ("edgemodel", "cloudmodel", "hard_example_mining")}


def _leakage_by_type(cases: list[dict], docs: dict[str, dict]) -> dict:
    """Per test case and TAB entity type: the mean leak share (the judge of SELS, unweighted) of the
    gold to-mask mentions of that type; the mention count per type."""
    rows, totals = [], {}
    for case in cases:
        sums: dict[str, list[float]] = {}
        for s in case["samples"]:
            doc = docs.get(s["doc"])
            if doc is None or "leaks" not in s:
                continue
            shares = {i: share for i, share, _ in s["leaks"]}
            for i, m in enumerate(doc["mentions"]):
                acc = sums.setdefault(m[2], [0.0, 0])
                acc[0] += shares.get(i, 0.0)
                acc[1] += 1
        if sums:
            rows.append({"case": case["index"], "by": {t: v[0] / v[1] for t, v in sums.items()}})
            for t, v in sums.items():
                totals[t] = max(totals.get(t, 0), v[1])
    return {"types": sorted(totals, key=lambda t: -totals[t]), "n": totals, "rows": rows}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def report_data(workspace: str | Path, data: str | Path | None = None) -> dict:
    """Everything the page shows, JSON-ready."""
    workspace = Path(workspace)
    load_all()
    all_runs = runs(workspace)
    df = table(workspace)
    text = formatted(df)
    data = Path(data) if data else DATASET if DATASET.exists() else None
    gold = read_gold(data) if data is not None and Path(data).exists() else {}
    weights = load_metric_settings(METRIC_SETTINGS).sels_weights  # the job's SELS weights
    own = _Interned()
    metrics = [m for m in headline() if m in df.columns]
    taken: set[str] = set()
    cases, rows, docs = [], [], {}
    for i, run in enumerate(all_runs):
        hps = _hps(run)
        cases.append({
            "index": i, "id": _slug(run.label, taken), "label": run.label,
            "router": hps.get("hard_example_mining-router", ""), "policy": hps.get("hard_example_mining-policy", ""),
            "threshold": hps.get("hard_example_mining-threshold", ""), "algorithm": str(run.row.get("algorithm", "")),
            "time": str(run.row.get("time", "")), "hps": hps,
            "samples": [sample_view(r, gold.get(r.get("doc_id")), weights, own) for r in run.records],
        })
        for r in run.records:
            if r.get("doc_id") in gold and r["doc_id"] not in docs:
                docs[r["doc_id"]] = _doc_view(gold[r["doc_id"]])
        entry = df.iloc[i]
        cells = {}
        for m in metrics:
            cells[m] = [entry.get(m), entry.get(f"{m}_lo"), entry.get(f"{m}_hi"), entry.get(f"{m}_n"), text[m].iloc[i]]
        rows.append({"case": i, "m": cells, "N": entry.get("N"), "routes": {r: entry.get(r) for r in ROUTES},
                     "failed": (sum(bool(r.get("error")) for r in run.records) / len(run.records)) if run.records
                     else None, "flags": entry.get("flags") or ""})
    policies, baselines = frontier_groups(all_runs)
    index = {id(r): i for i, r in enumerate(all_runs)}
    hp_sets = [c["hps"] for c in cases]
    common = {k: v for k, v in (hp_sets[0] if hp_sets else {}).items() if all(h.get(k) == v for h in hp_sets)}
    varying = sorted({k for h in hp_sets for k in h if k not in common})
    return {
        "title": f"Privacy-first cloud-edge inference: {workspace.name}",
        "provenance": {
            "commit": current_commit(), "machine": machine(),
            "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "workspace": str(workspace), "rank": str(workspace / "rank" / "all_rank.csv"),
            "data": (f"{data} (sha256 {_sha(Path(data))}, {len(gold)} documents)" if gold else
                     "not found: no texts, gold or scores (pass --data)"),
            "models": models_used(workspace), "settings": common, "varying": varying,
            "calibration": [c.describe() for c in calibration(all_runs).values()],
            "warnings": reproducibility_warnings(all_runs),
        },
        "definitions": metric_definitions(), "intervalNote": INTERVAL_NOTE,
        "metrics": metrics, "routes": list(ROUTES), "routeColors": ROUTE_COLORS,
        "cases": cases, "rows": rows, "docs": docs, "strings": own.items,
        "frontier": {
            "panels": [list(p) for p in FRONTIER if p[0] in df.columns and p[1] in df.columns],
            "policies": [{"policy": p, "color": POLICY_COLORS[k % len(POLICY_COLORS)],
                          "cases": [index[id(r)] for r in policies[p]]} for k, p in enumerate(sorted(policies))],
            "baselines": [{"case": index[id(r)], "shape": BASELINES.get(r.label, ("^", "#777"))[0],
                           "color": BASELINES.get(r.label, ("^", "#777"))[1]} for r in baselines],
            "confidence": sorted(CONFIDENCE),
        },
        "leakage": _leakage_by_type(cases, docs),
    }


def template() -> str:
    return (resources.files("privacy_edge") / "templates" / "report.html").read_text(encoding="utf-8")


def render(data: dict) -> str:
    """The page: the template with the data blob and the title (escaped) filled in."""
    import html

    head, marker, tail = template().partition("{{DATA}}")
    if not marker:
        raise ValueError("the report template has no {{DATA}} marker")
    return head.replace("{{TITLE}}", html.escape(data["title"])) + embed_json(data) + tail


def write_html(workspace: str | Path, out: str | Path | None = None, data: str | Path | None = None) -> Path:
    """The report of ``workspace`` as one HTML file (default: WORKSPACE/report/report.html)."""
    out = Path(out) if out else Path(workspace) / "report" / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(report_data(workspace, data)), encoding="utf-8")
    return out
