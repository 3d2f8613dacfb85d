"""The real Ianvs CLI with the edge served by a llama.cpp server this test starts on 127.0.0.1, chosen by
EDGE_API_BASE, EDGE_API_KEY and EDGE_MODEL alone (skipped without Ianvs)."""

import csv
import json
import time

import pytest
from ianvs_job import algorithm, build_job, metrics_settings, run

from privacy_edge.llm.base import build_messages
from privacy_edge.llm.edge_server import ServedEdgeChat
from privacy_edge.llm.huggingface import embedded_gguf
from privacy_edge.llm.llama_server import LlamaServer

pytestmark = [pytest.mark.slow, pytest.mark.ianvs]
EDGE_ALIAS = "edge-smollm2"  # another name than the embedded cloud's, so the two cannot be confused


def test_job_finishes_every_test_case_with_the_edge_answered_by_the_server(tmp_path, invented_tab):
    oracle = algorithm("test_algorithms/privacy_router.yaml", tmp_path,
                       {"threshold": [0.0], "policy": ["mask"]}, edge={"max_new_tokens": [8]})
    job = build_job(tmp_path, invented_tab, [("privacy-router", oracle)], max_docs=2)
    with LlamaServer(embedded_gguf(), n_ctx=8192, n_parallel=1, alias=EDGE_ALIAS) as server:
        env = {"EDGE_API_BASE": server.base_url, "EDGE_API_KEY": "local", "EDGE_MODEL": EDGE_ALIAS,
               "PRIVACY_EDGE_METRICS": str(metrics_settings(tmp_path))}  # metrics' caches in tmp_path
        started = time.perf_counter()
        proc = run(job, env=env, timeout=900)
        seconds = time.perf_counter() - started
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        rows = list(csv.DictReader(open(tmp_path / "workspace/tab_privacy/rank/all_rank.csv")))
        assert len(rows) == 1 and all(float(r["Failed"]) == 0.0 for r in rows)
        texts = {json.loads(line)["question"]["doc_id"]: json.loads(line)["question"]
                 for line in (tmp_path / "data.jsonl").read_text().splitlines()}
        direct = ServedEdgeChat(server.base_url, "local", EDGE_ALIAS, max_new_tokens=8)
        edge_answers, confidences = 0, []
        for f in sorted((tmp_path / "workspace/tab_privacy").glob("*/records/*.jsonl")):
            for r in map(json.loads, f.read_text().splitlines()):
                assert r["error"] is None, r["error"]
                if not r["private"]:
                    continue
                edge_answers += 1
                q = texts[r["doc_id"]]
                asked = direct.generate([build_messages(q["question"], q["text"])])[0]  # the server, asked again
                assert r["edge"]["answer"] == asked.text  # the edge answer is that server's
                # llama.cpp's reused prompt cache shifts log-probs by up to ~1% between requests
                assert r["edge"]["confidence"] == pytest.approx(asked.confidence, abs=0.02)
                confidences.append(r["edge"]["confidence"])
    assert edge_answers == 2 and all(0.0 < c <= 1.0 for c in confidences)
    print(f"ianvs job with a served edge: {seconds:.1f} s, {len(rows)} test cases, {edge_answers} edge answers, "
          f"confidence {min(confidences):.3f}-{max(confidences):.3f}")
