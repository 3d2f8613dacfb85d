"""bench/bench_edge.py on a CPU with the flags a GPU run uses: a random-weights model folder built the
way the GPU machine builds it, prompts from `prepare`, each configuration in a fresh process."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from privacy_edge.data.prepare import prepare

pytestmark = pytest.mark.slow
GPU_KIT = ROOT.parent / "shared" / "gpu"


def test_bench_reports_cold_and_warm_per_configuration_without_spacy(tmp_path, invented_tab):
    if not (GPU_KIT / "make_random_model.py").exists():
        pytest.skip(f"{GPU_KIT} not present (the random-model kit is only beside this checkout)")
    model = tmp_path / "random"
    subprocess.run([sys.executable, str(GPU_KIT / "make_random_model.py"), str(GPU_KIT / "smollm2-135m-shape"),
                    str(model)], check=True, capture_output=True)
    prompts = tmp_path / "prompts.jsonl"
    prepare([str(invented_tab)], prompts, max_docs=2, max_chars=300)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench/bench_edge.py"), "--model", str(model), "--prompts", str(prompts),
         "--device", "cpu", "--docs", "2", "--max-new-tokens", "2", "--json", str(tmp_path / "r.json"),
         "--configs", "batch1:batch_size=1,cache_implementation=dynamic", "default:",
         "static:cache_implementation=static,token_budget=512"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for tag in ("batch 1: batch1", "default: default", "best cold:", "best warm:"):
        assert tag in proc.stdout
    results = {r["label"]: r for r in json.loads((tmp_path / "r.json").read_text())}
    assert len({r["load_s"] for r in results.values()}) == 3  # three processes, three loads
    assert not any(r["spacy_imported"] for r in results.values())
    assert results["batch1"]["batches"] == 2 and results["default"]["batches"] == 1
    assert results["static"]["static"] and results["static"]["shapes"] <= 2
    assert all(r["first_s"] > 0 and r["warm_docs_s"] > 0 and r["peak_mib"] > 0 for r in results.values())
