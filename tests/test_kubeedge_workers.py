"""The JointInferenceService's two workers as two processes on 127.0.0.1, wired by the environment
variables Sedna's local controller sets (BIG_MODEL_IP/PORT, HEM_NAME/PARAMETERS, MODEL_URL, ...).

The cloud worker (a Sedna BigModelService) forwards to a provider-like server that demands its key
and records every request, in front of the real llama.cpp server; the edge worker's model is the
same llama.cpp server (EDGE_API_BASE). What the provider recorded is what reached the cloud worker.
Leaks are looked for with the independent oracle (tests/leak_oracle.py), not the project's matcher.
Skipped where Sedna's Python library (the Ianvs bundled wheel) is not installed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from leak_oracle import survivors
from provider import ProviderServer

pytest.importorskip("sedna.core.joint_inference",
                    reason="Sedna's Python library is not installed (scripts/install_ianvs.sh installs Ianvs's wheel)")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-kubeedge-test-5f2a9c71d3"
MODEL = "cloud-chat-1"
SERVICE = "privacy-edge-ji"

PLAIN = "The Court examined the complaint about the length of the proceedings under Article 6 of the Convention."
PRIVATE = ("The applicant, Mr Jonas Petraitis, was born in 1961 and lives in Kaunas. He was represented by "
           "Ms Ona Kazlauskiene, a lawyer practising in Vilnius.")
NAMES = ("Jonas Petraitis", "Kaunas", "Ona Kazlauskiene", "Vilnius")
QUESTION = "In which city does Mr Petraitis live?"
REQUESTS = [
    PLAIN,  # a plain line: the task's question is asked
    json.dumps({"doc_id": "private-1", "text": PRIVATE, "question": QUESTION}),  # a user's question names him too
    json.dumps({"doc_id": "bad-1", "question": "Who?"}),  # no text: a failed request, not a failed worker
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sedna_env(tmp_path: Path, **extra) -> dict:
    """What Sedna's local controller sets for a worker (LC_SERVER points nowhere: no LC here)."""
    model_dir = tmp_path / "model"
    model_dir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUD_", "EDGE_", "HEM_", "BIG_MODEL"))}
    env.update({"PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), "NAMESPACE": "default",
                "SERVICE_NAME": SERVICE, "MODEL_URL": str(model_dir), "LC_SERVER": f"http://127.0.0.1:{free_port()}",
                "HF_HUB_OFFLINE": "1"})
    env.update(extra)
    return env


def edge_env(tmp_path: Path, port: int, edge_url: str, params: list[dict]) -> dict:
    return sedna_env(
        tmp_path, WORKER_NAME="edgeworker-t1", BIG_MODEL_IP="127.0.0.1", BIG_MODEL_PORT=str(port),
        HEM_NAME="PrivacyEdgeRouter", HEM_PARAMETERS=json.dumps(params), EDGE_API_BASE=edge_url,
        EDGE_MODEL="smollm2-135m-instruct", input_text=str(tmp_path / "input"),
        all_examples_inference_output=str(tmp_path / "output"),
        hard_example_cloud_inference_output=str(tmp_path / "cloud_output"),
        hard_example_edge_inference_output=str(tmp_path / "edge_output"), cache_dir=str(tmp_path / "cache"),
        heartbeat_file=str(tmp_path / "probe" / "heartbeat"))


def run_edge(env: dict, tmp_path: Path, settings: str = "") -> subprocess.CompletedProcess:
    config = tmp_path / "edge.yaml"
    config.write_text("max_new_tokens: 8\n" + settings)
    return subprocess.run([sys.executable, "-m", "privacy_edge", "edge-worker", "--once", "--edge-config", str(config)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)


def write_requests(tmp_path: Path) -> None:
    (tmp_path / "input").mkdir(exist_ok=True)
    (tmp_path / "input" / "requests.txt").write_text("\n".join(REQUESTS) + "\n")


def records_of(tmp_path: Path) -> list[dict]:
    lines = (tmp_path / "output" / "records" / "requests.txt.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


class CloudWorker:
    """``python -m privacy_edge cloud-worker`` in its own process, ready when its Sedna route answers."""

    def __init__(self, env: dict, port: int, log: Path):
        self.port, self.log = port, log
        self._out = open(log, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "privacy_edge", "cloud-worker", "--max-tokens", "8"],
                                     env=env, stdout=self._out, stderr=subprocess.STDOUT, cwd=log.parent)

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"cloud worker exited {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:  # Sedna's job name is "sedna" unless JOB_NAME is set; its info route answers GET
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/sedna", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"cloud worker not ready in {timeout_s} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()
        return self.log.read_text()


def values_detected(record: dict, text: str) -> list[str]:
    return [text[d["start"] : d["end"]] for d in record["detected"]]


def gold(doc_id: str, text: str) -> dict:
    mentions = []
    for name in NAMES if text == PRIVATE else ():
        start = text.index(name)
        mentions.append({"start": start, "end": start + len(name), "span_text": name, "identifier_type": "DIRECT",
                         "entity_type": "PERSON"})
    return {"doc_id": doc_id, "mentions": mentions}


def test_only_protected_text_reaches_the_cloud_worker_and_the_records_score(tmp_path, llama_server):
    from privacy_edge.metrics import METRICS, load_all

    write_requests(tmp_path)
    port = free_port()
    cloud_env = sedna_env(tmp_path, WORKER_NAME="cloudworker-t1", BIG_MODEL_BIND_IP="127.0.0.1",
                          BIG_MODEL_BIND_PORT=str(port), CLOUD_MODEL=MODEL, CLOUD_API_KEY=KEY)
    # threshold 1: no edge answer is confident enough, so the private request goes out sanitized
    params = [{"key": "router", "value": "confidence"}, {"key": "threshold", "value": "1.0"}]
    with ProviderServer(KEY, (MODEL,), backend=llama_server.base_url) as provider:
        cloud_env["CLOUD_API_BASE"] = provider.base_url
        worker = CloudWorker(cloud_env, port, tmp_path / "cloud.log")
        try:
            worker.wait_ready()
            edge = run_edge(edge_env(tmp_path, port, llama_server.base_url, params), tmp_path)
        finally:
            cloud_log = worker.stop()
    edge_log = edge.stdout + edge.stderr
    assert edge.returncode == 0, edge_log[-4000:]
    assert (tmp_path / "probe" / "heartbeat").is_file()  # what the pod's readiness probe looks for

    records = records_of(tmp_path)
    assert [r["doc_id"] for r in records] == ["requests-1", "private-1", "bad-1"]
    plain, private, bad = records
    assert plain["route"] == "cloud_raw" and plain["private"] is False and plain["error"] is None
    assert private["route"] == "cloud_sanitized" and private["private"] is True and private["error"] is None
    assert private["method"]["name"] == "pseudonymize" and private["edge"]["answer"] is not None
    assert bad["route"] is None and "request.text" in bad["error"]
    assert plain["answer"] and private["answer"] and plain["cloud"]["answer"]

    # What reached the cloud worker (it forwards each request once): exactly the two cloud-routed payloads,
    # byte for byte the egress recorded, and none carries a value the edge detected.
    assert provider.rejected == [] and len(provider.requests) == 2, provider.requests
    sent = [r["messages"][0]["content"] for r in provider.requests]
    assert sorted(sent) == sorted([plain["egress"], private["egress"]])
    detected = values_detected(private, PRIVATE)
    assert set(NAMES) <= {v.removeprefix("Mr ").removeprefix("Ms ") for v in detected}
    for text in sent:
        assert survivors(text, [*detected, *NAMES, "Petraitis"]) == []
    assert "In which city does" in private["egress"]  # the question went, protected
    assert PLAIN in plain["egress"]  # nothing private: the raw text goes as is

    answers = [json.loads(line) for line in (tmp_path / "output" / "requests.txt.jsonl").read_text().splitlines()]
    assert [(a["doc_id"], a["answer"]) for a in answers] == [(r["doc_id"], r["answer"]) for r in records]
    cloud_out = (tmp_path / "cloud_output" / "requests.txt.jsonl").read_text()
    assert {json.loads(line)["doc_id"] for line in cloud_out.splitlines()} == {"requests-1", "private-1"}

    # The benchmark's metric functions score these records.
    load_all()
    golds = [gold("requests-1", PLAIN), gold("private-1", PRIVATE), gold("bad-1", "")]
    assert METRICS.get("PDR")(records, golds, None) == 1.0
    assert METRICS.get("SELS")(records, golds, None) == 0.0
    assert METRICS.get("Failed")(records, golds, None) == pytest.approx(1 / 3)
    assert METRICS.get("TI")(records, golds, None) >= 0.0

    assert KEY not in edge_log and KEY not in cloud_log
    assert [p for p in tmp_path.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()] == []


LONG = (PRIVATE + " The applicant complained about the length of the civil proceedings. The Government contested "
        "that argument. The Court notes that the proceedings lasted nine years and four months at two levels of "
        "jurisdiction. It has examined all the material submitted to it.")


def test_every_edge_setting_counts_in_the_worker_a_minimize_share_changes_what_the_cloud_receives(
        tmp_path, llama_server):
    """The worker builds its edge through the assembler: ``minimize.share`` (and the older
    ``minimize_share``) in --edge-config is honoured, not validated and then dropped."""
    port = free_port()
    cloud_env = sedna_env(tmp_path, WORKER_NAME="cloudworker-t2", BIG_MODEL_BIND_IP="127.0.0.1",
                          BIG_MODEL_BIND_PORT=str(port), CLOUD_MODEL=MODEL, CLOUD_API_KEY=KEY)
    params = [{"key": "threshold", "value": "1.0"}, {"key": "policy", "value": "minimize+mask"}]
    sent = {}
    with ProviderServer(KEY, (MODEL,), backend=llama_server.base_url) as provider:
        cloud_env["CLOUD_API_BASE"] = provider.base_url
        worker = CloudWorker(cloud_env, port, tmp_path / "cloud.log")
        try:
            worker.wait_ready()
            for share, line in ((1.0, "minimize.share: 1.0\n"), (0.2, "minimize_share: 0.2\n")):
                run_dir = tmp_path / f"share-{share}"
                (run_dir / "input").mkdir(parents=True)
                (run_dir / "input" / "requests.txt").write_text(
                    json.dumps({"doc_id": "long-1", "text": LONG, "question": QUESTION}) + "\n")
                before = len(provider.requests)
                edge = run_edge(edge_env(run_dir, port, llama_server.base_url, params), run_dir, line)
                assert edge.returncode == 0, (edge.stdout + edge.stderr)[-4000:]
                assert len(provider.requests) == before + 1
                sent[share] = provider.requests[-1]["messages"][0]["content"]
                record = records_of(run_dir)[0]
                assert record["route"] == "cloud_sanitized" and record["method"]["name"] == "minimize+mask"
                assert record["method"]["params"]["minimize"]["share"] == share
        finally:
            worker.stop()
    assert "civil proceedings" in sent[1.0] and "[...]" not in sent[1.0]  # everything kept
    assert "[...]" in sent[0.2] and len(sent[0.2]) < len(sent[1.0])  # a fifth of the words kept
    for text in sent.values():
        assert survivors(text, [*NAMES, "Petraitis"]) == []


def test_with_the_cloud_worker_down_the_edge_answers_and_records_the_failure(tmp_path, llama_server):
    write_requests(tmp_path)
    down = free_port()  # nothing listens there
    # threshold 0: the edge keeps its own answer to the private request; the plain one needs the cloud
    env = edge_env(tmp_path, down, llama_server.base_url, [{"key": "threshold", "value": "0"}])
    edge = run_edge(env, tmp_path)
    assert edge.returncode == 0, (edge.stdout + edge.stderr)[-4000:]
    plain, private, bad = records_of(tmp_path)
    assert plain["route"] == "cloud_raw" and plain["answer"] is None
    assert plain["error"].startswith("cloud failed") and f"127.0.0.1:{down} unreachable" in plain["error"]
    assert private["route"] == "edge" and private["answer"] and private["error"] is None and private["egress"] is None
    assert bad["error"] is not None
    edge_out = (tmp_path / "edge_output" / "requests.txt.jsonl").read_text()
    assert [json.loads(line)["doc_id"] for line in edge_out.splitlines()] == ["private-1"]


@pytest.mark.parametrize("params, field", [
    ('[{"key": "threshold", "value": "high"}]', "parameters: threshold"),
    ('[{"key": "treshold", "value": "0.5"}]', "parameters: treshold: unknown key"),
    ('{"threshold": "0.5"}', "expected a list"),
])
def test_a_bad_hem_parameter_stops_the_edge_worker_naming_the_field(tmp_path, params, field):
    env = sedna_env(tmp_path, BIG_MODEL_IP="127.0.0.1", BIG_MODEL_PORT="5000", HEM_NAME="PrivacyEdgeRouter",
                    HEM_PARAMETERS=params, input_text=str(tmp_path), all_examples_inference_output=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "privacy_edge", "edge-worker", "--once"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "spec.edgeWorker.hardExampleMining" in proc.stderr and field in proc.stderr, proc.stderr


def test_sedna_s_own_model_client_cannot_send_a_request_object(tmp_path):
    """The second line behind GuardedCloud: were Sedna's ModelClient ever built, the request it would be
    handed is a Sample, which it cannot serialize, so it raises before anything reaches the server."""
    from loopback import LoopbackServer
    from sedna.service.client import ModelClient

    from privacy_edge.record import Sample

    with LoopbackServer() as server:
        port = int(server.base_url.split(":")[2].split("/")[0])
        client = ModelClient(service_name="sedna", host="127.0.0.1", port=port)
        with pytest.raises(TypeError):
            client.inference(Sample("d1", PRIVATE, "Q?"))
        assert server.requests == []
