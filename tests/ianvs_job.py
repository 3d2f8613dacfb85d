"""Build a small Ianvs job from the shipped YAML files, in a temporary folder, and run it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, ianvs_executable
from privacy_edge.data.prepare import prepare
from privacy_edge.layout import resolve


def _hp(module: dict, name: str, values: list) -> None:
    for entry in module.setdefault("hyperparameters", []):
        if name in entry:
            entry[name]["values"] = values
            return
    module["hyperparameters"].append({name: {"values": values}})


def algorithm(src: str, tmp: Path, router: dict, edge: dict | None = None, cloud: dict | None = None) -> Path:
    """A copy of a shipped algorithm YAML with absolute module paths and some values replaced."""
    alg = yaml.safe_load((ROOT / src).read_text())
    overrides = {"edgemodel": {"cache_dir": [str(tmp / "cache")], "max_new_tokens": [12], **(edge or {})},
                 "cloudmodel": {"cache_dir": [str(tmp / "cache")], **(cloud or {})},
                 "hard_example_mining": router}
    for module in alg["algorithm"]["modules"]:
        module["url"] = str(resolve(module["url"], ROOT).resolve())
        for name, values in overrides.get(module["type"], {}).items():
            _hp(module, name, values)
    out = tmp / f"{Path(src).stem}.yaml"
    out.write_text(yaml.safe_dump(alg))
    return out


def build_job(tmp: Path, tab_file: Path, algorithms: list[tuple[str, Path]], max_docs: int = 0) -> Path:
    """testenv + job YAML in ``tmp``; returns the job file."""
    exe = ianvs_executable()
    if exe is None:
        pytest.skip("Ianvs is not installed (make test installs it when IANVS_SRC or GitHub is available)")
    data = tmp / "data.jsonl"
    prepare([str(tab_file)], data, max_docs=max_docs)
    env = yaml.safe_load((ROOT / "testenv/testenv.yaml").read_text())
    env["testenv"]["dataset"] = {"train_data": str(data), "test_data": str(data)}
    for m in env["testenv"]["metrics"]:
        m["url"] = str(resolve(m["url"], ROOT).resolve())
    (tmp / "testenv.yaml").write_text(yaml.safe_dump(env))
    job = yaml.safe_load((ROOT / "benchmarkingjob.yaml").read_text())
    bj = job["benchmarkingjob"]
    bj["workspace"] = str(tmp / "workspace")
    bj["testenv"] = str(tmp / "testenv.yaml")
    bj["test_object"]["algorithms"] = [{"name": name, "url": str(path)} for name, path in algorithms]
    (tmp / "job.yaml").write_text(yaml.safe_dump(job))
    return tmp / "job.yaml"


def metrics_settings(tmp: Path, **values) -> Path:
    path = tmp / "metrics.yaml"
    path.write_text(yaml.safe_dump({"cache_dir": str(tmp / "metrics-cache"), "background": None, **values}))
    return path


def _env(env: dict | None) -> dict:
    """The environment of the Ianvs process: this checkout's privacy_edge first on its path (an editable
    install may point at another checkout), plus ``env``."""
    import os

    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **(env or {})}


def run(job: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([ianvs_executable(), "-f", str(job)], cwd=job.parent, capture_output=True, text=True,
                          timeout=timeout, env=_env(env))


def popen(job: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([ianvs_executable(), "-f", str(job)], cwd=job.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=_env(env))
