"""A method in one file: the plug-in package of docs/extending.md, installed with pip into a folder of
its own (never into this environment), found through its entry points, checked, and run by Ianvs."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

DOC = ROOT / "docs" / "extending.md"


def files_of(doc: Path) -> dict[str, str]:
    """The files the page shows, each a fenced block after a ``<!-- file: PATH -->`` line."""
    found = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    return dict(found)


def install(tmp: Path, files: dict[str, str]) -> Path:
    """pip install of the package written from ``files`` into ``tmp/site``; returns that folder."""
    src = tmp / "my-privacy-plugin"
    for name, body in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(body, encoding="utf-8")
    site = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--target", str(site), str(src)], check=True, capture_output=True, timeout=300)
    return site


def env_with(site: Path, **extra) -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(site)]), **extra}


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    files = files_of(DOC)
    assert {"pyproject.toml", "my_privacy_plugin/redact.py", "my_privacy_plugin/level_gate.py",
            "my_privacy_plugin/sent_share.py"} <= set(files)
    return install(tmp_path_factory.mktemp("plugin"), files)


def python(code: str, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env_with(site),
                          cwd=ROOT, timeout=300)


@pytest.mark.slow
def test_the_installed_plugin_is_found_and_built_from_its_own_settings(plugin_site):
    proc = python("""
from privacy_edge import assemble
from privacy_edge.config import RouterSettings, build
from privacy_edge.metrics import INFO, METRICS, load_all
from privacy_edge.spans import Span
sans = assemble.sanitizers({"redact.mark": "<X>", "salt": "s", "seed": 1})
text = "Mr Ivan Petrov met Petrov."
out = sans["redact"].sanitize(text, [Span(3, 14, "PERSON", text="Ivan Petrov")])
router = assemble.router(build(RouterSettings, {"router": "level_gate", "level_gate.min_level": "low"}, "x"))
load_all()
print(out.text, "|", type(router).__name__, router.settings.min_level, "|", INFO["SentShare"].higher_is_better)
""", plugin_site)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Mr <X> met <X>. | LevelGate low | False"


@pytest.mark.slow
def test_a_typo_or_a_half_made_plugin_fails_when_named_not_per_sample(plugin_site, tmp_path):
    proc = python("""
from privacy_edge.config import EdgeSettings, RouterSettings, build
for model, data in ((EdgeSettings, {"redact.mrak": "x"}), (RouterSettings, {"router": "level_gate", "level_gate.min_level": "extreme"}),
                    (RouterSettings, {"router": "level_gates"})):
    try:
        build(model, data, "where")
    except ValueError as err:
        print(str(err).splitlines()[0])
""", plugin_site)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "redact.mrak: unknown key" in lines[0]
    assert "level_gate.min_level: Input should be 'low', 'medium' or 'high'" in lines[1]
    assert "unknown router 'level_gates'" in lines[2] and "Did you mean 'level_gate'" in lines[2]

    files = files_of(DOC)  # a sanitizer that never says how it sanitizes
    files["my_privacy_plugin/redact.py"] = files["my_privacy_plugin/redact.py"].replace("def sanitize(", "def _unused(")
    broken = install(tmp_path, files)
    proc = python("from privacy_edge import assemble; assemble.sanitizers({'salt': 's', 'seed': 1})", broken)
    assert proc.returncode != 0
    assert "sanitizer 'redact': my_privacy_plugin.redact:Redact does not define sanitize" in proc.stderr


@pytest.mark.slow
@pytest.mark.ianvs
def test_ianvs_runs_the_plugins_in_a_grid(plugin_site, tmp_path, invented_tab):
    """The sanitizer, the router with its parameter and the metric, each named by one YAML line."""
    from ianvs_job import algorithm, build_job, metrics_settings

    from conftest import ianvs_executable
    from leak_oracle import survivors
    from privacy_edge.llm.base import case_text_of

    alg = algorithm("test_algorithms/privacy_router.yaml", tmp_path,
                    {"router": ["level_gate"], "level_gate.min_level": ["low"], "policy": ["redact"],
                     "threshold": [0.5]},
                    edge={"redact.mark": ["<REDACTED>"]})
    job = build_job(tmp_path, invented_tab, [("plugins", alg)])
    env = yaml.safe_load((tmp_path / "testenv.yaml").read_text())
    url = env["testenv"]["metrics"][0]["url"]
    env["testenv"]["metrics"] = [{"name": n, "url": url} for n in ("PDR", "SELS", "Failed", "SentShare")]
    (tmp_path / "testenv.yaml").write_text(yaml.safe_dump(env))
    job_yaml = yaml.safe_load(job.read_text())
    job_yaml["benchmarkingjob"]["rank"]["selected_dataitem"]["metrics"] = ["PDR", "SELS", "Failed", "SentShare"]
    job_yaml["benchmarkingjob"]["rank"]["sort_by"] = [{"SELS": "ascend"}, {"SentShare": "ascend"}]
    job.write_text(yaml.safe_dump(job_yaml))
    settings = metrics_settings(tmp_path)
    check = subprocess.run([sys.executable, "-m", "privacy_edge", "check", str(job), "--root", str(tmp_path),
                            "--no-probe"], capture_output=True, text=True, env=env_with(plugin_site), cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    proc = subprocess.run([ianvs_executable(), "-f", str(job)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env=env_with(plugin_site, PRIVACY_EDGE_METRICS=str(settings)))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    rows = list(csv.DictReader(open(tmp_path / "workspace/tab_privacy/rank/all_rank.csv")))
    assert len(rows) == 1
    row = rows[0]
    assert row["hard_example_mining-router"] == "level_gate" and row["hard_example_mining-level_gate.min_level"] == "low"
    assert row["edgemodel-redact.mark"] == "<REDACTED>"
    assert float(row["Failed"]) == 0.0 and 0.0 < float(row["SentShare"]) <= 1.0

    texts = {json.loads(line)["question"]["doc_id"]: json.loads(line)["question"]["text"]
             for line in (tmp_path / "data.jsonl").read_text().splitlines()}
    records = [json.loads(line) for f in (tmp_path / "workspace/tab_privacy").glob("*/records/*.jsonl")
               for line in f.read_text().splitlines()]
    sanitized = [r for r in records if r["route"] == "cloud_sanitized"]
    assert sanitized and all(r["method"]["name"] == "redact" for r in sanitized)
    for r in sanitized:  # min_level low: every private sample went out sanitized by the plug-in
        assert "<REDACTED>" in r["egress"]
        values = [texts[r["doc_id"]][s["start"] : s["end"]] for s in r["detected"]]
        assert survivors(case_text_of(r["egress"]), [v for v in values if any(c.isalnum() for c in v)]) == []
    assert float(row["SentShare"]) == pytest.approx(sum(r["route"] != "edge" for r in records) / len(records))
