"""Whole Ianvs jobs under hostile conditions: secrets never written anywhere, and a killed job resumes
from the cache without redoing finished work. The cloud is a real HTTP server on 127.0.0.1."""

import csv
import json
import signal
import stat
import time

import pytest
from ianvs_job import algorithm, build_job, metrics_settings, popen, run
from loopback import LoopbackServer

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]

SECRET = "sk-PRIVACYEDGE-TEST-7f3c9a1b2d4e"


def _baselines_job(tmp, invented_tab, routers, policies):
    base = algorithm("test_algorithms/baselines.yaml", tmp, {"router": routers, "policy": policies},
                     cloud={"model": ["loopback-model"]})
    return build_job(tmp, invented_tab, [("baselines", base)])


def test_api_key_and_workspace_secret_never_appear_in_logs_records_csvs_or_caches(tmp_path, invented_tab):
    job = _baselines_job(tmp_path, invented_tab, ["cloud_only", "cloud_sanitized"], ["mask"])
    with LoopbackServer() as server:
        env = {"CLOUD_API_BASE": server.base_url, "CLOUD_API_KEY": SECRET,
               "PRIVACY_EDGE_METRICS": str(metrics_settings(tmp_path, attacker={"model": "loopback-model"},
                                                            reference={"model": "loopback-model"}))}
        proc = run(job, env=env)
        sent_keys = {h.get("authorization") for h in server.headers}
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert sent_keys == {f"Bearer {SECRET}"}  # the key was really in use
    assert SECRET not in proc.stdout and SECRET not in proc.stderr
    # the workspace secret the edge module generated in its cache_dir, mode 0600, is nowhere else either
    secret_file = tmp_path / "cache" / "secret.key"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    workspace_secret = secret_file.read_text().strip()
    assert len(workspace_secret) == 64 and workspace_secret not in proc.stdout + proc.stderr
    checked = 0
    for f in tmp_path.rglob("*"):
        if f.is_file():
            checked += 1
            assert SECRET.encode() not in f.read_bytes(), f
            if f != secret_file:
                assert workspace_secret.encode() not in f.read_bytes(), f
                assert bytes.fromhex(workspace_secret) not in f.read_bytes(), f
    assert checked > 5


def test_killed_job_resumes_from_the_cache_and_leaves_no_half_written_file(tmp_path, invented_tab):
    job = _baselines_job(tmp_path, invented_tab, ["cloud_sanitized"], ["pseudonymize", "mask", "dp"])
    env_base = {"PRIVACY_EDGE_METRICS": str(metrics_settings(tmp_path, attacker={"model": "loopback-model"},
                                                             reference={"model": "loopback-model"}))}
    with LoopbackServer([("slow", 0.4, "Norway")]) as server:
        env = {**env_base, "CLOUD_API_BASE": server.base_url, "CLOUD_API_KEY": "k"}
        proc = popen(job, env=env)
        deadline = time.time() + 300
        while len(server.answered) < 4 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        # What was answered by now has had time to reach the cache before the kill; an answer that
        # arrives in the very instant of a kill is never cached, and may rightly be asked again.
        answered = list(server.answered)
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        first = [r["messages"][0]["content"] for r in answered]
        port = server.port
        assert len(first) >= 4
        assert server.max_in_flight > 1  # Sedna's per-sample cloud calls were served from one concurrent dispatch
    assert not (tmp_path / "workspace/tab_privacy/rank/all_rank.csv").exists()  # it really was cut short

    with LoopbackServer(port=port) as server:  # the same endpoint: the cache key names it
        proc = run(job, env={**env_base, "CLOUD_API_BASE": server.base_url, "CLOUD_API_KEY": "k"})
        second = [r["messages"][0]["content"] for r in server.requests]
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert not set(first) & set(second)  # nothing answered before the kill was asked again
    rows = list(csv.DictReader(open(tmp_path / "workspace/tab_privacy/rank/all_rank.csv")))
    assert len(rows) == 3 and all(float(r["Failed"]) == 0.0 for r in rows)
    for f in (tmp_path / "workspace").rglob("*"):  # every output parses: none was left half-written
        if f.suffix == ".json":
            json.loads(f.read_text())
        if f.suffix == ".jsonl":
            [json.loads(line) for line in f.read_text().splitlines()]
