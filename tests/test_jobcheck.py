"""`python -m privacy_edge check`: a bad job fails in a second, naming the file, module and key."""

import json
import shutil

import pytest
import yaml

from conftest import ROOT
from privacy_edge.config import ConfigError
from privacy_edge.jobcheck import check_job


@pytest.fixture
def job(tmp_path, invented_tab, monkeypatch):
    from privacy_edge.data.prepare import prepare

    for folder in ("test_algorithms", "testenv"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "benchmarkingjob.yaml", tmp_path)
    prepare([str(invented_tab)], tmp_path / "data/tab/test_data.jsonl")
    # the linking attacker's background, relative to where ianvs runs, as the shipped metrics.yaml has it
    (tmp_path / "background.json").write_text(json.dumps({"001-1": "A public judgment.", "001-2": "Another."}))
    _edit(tmp_path / "testenv/metrics.yaml", lambda d: d.update(background="background.json"))
    monkeypatch.delenv("PRIVACY_EDGE_METRICS", raising=False)
    monkeypatch.delenv("TAB_BACKGROUND", raising=False)
    return tmp_path


def _edit(path, fn):
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(yaml.safe_dump(data))


def _router_module(data):
    return next(m for m in data["algorithm"]["modules"] if m["type"] == "hard_example_mining")


def _edge_module(data):
    return next(m for m in data["algorithm"]["modules"] if m["type"] == "edgemodel")


def test_the_shipped_job_is_valid(job):
    summary = check_job(job / "benchmarkingjob.yaml", job)
    assert summary.test_cases == 11 and summary.samples == 3
    assert {"PDR", "SELS", "IAR", "CPP", "LO", "APR", "TI"} <= set(summary.metrics)


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda d: _router_module(d)["hyperparameters"].append({"treshold": {"values": [0.5]}}),
         "OracleRouter) with {"),
        (lambda d: _router_module(d)["hyperparameters"][1].update({"threshold": {"values": [1.5]}}),
         "threshold: Input should be less than or equal to 1"),
        (lambda d: _edge_module(d)["hyperparameters"].append({"epsilon": {"values": [-1.0]}}),
         "epsilon: Input should be greater than 0"),
        (lambda d: _router_module(d).update({"url": "./test_algorithms/nope.py"}), "does not exist"),
    ],
)
def test_bad_algorithm_yaml_names_file_module_and_key(job, edit, words):
    path = job / "test_algorithms/privacy_router.yaml"
    _edit(path, edit)
    with pytest.raises(ConfigError) as err:
        check_job(job / "benchmarkingjob.yaml", job)
    assert "privacy_router.yaml" in str(err.value) and words in str(err.value)


def test_unknown_key_is_reported_as_such(job):
    _edit(job / "test_algorithms/privacy_router.yaml",
          lambda d: _router_module(d)["hyperparameters"].append({"treshold": {"values": [0.5]}}))
    with pytest.raises(ConfigError, match="treshold: unknown key"):
        check_job(job / "benchmarkingjob.yaml", job)


def test_missing_dataset_and_unknown_metric(job):
    _edit(job / "testenv/testenv.yaml", lambda d: d["testenv"]["metrics"].append({"name": "PRD", "url": "x"}))
    with pytest.raises(ConfigError, match="unknown metric 'PRD'"):
        check_job(job / "benchmarkingjob.yaml", job)
    (job / "data/tab/test_data.jsonl").unlink()
    with pytest.raises(ConfigError, match="does not exist"):
        check_job(job / "benchmarkingjob.yaml", job)


def test_a_bad_sample_in_the_dataset_names_line_and_field(job):
    path = job / "data/tab/test_data.jsonl"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace('"text": "', '"txt": "', 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"line 2.*question.text"):
        check_job(job / "benchmarkingjob.yaml", job)


def test_detector_overrides_in_the_algorithm_yaml_are_validated(job):
    path = job / "test_algorithms/privacy_router.yaml"
    _edit(path, lambda d: _edge_module(d)["hyperparameters"].append(
        {"detector": {"values": [{"sensitivity": {"medium": 0.9, "high": 0.5}}]}}))
    with pytest.raises(ConfigError, match="must not exceed high"):
        check_job(job / "benchmarkingjob.yaml", job)
    _edit(path, lambda d: _edge_module(d)["hyperparameters"][-1].update(
        {"detector": {"values": [{"sensitivity": {"medium": 0.3, "high": 0.7}}]}}))
    assert check_job(job / "benchmarkingjob.yaml", job).test_cases == 11


def test_missing_or_unreadable_background_names_file_and_key_unless_linking_is_off(job, monkeypatch, capsys):
    from privacy_edge.cli import main

    settings = job / "testenv/metrics.yaml"
    _edit(settings, lambda d: d.update(background="gone/background.json"))
    with pytest.raises(ConfigError) as err:
        check_job(job / "benchmarkingjob.yaml", job)
    assert "metrics.yaml: background" in str(err.value) and "gone/background.json" in str(err.value)
    assert main(["check", str(job / "benchmarkingjob.yaml"), "--root", str(job)]) == 2
    assert "gone/background.json: the linking attack's background file does not exist" in capsys.readouterr().err

    (job / "broken.json").write_text('{"001-1": "cut short')
    _edit(settings, lambda d: d.update(background="broken.json"))
    with pytest.raises(ConfigError, match=r"metrics.yaml: background: .*broken.json.*unreadable"):
        check_job(job / "benchmarkingjob.yaml", job)

    monkeypatch.setenv("TAB_BACKGROUND", str(job / "elsewhere.json"))  # the override is checked, and named
    with pytest.raises(ConfigError, match=r"\$TAB_BACKGROUND: .*elsewhere.json"):
        check_job(job / "benchmarkingjob.yaml", job)
    monkeypatch.delenv("TAB_BACKGROUND")

    _edit(settings, lambda d: d.update(background=None))  # linking switched off explicitly
    assert "IAR" in check_job(job / "benchmarkingjob.yaml", job).metrics


def test_the_metrics_settings_named_by_the_environment_are_checked(job, monkeypatch, tmp_path):
    other = tmp_path / "other-metrics.yaml"
    other.write_text("background: nowhere.json\n")
    monkeypatch.setenv("PRIVACY_EDGE_METRICS", str(other))
    with pytest.raises(ConfigError, match=r"other-metrics.yaml: background: .*nowhere.json"):
        check_job(job / "benchmarkingjob.yaml", job)
    other.write_text("backgruond: null\n")
    with pytest.raises(ConfigError, match="backgruond"):
        check_job(job / "benchmarkingjob.yaml", job)
