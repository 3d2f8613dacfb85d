"""The real Ianvs CLI on a 3-document job built from the shipped YAML files (skipped without Ianvs)."""

import csv
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, ianvs_executable
from privacy_edge.data.prepare import prepare

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]


def _hp(module, name, values):
    for entry in module.setdefault("hyperparameters", []):
        if name in entry:
            entry[name]["values"] = values
            return
    module["hyperparameters"].append({name: {"values": values}})


def _algorithm(src: str, tmp: Path, router_values: dict) -> Path:
    alg = yaml.safe_load((ROOT / src).read_text())
    for module in alg["algorithm"]["modules"]:
        module["url"] = str((ROOT / module["url"]).resolve())
        if module["type"] in ("edgemodel", "cloudmodel"):
            _hp(module, "cache_dir", [str(tmp / "cache")])
        if module["type"] == "edgemodel":
            _hp(module, "max_new_tokens", [12])
        if module["type"] == "hard_example_mining":
            for name, values in router_values.items():
                _hp(module, name, values)
    out = tmp / Path(src).name
    out.write_text(yaml.safe_dump(alg))
    return out


@pytest.fixture(scope="module")
def ianvs_run(tmp_path_factory, invented_tab):
    exe = ianvs_executable()
    if exe is None:
        pytest.skip("Ianvs is not installed (make test installs it when IANVS_SRC or GitHub is available)")
    tmp = tmp_path_factory.mktemp("job")
    data = tmp / "data.jsonl"
    prepare([str(invented_tab)], data)
    env = yaml.safe_load((ROOT / "testenv/testenv.yaml").read_text())
    env["testenv"]["dataset"] = {"train_data": str(data), "test_data": str(data)}
    for m in env["testenv"]["metrics"]:
        m["url"] = str((ROOT / m["url"]).resolve())
    (tmp / "testenv.yaml").write_text(yaml.safe_dump(env))
    oracle = _algorithm("test_algorithms/privacy_router.yaml", tmp,
                        {"threshold": [0.0, 1.0], "policy": ["mask"]})
    base = _algorithm("test_algorithms/baselines.yaml", tmp, {"router": ["cloud_only"], "policy": ["mask"]})
    job = yaml.safe_load((ROOT / "benchmarkingjob.yaml").read_text())
    bj = job["benchmarkingjob"]
    bj["workspace"] = str(tmp / "workspace")
    bj["testenv"] = str(tmp / "testenv.yaml")
    bj["test_object"]["algorithms"] = [{"name": "privacy-router", "url": str(oracle)},
                                       {"name": "baselines", "url": str(base)}]
    (tmp / "job.yaml").write_text(yaml.safe_dump(job))
    proc = subprocess.run([exe, "-f", str(tmp / "job.yaml")], cwd=tmp, capture_output=True, text=True, timeout=600)
    return tmp, proc


def test_job_completes_with_one_rank_row_per_test_case(ianvs_run):
    tmp, proc = ianvs_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = list(csv.DictReader(open(tmp / "workspace/tab_privacy/rank/all_rank.csv")))
    assert len(rows) == 3
    for row in rows:
        for metric in ("PDR", "SELS", "LO"):
            assert 0.0 <= float(row[metric]) <= 1.0 or metric == "LO"
    sels = {(r["hard_example_mining-router"], r["hard_example_mining-threshold"]): float(r["SELS"]) for r in rows}
    assert sels[("oracle", "0.0")] == 0.0  # every private sample answered at the edge: no egress
    assert sels[("cloud_only", "0.6")] > sels[("oracle", "1.0")]  # raw text leaks more than masked text
    assert "Edge=" in proc.stderr and "Cloud=" in proc.stderr  # Ianvs's progress bar counts routes


def test_records_show_route_and_exact_egress_and_no_detected_value_leaves(ianvs_run):
    from privacy_edge.guard import leaked_values

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
                public = "Against which State was this application"  # the question's own words
                assert [v for v in leaked_values(r["egress"], values) if v.lower() not in public.lower()] == []
            if r["private"] and manifest["hard_example_mining-router"] == "oracle":
                assert r["route"] != "cloud_raw"
    assert routes == {"edge", "cloud_sanitized", "cloud_raw"}
