"""Cloud faults from a real HTTP server on 127.0.0.1: retried where that makes sense, then recorded
in the sample's record; the run always goes on to the next sample."""

import time

import pytest
from conftest import sanitizers
from loopback import LoopbackServer

from privacy_edge import assemble
from privacy_edge.llm.openai_chat import OpenAIChat
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample

RETRIES = 2
OK = ("ok", "Norway")
EMPTY = '{"id":"x","object":"chat.completion","created":0,"model":"m","choices":[]}'


def _run(script, timeout_s=5.0):
    samples = [Sample("d1", "The application concerns civil proceedings.", "Which State?"),
               Sample("d2", "The application concerns criminal proceedings.", "Which State?")]
    with LoopbackServer(script) as server:
        edge = EdgeSide(assemble.detector(), None, sanitizers())
        cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=RETRIES, timeout_s=timeout_s)
        started = time.perf_counter()
        records = assemble.pipeline(edge, cloud, "cloud_only", 0.5).run(samples)
        return records, len(server.requests), time.perf_counter() - started


@pytest.mark.parametrize("fault", [("status", 429, {"Retry-After": "1"}), ("status", 500), ("status", 503), ("reset",)])
def test_transient_fault_is_retried_and_the_sample_succeeds(fault):
    records, requests, seconds = _run([fault, OK])
    assert [r["error"] for r in records] == [None, None]
    assert [r["answer"] for r in records] == ["Norway", "Norway"]
    assert requests == 3  # one retry for the first sample, one request for the second
    if fault[1:2] == (429,):
        assert seconds >= 1.0  # Retry-After was honoured


@pytest.mark.parametrize(
    "fault, message",
    [
        (("status", 500), "HTTP 500 after retries"),
        (("status", 503), "HTTP 503 after retries"),
        (("stall", 3), "timed out"),
        (("raw", "{not json"), "malformed response"),
        (("raw", EMPTY), "no choices"),
        (("reset",), "unreachable"),
    ],
)
def test_persistent_fault_is_recorded_and_the_next_sample_still_runs(fault, message):
    script = [fault] * (RETRIES + 1) + [OK]
    records, requests, _ = _run(script, timeout_s=1.0)
    assert message in records[0]["error"] and records[0]["answer"] is None
    assert records[1]["error"] is None and records[1]["answer"] == "Norway"
    assert requests == RETRIES + 2


@pytest.mark.slow
def test_embedded_server_dying_mid_run_is_restarted_once_then_samples_fail():
    from privacy_edge.llm.base import build_messages
    from privacy_edge.llm.cloud import CloudModel
    from privacy_edge.llm.openai_chat import CloudError

    cloud = CloudModel(max_tokens=4, max_retries=0, timeout_s=10)
    msgs = build_messages("Which State?", "The application was lodged against Norway.")
    try:
        assert cloud.generate([msgs])[0].text
        cloud.server.stop()  # the server dies behind the client's back
        assert cloud.generate([msgs])[0].text and cloud.restarts == 1
        cloud.server.stop()  # dies again: no second restart, the failure is the caller's to record
        with pytest.raises(CloudError):
            cloud.generate([msgs])
        assert cloud.restarts == 1
    finally:
        cloud.close()
