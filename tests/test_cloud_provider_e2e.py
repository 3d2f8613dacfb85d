"""A real cloud in one step: with only CLOUD_API_BASE, CLOUD_API_KEY and CLOUD_MODEL set, `check` and a
real Ianvs job send every cloud request (CloudModelAPI, the attacker, the reference) to a provider-like
server that demands its key and model name, in front of the embedded llama.cpp server; the key is in
no file the run writes nor in its log. Skipped without Ianvs."""

import csv

import pytest
from ianvs_job import algorithm, build_job, metrics_settings, run
from provider import ProviderServer

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]

KEY = "sk-e2e-provider-3c9d7f1b62a8"
MODEL = "provider-chat-1"
# Distinct lengths tell the provider's requests apart: the probe, CloudModelAPI, attacker, reference.
PROBE, CLOUD, ATTACKER, REFERENCE = 1, 12, 6, 10


def test_three_variables_send_every_cloud_request_to_the_provider_and_the_key_is_written_nowhere(
        tmp_path, invented_tab, llama_server, monkeypatch, capsys):
    from privacy_edge.cli import main

    # One test case, the cloud_only baseline: raw text to CloudModelAPI, the attacker and the reference.
    base = algorithm("test_algorithms/baselines.yaml", tmp_path, {"router": ["cloud_only"]},
                     cloud={"max_tokens": [CLOUD]})
    job = build_job(tmp_path, invented_tab, [("baselines", base)])
    # prepare (in build_job) wrote the linking background beside the dataset: the metrics use that file
    settings = metrics_settings(tmp_path, background=str(tmp_path / "background.json"),
                                attacker={"max_tokens": ATTACKER}, reference={"max_tokens": REFERENCE})
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TAB_BACKGROUND"):
        monkeypatch.delenv(var, raising=False)
    with ProviderServer(KEY, (MODEL,), backend=llama_server.base_url) as provider:
        env = {"CLOUD_API_BASE": provider.base_url, "CLOUD_API_KEY": KEY, "CLOUD_MODEL": MODEL,
               "PRIVACY_EDGE_METRICS": str(settings)}
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert main(["check", str(job), "--root", str(tmp_path)]) == 0  # what `make run` does first
        proc = run(job, env=env)
    log = proc.stdout + proc.stderr + "".join(capsys.readouterr())
    assert proc.returncode == 0, log[-4000:]

    rows = list(csv.DictReader(open(tmp_path / "workspace/tab_privacy/rank/all_rank.csv")))
    assert len(rows) == 1 and float(rows[0]["Failed"]) == 0.0
    assert float(rows[0]["ASR-Link"]) == 1.0 and float(rows[0]["ASR-Link_n"]) == 3  # from the prepared file
    assert float(rows[0]["ASR-LLM_n"]) > 0 and float(rows[0]["APR_n"]) == 3  # attacker and reference answered

    assert provider.rejected == [] and {r["model"] for r in provider.requests} == {MODEL}
    by_use = {n: sum(r["max_tokens"] == n for r in provider.requests) for n in (PROBE, CLOUD, ATTACKER, REFERENCE)}
    assert by_use[PROBE] == 1 and by_use[CLOUD] >= 3 and by_use[ATTACKER] >= 1 and by_use[REFERENCE] == 3, by_use
    assert f"raw text (no privacy protection) is being sent to the remote endpoint {provider.host}" in log

    assert KEY not in log
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite" for p in written) and any(p.name == "all_rank.csv" for p in written)
    assert [p for p in written if KEY.encode() in p.read_bytes()] == []
