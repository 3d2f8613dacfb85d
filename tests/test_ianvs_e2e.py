"""The real Ianvs CLI on a 3-document job built from the shipped YAML files (skipped without Ianvs)."""

import csv
import json

import pytest
from ianvs_job import algorithm, build_job, metrics_settings, run

from leak_oracle import survivors
from privacy_edge.llm.base import case_text_of

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]


@pytest.fixture(scope="module")
def ianvs_run(tmp_path_factory, invented_tab):
    tmp = tmp_path_factory.mktemp("job")
    oracle = algorithm("test_algorithms/privacy_router.yaml", tmp, {"threshold": [0.0, 1.0], "policy": ["mask"]})
    base = algorithm("test_algorithms/baselines.yaml", tmp, {"router": ["cloud_only"], "policy": ["mask"]})
    job = build_job(tmp, invented_tab, [("privacy-router", oracle), ("baselines", base)])
    # The linking attacker's background: a "public judgment" per invented case, plus a decoy.
    docs = json.loads(invented_tab.read_text())
    background = {d["doc_id"]: d["text"] + " The Court holds that there has been a violation." for d in docs}
    background["000-decoy"] = "A judgment about the taxation of cheese exports, unrelated to anything above."
    (tmp / "background.json").write_text(json.dumps(background))
    settings = metrics_settings(tmp, background=str(tmp / "background.json"))
    proc = run(job, env={"PRIVACY_EDGE_METRICS": str(settings)})
    return tmp, proc


def test_job_completes_with_one_rank_row_per_test_case(ianvs_run):
    tmp, proc = ianvs_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = list(csv.DictReader(open(tmp / "workspace/tab_privacy/rank/all_rank.csv")))
    assert len(rows) == 3
    for row in rows:
        for metric in ("PDR", "SELS", "IAR", "APR", "TI", "Failed"):
            assert row[metric] != "", metric
        assert 0.0 <= float(row["SELS"]) <= 1.0 and float(row["Failed"]) == 0.0
        for count in ("ASR-LLM_n", "ASR-Link_n", "CPP_n", "APR_n"):  # how many samples each was scored on
            assert 0 <= float(row[count]) <= 3, count
    by_case = {(r["hard_example_mining-router"], r["hard_example_mining-threshold"]): r for r in rows}
    assert float(by_case[("confidence", "0.0")]["SELS"]) == 0.0  # every private sample answered at the edge
    assert float(by_case[("cloud_only", "0.6")]["SELS"]) > float(by_case[("confidence", "1.0")]["SELS"])
    assert float(by_case[("cloud_only", "0.6")]["ASR-Link"]) == 1.0  # raw text links to its judgment
    assert float(by_case[("cloud_only", "0.6")]["ASR-Link_n"]) == 3 == float(by_case[("cloud_only", "0.6")]["CPP_n"])
    assert float(by_case[("cloud_only", "0.6")]["IAR"]) < 1.0 == float(by_case[("confidence", "0.0")]["IAR"])
    assert "Edge=" in proc.stderr and "Cloud=" in proc.stderr  # Ianvs's progress bar counts routes


INTERVAL_METRICS = ("PDR", "SELS", "IAR", "ASR-LLM", "ASR-Link", "CPP", "APR", "Accuracy", "Failed")


def test_rank_csv_has_a_bootstrap_interval_around_every_rate(ianvs_run):
    tmp, _ = ianvs_run
    rows = list(csv.DictReader(open(tmp / "workspace/tab_privacy/rank/all_rank.csv")))
    for row in rows:
        for m in INTERVAL_METRICS:
            point, lo, hi = (float(row[c]) if row[c] != "" else float("nan") for c in (m, f"{m}_lo", f"{m}_hi"))
            if point != point:  # NaN (CPP with nothing sent): no interval either
                assert lo != lo and hi != hi, m
                continue
            assert lo <= point + 1e-9 and point <= hi + 1e-9, (m, lo, point, hi)
    raw = next(r for r in rows if r["hard_example_mining-router"] == "cloud_only")
    assert float(raw["SELS_lo"]) == float(raw["SELS_hi"]) == 1.0  # every mention leaks in every resample


def test_records_show_route_and_exact_egress_and_no_detected_value_leaves(ianvs_run):
    tmp, _ = ianvs_run
    texts = {json.loads(line)["question"]["doc_id"]: json.loads(line)["question"]["text"]
             for line in (tmp / "data.jsonl").read_text().splitlines()}
    files = sorted((tmp / "workspace/tab_privacy").glob("*/records/*.jsonl"))
    assert len(files) == 3
    routes = set()
    for f in files:
        manifest = json.loads(f.with_suffix(".json").read_text())["hyperparameters"]
        for line in f.read_text().splitlines():
            r = json.loads(line)
            routes.add(r["route"])
            assert r["error"] is None, r["error"]
            if r["route"] == "edge":
                assert r["egress"] is None
            if r["route"] == "cloud_sanitized":
                values = [texts[r["doc_id"]][s["start"] : s["end"]] for s in r["detected"]]
                assert r["egress"] and r["method"]["name"] == "mask" and "[" in r["egress"]
                case_text = case_text_of(r["egress"])  # the task's fixed question around it is public wording
                assert survivors(case_text, [v for v in values if any(c.isalnum() for c in v)]) == []
            if r["private"] and manifest["hard_example_mining-router"] == "confidence":
                assert r["route"] != "cloud_raw"
    assert routes == {"edge", "cloud_sanitized", "cloud_raw"}


def test_report_reads_the_workspace(ianvs_run):
    from privacy_edge.report import table, write_plots

    tmp, _ = ianvs_run
    df = table(tmp / "workspace/tab_privacy")
    assert len(df) == 3 and {"SELS", "APR", "edge", "cloud_sanitized"} <= set(df.columns)
    assert df["edge"].notna().all()  # every rank row found its records
    assert not df["flags"].str.contains("linking off").any()  # the background was there
    pngs = write_plots(tmp / "workspace/tab_privacy", data=tmp / "data.jsonl")
    assert {p.name for p in pngs} == {"frontier.png", "routes.png", "latency.png", "leakage_by_type.png"}
    for png in pngs:
        assert png.stat().st_size > 10_000
