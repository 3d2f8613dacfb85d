"""``results``: the figures the README quotes, written from a finished job into one file (docs/results.md)
with the commit, the machine, the documents and the intervals they rest on; the README's table between
its markers is rewritten from the same figures, so the two cannot differ (tests/test_readme_figures.py)."""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

SUMMARY = ("PDR", "SELS", "IAR", "CPP", "APR", "LO", "TI")  # the seven metrics; the full table has the rest
BEGIN = "<!-- results: docs/results.md, summary (make results rewrites this table) -->"
END = "<!-- /results -->"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace", help="the finished job's workspace, e.g. workspace/tab_privacy")
    p.add_argument("--out", default="docs/results.md", help="the Markdown file to write (default: %(default)s)")
    p.add_argument("--data", default="data/tab/test_data.jsonl", help="the job's dataset (default: %(default)s)")
    p.add_argument("--images", help="copy the plots into this folder too (the README shows images/*.png)")
    p.add_argument("--readme", help="rewrite the summary table between the README's markers")


def dataset_line(path: Path) -> str:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    docs = {(r.get("question") or r).get("doc_id") for r in rows}
    chars = sum(len((r.get("question") or r).get("text", "")) for r in rows)
    return f"{len(docs)} TAB test documents ({len(rows)} samples, {chars / max(len(rows), 1):,.0f} characters a text on average)"


def summary(full, columns=SUMMARY) -> str:
    """The README's table: the seven metrics and the route mix of each test case, intervals included."""
    keep = ["test case", *[c for c in columns if c in full.columns], *[c for c in ("edge", "cloud_raw", "cloud_sanitized")
                                                                      if c in full.columns]]
    text = full[keep]
    lines = ["| " + " | ".join(text.columns) + " |", "|" + " --- |" * len(text.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in text.itertuples(index=False)]
    return "\n".join(lines)


def replace_block(readme: str, table: str, where: str) -> str:
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"{where}: no results markers ({BEGIN} ... {END}) to write the table between")
    return pattern.sub(lambda _: f"{BEGIN}\n{table}\n{END}", readme, count=1)


def run(args: argparse.Namespace) -> int:
    import shutil

    from ..provenance import current_commit, machine
    from ..report import calibration, formatted, markdown, models_used, runs, table, write_plots

    workspace = Path(args.workspace)
    if not (workspace / "rank" / "all_rank.csv").exists():
        raise SystemExit(f"{workspace}: no rank/all_rank.csv; run the job first (make run)")
    df = table(workspace)
    full = formatted(df)
    seconds = workspace / "ianvs_seconds"
    timing = f"; Ianvs ran {seconds.read_text().strip()} s" if seconds.exists() else ""
    data = Path(args.data)
    short = summary(full)
    out = [
        "# Results of the default job", "",
        f"`make results` on commit {current_commit()}, {machine()}, {time.strftime('%Y-%m-%d')}{timing}.",
        f"Data: {dataset_line(data) if data.exists() else 'the job dataset (not found: ' + str(data) + ')'}.",
        "Every rate carries its 95% bootstrap interval over documents (the same resampled documents for every "
        "row); a rate scored on fewer samples than the test case has says `(n=...)`, and none has an interval "
        "under n=2. Generated: edit nothing here by hand.", "",
        "Models: " + ("; ".join(models_used(workspace)) or "not recorded") + ".", "",
        "## Summary (the README's table)", "", short, "",
        "## Every column", "", markdown(df), "",
        "## Attackers' calibration", "",
        *[f"- {cal.describe()}" for cal in calibration(runs(workspace)).values()], "",
        "Flags:", "",
        *([f"- {label}: {note}" for label, note in zip(df["test case"], df.get("flags", [])) if note] or ["- none"]), "",
    ]
    from ..profile import job, read
    from ..profile import table as stage_table

    entries = read(workspace / "profile.jsonl")
    if entries:
        times, total = job(entries, float(seconds.read_text()) if seconds.exists() else None)
        out += ["## Where the time goes", "",
                f"The job's {total:.0f} s by stage (install excluded; `make run` profiles every run into "
                "WORKSPACE/profile.jsonl, `make report` prints it). A stage's seconds exclude the stages "
                "nested in it; 'Ianvs and the rest' is the Ianvs time no stage covers.", "",
                *stage_table(times, total), ""]
    plots = write_plots(workspace, data=data if data.exists() else None)
    if args.images:
        Path(args.images).mkdir(parents=True, exist_ok=True)
        for plot in plots:
            shutil.copy(plot, Path(args.images) / plot.name)
        out += ["## Plots", "", *[f"![{p.stem}](../{Path(args.images).name}/{p.name})" for p in plots], ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(out))
    print(f"results: {args.out}")
    if args.readme:
        readme = Path(args.readme)
        readme.write_text(replace_block(readme.read_text(), short, str(readme)))
        print(f"results: the summary table of {readme} rewritten")
    return 0
