"""The real Ianvs CLI with a minimize+mask policy and the minimize knobs gridded from the algorithm YAML
(skipped without Ianvs): the knobs reach the edge, the egress is the minimized masked text, and the
rank CSV carries the kept share."""

import csv
import json

import pytest
from ianvs_job import algorithm, build_job, metrics_settings, run

from leak_oracle import survivors
from privacy_edge.llm.base import case_text_of

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]


def test_minimize_policy_and_knobs_run_through_ianvs(tmp_path, invented_tab):
    # threshold 1.0: every private sample goes to the cloud, sanitized; two shares gridded
    oracle = algorithm("test_algorithms/privacy_router.yaml", tmp_path,
                       {"threshold": [1.0], "policy": ["minimize+mask"]},
                       edge={"minimize_share": [0.2, 1.0], "minimize_unit": ["sentence"]})
    job = build_job(tmp_path, invented_tab, [("privacy-router", oracle)])
    proc = run(job, env={"PRIVACY_EDGE_METRICS": str(metrics_settings(tmp_path))})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    rows = list(csv.DictReader(open(tmp_path / "workspace/tab_privacy/rank/all_rank.csv")))
    kept = {r["edgemodel-minimize_share"]: float(r["Kept"]) for r in rows}
    assert set(kept) == {"0.2", "1.0"} and kept["0.2"] < 0.35 < 0.9 < kept["1.0"]

    texts = {json.loads(line)["question"]["doc_id"]: json.loads(line)["question"]["text"]
             for line in (tmp_path / "data.jsonl").read_text().splitlines()}
    sanitized = 0
    for f in sorted((tmp_path / "workspace/tab_privacy").glob("*/records/*.jsonl")):
        share = float(json.loads(f.with_suffix(".json").read_text())["hyperparameters"]["edgemodel-minimize_share"])
        for line in f.read_text().splitlines():
            r = json.loads(line)
            assert r["error"] is None, r["error"]
            if r["route"] != "cloud_sanitized":
                continue
            sanitized += 1
            assert r["method"]["name"] == "minimize+mask"
            case = case_text_of(r["egress"])
            assert ("[...]" in case) == (share < 1.0)
            assert r["method"]["params"]["minimize"]["share"] == share
            values = [texts[r["doc_id"]][s["start"] : s["end"]] for s in r["detected"]]
            assert survivors(case, [v for v in values if any(c.isalnum() for c in v)]) == []
            if share < 1.0:  # the words that left are within the budget (the marker aside)
                assert len(case.replace("[...]", " ").split()) <= share * len(texts[r["doc_id"]].split()) + 1e-9
    assert sanitized >= 2
