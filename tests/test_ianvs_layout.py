"""The Ianvs way: the example folder copied to examples/TAB/privacy_edge/ of an Ianvs root, its data
prepared there, and the shipped job run unchanged by `ianvs -f examples/TAB/privacy_edge/benchmarkingjob.yaml`
from that root (skipped without Ianvs). Two documents keep it short; every test case of the grid runs."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, ianvs_executable

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]
EXAMPLE = "examples/TAB/privacy_edge"
PARTS = ("benchmarkingjob.yaml", "test_algorithms", "testenv", "requirements.txt", "requirements")


def test_the_shipped_job_runs_unchanged_from_an_ianvs_root(tmp_path, invented_tab):
    from privacy_edge.data.prepare import prepare

    exe = ianvs_executable()
    if exe is None:
        pytest.skip("Ianvs is not installed (make test installs it when IANVS_SRC or GitHub is available)")
    example = tmp_path / EXAMPLE
    example.mkdir(parents=True)
    for part in PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, example / part)
    prepare([str(invented_tab)], example / "data/tab/test_data.jsonl", max_docs=2, max_chars=2000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PRIVACY_EDGE_METRICS", None)
    env.pop("TAB_BACKGROUND", None)
    check = subprocess.run([os.sys.executable, "-m", "privacy_edge", "check", f"{EXAMPLE}/benchmarkingjob.yaml",
                            "--no-probe"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    proc = subprocess.run([exe, "-f", f"{EXAMPLE}/benchmarkingjob.yaml"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = list(csv.DictReader(open(example / "workspace/tab_privacy/rank/all_rank.csv")))
    assert len(rows) == 11  # the whole default grid
    assert all(r["Failed"] not in ("", None) and float(r["Failed"]) == 0.0 for r in rows)
    assert {r["hard_example_mining-router"] for r in rows} == {"confidence", "edge_only", "cloud_only", "cloud_sanitized"}
    manifests = [json.loads(f.read_text()) for f in (example / "workspace/tab_privacy").glob("*/records/*.json")]
    assert len(manifests) == 11 and all(m["models"]["ner"].startswith("en_core_web_sm") for m in manifests)
    assert {m["models"]["edge"] for m in manifests} and all("smollm2" in m["models"]["edge"].lower() for m in manifests)
    assert not (tmp_path / "testenv").exists()  # nothing was looked for outside the example folder
