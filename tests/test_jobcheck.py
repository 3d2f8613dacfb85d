"""`python -m privacy_edge check`: a bad job fails in a second, naming the file, module and key."""

import shutil

import pytest
import yaml

from conftest import ROOT
from privacy_edge.config import ConfigError
from privacy_edge.jobcheck import check_job

CLOUD_VARS = ("CLOUD_API_BASE", "CLOUD_API_KEY", "CLOUD_MODEL")


@pytest.fixture
def job(tmp_path, invented_tab, monkeypatch):
    from privacy_edge.data.prepare import prepare

    for folder in ("test_algorithms", "testenv"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "benchmarkingjob.yaml", tmp_path)
    # the dataset and, beside it, the linking attacker's background, which the shipped metrics.yaml names
    prepare([str(invented_tab)], tmp_path / "data/tab/test_data.jsonl")
    for var in ("PRIVACY_EDGE_METRICS", "TAB_BACKGROUND", *CLOUD_VARS, "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def _edit(path, fn):
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(yaml.safe_dump(data))


def _router_module(data):
    return next(m for m in data["algorithm"]["modules"] if m["type"] == "hard_example_mining")


def _edge_module(data):
    return next(m for m in data["algorithm"]["modules"] if m["type"] == "edgemodel")


def test_the_shipped_job_is_valid_with_the_background_prepare_wrote(job):
    summary = check_job(job / "benchmarkingjob.yaml", job)
    assert summary.test_cases == 11 and summary.samples == 3
    assert {"PDR", "SELS", "IAR", "CPP", "LO", "APR", "TI", "ASR-Link"} <= set(summary.metrics)
    assert summary.endpoints == []  # the embedded cloud is never probed
    assert summary.warnings == []  # APR's reference asks what CloudModelAPI asks
    (job / "data/tab/background.json").unlink()  # the shipped metrics.yaml names the prepared file
    with pytest.raises(ConfigError, match=r"metrics.yaml: background: .*data/tab/background.json"):
        check_job(job / "benchmarkingjob.yaml", job)


def test_a_rank_order_that_puts_the_worst_first_is_named_from_the_metric_registry(job):
    _edit(job / "benchmarkingjob.yaml", lambda d: d["benchmarkingjob"]["rank"].update(
        {"sort_by": [{"SELS": "descend"}, {"APR": "descend"}]}))
    warnings = check_job(job / "benchmarkingjob.yaml", job).warnings
    assert len(warnings) == 1 and "SELS: descend puts the worst first (SELS is better lower)" in warnings[0]
    _edit(job / "benchmarkingjob.yaml", lambda d: d["benchmarkingjob"]["rank"].update({"sort_by": [{"APR": "up"}]}))
    with pytest.raises(ConfigError, match="'up' is neither ascend nor descend"):
        check_job(job / "benchmarkingjob.yaml", job)


def test_a_reference_that_asks_otherwise_than_the_cloud_is_named_in_a_warning(job):
    def longer(d):
        cloud = next(m for m in d["algorithm"]["modules"] if m["type"] == "cloudmodel")
        next(h for h in cloud["hyperparameters"] if "max_tokens" in h)["max_tokens"]["values"] = [64]

    _edit(job / "test_algorithms/privacy_router.yaml", longer)
    warnings = check_job(job / "benchmarkingjob.yaml", job).warnings
    assert len(warnings) == 1 and "metrics.yaml: reference differs from CloudModelAPI" in warnings[0]
    assert "max_tokens 48 vs 64" in warnings[0] and "privacy_router.yaml" in warnings[0]


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


# -- the cloud endpoints: three environment variables configure every use; check probes each one -------

KEY = "sk-provider-test-5f1e0c2a9b"
MODEL = "provider-chat-1"


def _cloud_env(monkeypatch, server, key=KEY, model=MODEL):
    monkeypatch.setenv("CLOUD_API_BASE", server.base_url)
    monkeypatch.setenv("CLOUD_API_KEY", key)
    monkeypatch.setenv("CLOUD_MODEL", model)


def test_three_variables_configure_cloud_attacker_and_reference_and_check_probes_them_once(job, monkeypatch):
    from provider import ProviderServer

    with ProviderServer(KEY, (MODEL, "attacker-2")) as server:
        _cloud_env(monkeypatch, server)
        summary = check_job(job / "benchmarkingjob.yaml", job)
        # CloudModelAPI (both algorithm files), the attacker and the reference: one endpoint, one request
        assert [r["max_tokens"] for r in server.requests] == [1] and all(r["model"] == MODEL for r in server.requests)
        assert len(summary.endpoints) == 1 and "attacker" in summary.endpoints[0] \
            and "reference" in summary.endpoints[0] and "CloudModelAPI" in summary.endpoints[0]
        # a `model` in the YAML wins over $CLOUD_MODEL: a second endpoint, probed with that name
        _edit(job / "testenv/metrics.yaml", lambda d: d["attacker"].update(model="attacker-2"))
        summary = check_job(job / "benchmarkingjob.yaml", job)
        assert sorted(r["model"] for r in server.requests[1:]) == ["attacker-2", MODEL]
        assert len(summary.endpoints) == 2


@pytest.mark.parametrize("what", ["key", "model", "no key", "url"])
def test_a_wrong_key_model_or_url_fails_check_within_seconds_naming_the_variable_never_the_key(
        job, monkeypatch, capsys, what):
    import time

    from privacy_edge.cli import main
    from provider import ProviderServer

    wrong_key = "sk-wrong-7d3b91aa04"
    with ProviderServer(KEY, (MODEL,)) as server:
        _cloud_env(monkeypatch, server, key=wrong_key if what == "key" else KEY,
                   model="no-such-model" if what == "model" else MODEL)
        if what == "no key":
            monkeypatch.delenv("CLOUD_API_KEY")
        if what == "url":
            monkeypatch.setenv("CLOUD_API_BASE", server.base_url.removesuffix("/v1") + "/wrong")
        started = time.perf_counter()
        assert main(["check", str(job / "benchmarkingjob.yaml"), "--root", str(job)]) == 2
        seconds = time.perf_counter() - started
    out = capsys.readouterr()
    err = out.err
    assert seconds < 10 and not server.requests, seconds  # nothing but the probe, which was refused
    assert KEY not in err + out.out and wrong_key not in err + out.out
    assert "$CLOUD_API_BASE" in err and server.host in err
    expected = {"key": "HTTP 401: the API key in $CLOUD_API_KEY was rejected",
                "no key": "HTTP 401: $CLOUD_API_KEY is not set",
                "model": "HTTP 404 for model 'no-such-model' (from $CLOUD_MODEL)",
                "url": "HTTP 404"}[what]
    assert expected in err, err


def test_an_unreachable_endpoint_fails_check_naming_the_variable(job, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("CLOUD_API_BASE", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("CLOUD_MODEL", MODEL)
    with pytest.raises(ConfigError, match=r"cannot connect \(ConnectError\): check \$CLOUD_API_BASE"):
        check_job(job / "benchmarkingjob.yaml", job)


def test_a_remote_endpoint_without_a_model_name_names_the_variable_and_the_yaml_key(job, monkeypatch):
    monkeypatch.setenv("CLOUD_API_BASE", "http://127.0.0.1:9/v1")
    with pytest.raises(ConfigError, match=r"set \$CLOUD_MODEL \(or `model` in .*metrics.yaml: attacker\)"):
        check_job(job / "benchmarkingjob.yaml", job, probe=False)
    _edit(job / "testenv/metrics.yaml", lambda d: (d["attacker"].update(model="a"), d["reference"].update(model="r")))
    with pytest.raises(ConfigError, match=r"set \$CLOUD_MODEL \(or `model` in .*privacy_router.yaml: modules\[2\]"):
        check_job(job / "benchmarkingjob.yaml", job, probe=False)


def test_openai_variables_are_never_used_silently(job, monkeypatch, caplog):
    from privacy_edge import config
    from privacy_edge.llm import endpoint
    from privacy_edge.llm.cloud import CloudModel

    monkeypatch.setattr(endpoint, "_OPENAI_WARNED", [])
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-should-not-be-used")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    with caplog.at_level("WARNING"):
        summary = check_job(job / "benchmarkingjob.yaml", job)
        cloud = CloudModel.from_settings(config.CloudSettings())
    assert summary.endpoints == [] and cloud.embedded  # the embedded model, as the warning says
    warnings = [r.getMessage() for r in caplog.records if "OPENAI" in r.getMessage()]
    assert len(warnings) == 1, warnings  # once per process
    assert "OPENAI_API_KEY and OPENAI_BASE_URL are set" in warnings[0] and "CLOUD_API_BASE" in warnings[0] \
        and "CLOUD_MODEL" in warnings[0] and "sk-openai" not in warnings[0]
