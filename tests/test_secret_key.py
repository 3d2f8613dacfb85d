"""The workspace secret: pseudonyms and DP noise are keyed by it, so one workspace reproduces its own
payloads (the answer cache stays warm) while another install cannot replay them; a salt or seed
from the YAML is a research setting that records and the report flag; the secret is written nowhere
but its own file."""

from __future__ import annotations

import base64
import csv
import json
import os
import stat
import subprocess
import sys
import threading

import pytest
from conftest import ROOT

from privacy_edge import assemble
from privacy_edge.config import ConfigError
from privacy_edge.record import write_run
from privacy_edge.llm.base import Generation
from privacy_edge.llm.cache import CachedModel
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample
from privacy_edge.secret_key import ENV_VAR, FILE_NAME, subkey, workspace_secret
from privacy_edge.spans import Span

TEXT = ("The applicant lodged application no. 36110/97 against the State. The police arrested him at his "
        "house and took him to the station, where officers beat him and refused to let him contact his "
        "lawyer or his wife. He complained to the public prosecutor, who dismissed the complaint.")
SPANS = [Span(TEXT.index("36110/97"), TEXT.index("36110/97") + 8, "CODE")]
PRIVATE = ("The case originated in an application (no. 12345/67) lodged by Mr Tomas Wexley, born in 1961, "
           "who lives in Lindgrad. He complained that the police had beaten him and that the court had "
           "refused to hear his witnesses.")
QUESTION = "Against which State was this application lodged?"
KNOWN_SECRET = "c0ffee" * 10 + "f00d"  # 64 characters, recognizable


@pytest.fixture(autouse=True)
def no_environment_secret(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def payloads(cache_dir, **settings) -> dict[str, str]:
    """The egress text of each method for TEXT, from sanitizers built as the edge module builds them."""
    built = assemble.sanitizers({"epsilon": 1.0, **settings}, cache_dir=str(cache_dir))
    return {name: s.sanitize(TEXT, SPANS).text for name, s in built.items()}


def surrogate_of_code(text: str) -> str:
    return text[SPANS[0].start : SPANS[0].end]


def test_two_fresh_workspaces_give_different_surrogates_and_dp_noise(tmp_path):
    a, b = payloads(tmp_path / "a"), payloads(tmp_path / "b")
    assert "36110/97" not in a["pseudonymize"] and "36110/97" not in b["pseudonymize"]
    assert surrogate_of_code(a["pseudonymize"]) != surrogate_of_code(b["pseudonymize"])
    assert a["dp"] != b["dp"]
    assert a["mask"] == b["mask"]  # masking takes no key
    assert (tmp_path / "a" / FILE_NAME).read_text() != (tmp_path / "b" / FILE_NAME).read_text()


def test_the_public_salt_of_earlier_versions_no_longer_gives_the_surrogate(tmp_path):
    keyed = payloads(tmp_path / "w")["pseudonymize"]
    public = payloads(tmp_path / "w", salt="privacy-edge")["pseudonymize"]  # the old default, now explicit
    assert surrogate_of_code(public) == "22945/51"  # what anyone with the code could compute
    assert surrogate_of_code(keyed) != "22945/51"


def test_the_same_workspace_gives_byte_identical_payloads_on_a_rerun(tmp_path):
    """What keeps `make run`'s warm rerun on the answer cache: new sanitizer objects, the same payloads."""
    first = payloads(tmp_path / "cache")
    secret = (tmp_path / "cache" / FILE_NAME).read_bytes()
    second = payloads(tmp_path / "cache")
    assert first == second
    assert (tmp_path / "cache" / FILE_NAME).read_bytes() == secret


def test_the_same_workspace_gives_the_same_payloads_in_a_fresh_process(tmp_path):
    here = payloads(tmp_path / "cache")
    script = ("import json, sys\nfrom test_secret_key import payloads\n"
              "print(json.dumps(payloads(sys.argv[1])))")
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "cache")], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == here


def test_the_secret_file_is_generated_once_with_mode_0600(tmp_path):
    secret = workspace_secret(tmp_path / "cache")
    path = tmp_path / "cache" / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(secret) == 64 and bytes.fromhex(secret.decode())  # 256 bits from `secrets`
    assert workspace_secret(tmp_path / "cache") == secret
    assert sorted(p.name for p in path.parent.iterdir()) == [FILE_NAME]  # no temporary file left


def test_racing_threads_and_processes_get_one_secret(tmp_path):
    got, barrier = [], threading.Barrier(8)

    def take():
        barrier.wait()
        got.append(workspace_secret(tmp_path / "threads"))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and len(set(got)) == 1

    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    env["PYTHONPATH"] = str(ROOT)
    script = ("import sys\nfrom privacy_edge.secret_key import workspace_secret\n"
              "print(workspace_secret(sys.argv[1]).decode())")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "procs")], stdout=subprocess.PIPE,
                              text=True, env=env) for _ in range(4)]
    outs = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(outs) == 1 and outs == {(tmp_path / "procs" / FILE_NAME).read_text().strip()}
    assert sorted(p.name for p in (tmp_path / "procs").iterdir()) == [FILE_NAME]


def test_the_environment_secret_overrides_the_workspace_file(tmp_path, monkeypatch):
    own = payloads(tmp_path / "a")  # workspace a now has a secret file of its own
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / FILE_NAME).write_text(KNOWN_SECRET + "\n")
    from_file = payloads(tmp_path / "b")
    monkeypatch.setenv(ENV_VAR, KNOWN_SECRET)
    assert payloads(tmp_path / "a") == from_file != own
    assert payloads(tmp_path / "c") == from_file
    assert not (tmp_path / "c").exists()  # nothing written when the environment gives the secret


def test_a_short_or_missing_secret_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="no workspace secret.*cache_dir.*" + ENV_VAR):
        assemble.sanitizers()
    (tmp_path / FILE_NAME).write_text("abc\n")
    with pytest.raises(ConfigError, match=f"{FILE_NAME}: the workspace secret is too short"):
        workspace_secret(tmp_path)
    monkeypatch.setenv(ENV_VAR, "hunter2")
    with pytest.raises(ConfigError, match=f"variable {ENV_VAR}: the workspace secret is too short"):
        assemble.sanitizers(cache_dir=str(tmp_path / "other"))


def test_a_yaml_salt_and_seed_need_no_secret_and_say_reproducible(tmp_path):
    built = assemble.sanitizers({"epsilon": 1.0, "salt": "lab-salt", "seed": 7})  # no cache_dir: no secret needed
    assert built["pseudonymize"].sanitize(TEXT, SPANS).params == {"reproducible": True}
    assert built["dp"].sanitize(TEXT, SPANS).params["reproducible"] is True
    # the same anywhere: another workspace gives the same payloads, and makes no secret
    here = {name: s.sanitize(TEXT, SPANS).text for name, s in built.items()}
    assert payloads(tmp_path, salt="lab-salt", seed=7) == here
    assert not (tmp_path / FILE_NAME).exists()
    keyed = assemble.sanitizers(cache_dir=str(tmp_path))
    assert keyed["pseudonymize"].params() == {"reproducible": False}
    assert keyed["dp"].params()["reproducible"] is False


class ScriptedEdge:
    identity = {"backend": "scripted"}

    def generate(self, batch):
        return [Generation("Ruritania", 0.0, 3) for _ in batch]  # never confident: private samples go out


class EchoCloud:
    identity = {"backend": "echo"}

    def generate(self, batch):
        return [Generation("It concerns " + m[-1]["content"][:60], None, 5) for m in batch]


def run_case(cache_dir, records_dir, policy: str, router: str = "confidence", **settings):
    """One test case through the real pipeline, its records and manifest written as the router writes them."""
    edge = EdgeSide(assemble.detector(), ScriptedEdge(),
                    assemble.sanitizers(settings, cache_dir=str(cache_dir)))
    cloud = CachedModel(EchoCloud(), assemble.cache_for(str(cache_dir)))
    pipe = assemble.pipeline(edge, cloud, router, 0.5, policy)
    traces = []
    for sample in [Sample("d1", PRIVATE, QUESTION), Sample("d2", TEXT, QUESTION)]:
        trace = pipe.edge_step(sample)
        if pipe.route(trace):
            pipe.cloud_step(trace)
        traces.append(trace)
    manifest = {"edgemodel-cache_dir": str(cache_dir), "hard_example_mining-router": router,
                "hard_example_mining-policy": policy, "hard_example_mining-threshold": "0.5",
                **{f"edgemodel-{k}": str(v) for k, v in settings.items()}}
    return write_run(traces, manifest, records_dir), traces


@pytest.mark.parametrize("from_environment", [True, False])
def test_the_secret_never_appears_in_records_manifests_or_the_cache(tmp_path, monkeypatch, from_environment):
    if from_environment:
        monkeypatch.setenv(ENV_VAR, KNOWN_SECRET)
    cache_dir, records_dir = tmp_path / "cache", tmp_path / "workspace" / "records"
    methods = set()
    for policy in ("pseudonymize", "mask", "dp"):
        path, traces = run_case(cache_dir, records_dir, policy)
        methods |= {t.method["name"] for t in traces if t.method}
        assert all(t.sanitized is not None for t in traces)  # every sample went out sanitized
    assert methods == {"pseudonymize", "mask", "dp"}
    secret = workspace_secret(cache_dir)
    assert (cache_dir / FILE_NAME).exists() != from_environment
    forms = {secret, secret.hex().encode(), base64.b64encode(secret)}
    for purpose in ("pseudonymize", "dp"):
        key = subkey(secret, purpose)
        forms |= {key, key.hex().encode(), base64.b64encode(key)}
    if len(secret) == 64:  # hex text: its raw bytes too
        raw = bytes.fromhex(secret.decode())
        forms |= {raw, base64.b64encode(raw)}
    files = [f for f in tmp_path.rglob("*") if f.is_file() and f.name != FILE_NAME]
    assert {f.suffix for f in files} >= {".jsonl", ".json", ".sqlite"}
    for f in files:
        data = f.read_bytes()
        for form in forms:
            assert form not in data and form.upper() not in data, (f, form[:8])


def test_a_yaml_salt_marks_the_records_and_the_report_warns(tmp_path, capsys):
    from privacy_edge.cli import main

    ws = tmp_path / "tab_privacy"
    records_dir = ws / "privacy-router" / "records"
    salted, _ = run_case(tmp_path / "cache", records_dir, "pseudonymize", salt="lab-salt")
    keyed, _ = run_case(tmp_path / "cache", records_dir, "dp")
    for path, reproducible in ((salted, True), (keyed, False)):
        records = [json.loads(line) for line in path.read_text().splitlines()]
        assert records and all(r["route"] == "cloud_sanitized" for r in records)
        for record in records:
            assert record["method"]["params"]["reproducible"] is reproducible
            assert "lab-salt" not in json.dumps(record)
    (ws / "rank").mkdir(parents=True)
    with open(ws / "rank" / "all_rank.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "algorithm", "APR", "hard_example_mining-router", "hard_example_mining-policy",
                    "hard_example_mining-threshold", "edgemodel-salt", "time"])
        w.writerow([0, "privacy-router", 0.9, "confidence", "pseudonymize", "0.5", "lab-salt", "2025-01-01"])
        w.writerow([1, "privacy-router", 0.8, "confidence", "dp", "0.5", "", "2025-01-02"])
    assert main(["report", str(ws), "--no-plots"]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "confidence pseudonymize t=0.5" in warnings[0] and "salt/seed from the YAML" in warnings[0]
    assert "does not hold against anyone who knows that setting" in warnings[0]


def _invert(observed: str, key: bytes, candidates: list[str]) -> list[str]:
    """The adversary's attack with this code in hand: which candidate numbers map to the observed surrogate."""
    from privacy_edge.matching import key as value_key
    from privacy_edge.sanitize.pseudonymize import _rng, surrogate

    return [c for c in candidates if surrogate("CODE", c, _rng(key, "CODE", value_key(c), 0)) == observed]


def test_an_adversary_with_the_code_inverts_public_salt_surrogates_but_not_keyed_ones(tmp_path):
    candidates = ["36110/97"] + [f"{n:05d}/{n % 100:02d}" for n in range(20000, 29999)]  # 10,000 of its shape
    public = surrogate_of_code(payloads(tmp_path / "w", salt="privacy-edge")["pseudonymize"])
    assert _invert(public, b"privacy-edge", candidates) == ["36110/97"]  # why a public salt protects nothing
    keyed = surrogate_of_code(payloads(tmp_path / "w")["pseudonymize"])
    for guess in (b"privacy-edge", b"", b"0"):  # the keys the code or its defaults could suggest
        assert "36110/97" not in _invert(keyed, guess, candidates)
