"""The Ianvs/Sedna contract without Ianvs: the four modules of test_algorithms/ driven exactly as Sedna's
inference-then-mining and Ianvs's joint-inference paradigm drive them (tests/sedna_sequence.py), with
the real detector and sanitizers, a llama.cpp server on 127.0.0.1 as edge and cloud, and ``y_pred``
fed to the registered metric functions. Runs in CI, where Ianvs is not installed.
"""

from __future__ import annotations

import json

import pytest

from sedna_sequence import ianvs_test_case, joint_inference, load_ianvs_modules

from privacy_edge.data.prepare import prepare
from privacy_edge.jsonl import read_jsonl
from privacy_edge.llm.llama_server import MODEL_ALIAS
from privacy_edge.metrics import evaluate
from privacy_edge.record import as_record, as_records

pytestmark = pytest.mark.slow
QUIET_METRICS = ("PDR", "SELS", "Failed", "LO", "TI")  # no model and no background file needed


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, invented_tab):
    out = tmp_path_factory.mktemp("data") / "test_data.jsonl"
    prepare([invented_tab], out, max_docs=3, max_chars=600)
    return read_jsonl(out)


@pytest.fixture
def endpoints(monkeypatch, llama_server, tmp_path):
    """The edge and the cloud both served by the llama.cpp server on 127.0.0.1; records under tmp_path."""
    for side in ("EDGE", "CLOUD"):
        monkeypatch.setenv(f"{side}_API_BASE", llama_server.base_url)
        monkeypatch.setenv(f"{side}_API_KEY", "unused-by-llama.cpp")
        monkeypatch.setenv(f"{side}_MODEL" if side == "EDGE" else "CLOUD_MODEL", MODEL_ALIAS)
    monkeypatch.setenv("RESULT_SAVED_URL", str(tmp_path / "output"))
    cache = str(tmp_path / "cache")
    return ({"cache_dir": cache, "max_new_tokens": 6}, {"cache_dir": cache, "max_tokens": 8, "concurrency": 2})


def _case(dataset, endpoints, **router):
    edge, cloud = endpoints
    return ianvs_test_case([r["question"] for r in dataset], edge, cloud, router)


def test_y_pred_has_sednas_layout_and_the_edge_result_is_the_samples_final_record(dataset, endpoints):
    y_pred = _case(dataset, endpoints, router="cloud_sanitized", policy="mask")
    assert len(y_pred) == len(dataset)
    for item, row in zip(y_pred, dataset):
        assert isinstance(item, list) and len(item) == 4
        is_hard, res, edge_result, cloud_result = item
        res = as_record(res)  # a record dict from the cloud; at the edge, the handoff itself
        assert res["doc_id"] == row["question"]["doc_id"]
        assert is_hard is (res["route"] != "edge")
        assert bool(edge_result) is (res["route"] == "edge")  # Ianvs counts "Edge" by this truthiness
        if is_hard:
            assert cloud_result == res and isinstance(item[1], dict)
            # The router's decision and the cloud's answer reached the object Sedna copied before the
            # router: the deep copy kept one trace per sample.
            assert edge_result.record() == res and res["egress"] is not None
        else:
            assert cloud_result is None
    assert {r["route"] for r in as_records(y_pred)} == {"cloud_sanitized"}  # every invented case names someone


def test_the_cloud_answers_only_what_the_router_sent_and_the_metrics_score_y_pred(dataset, endpoints, tmp_path):
    y_pred = _case(dataset, endpoints, router="edge_only")
    gold = [r["answer"] for r in dataset]
    assert all(item[0] is False and item[3] is None for item in y_pred)
    assert all(bool(item[2]) and item[1] is item[2] for item in y_pred)  # final at the edge: truthy
    assert evaluate("SELS", gold, y_pred) == 0.0 and evaluate("Failed", gold, y_pred) == 0.0
    assert evaluate("PDR", gold, y_pred) > 0.5  # the detector's spans reached the metric through y_pred
    for name in QUIET_METRICS:
        assert evaluate(name, gold, y_pred) == evaluate(name, gold, [item[2].record() for item in y_pred])

    # A cloud call for a sample the router kept at the edge sends nothing and says why.
    m = load_ianvs_modules()
    edge_kwargs, cloud_kwargs = endpoints
    edge, cloud = m["edge"].EdgeModel(**edge_kwargs), m["cloud"].CloudModelAPI(**cloud_kwargs)
    m["processor"].ECHRDataProcessor()(type("D", (), {"x": [dataset[0]["question"]]})())
    router = m["router"].OracleRouter(edgemodel=edge, cloudmodel=cloud, router="edge_only")
    assert joint_inference(edge, cloud, router, dataset[0]["question"])[0] is False
    stray = cloud.inference(dataset[0]["question"])
    assert stray["egress"] is None and "did not send" in stray["error"]
    cloud.cleanup()
    router.cleanup()


def test_each_test_case_gets_its_own_session_and_writes_its_own_records(dataset, endpoints, tmp_path):
    first = _case(dataset, endpoints, router="edge_only")
    second = _case(dataset, endpoints, router="cloud_sanitized", policy="mask")
    assert {r["route"] for r in as_records(first)} == {"edge"}
    assert {r["route"] for r in as_records(second)} == {"cloud_sanitized"}
    folder = tmp_path / "output" / "records"
    manifests = {m["hyperparameters"]["hard_example_mining-router"]: m
                 for m in (json.loads(p.read_text()) for p in sorted(folder.glob("*.json")))}
    assert sorted(manifests) == ["cloud_sanitized", "edge_only"]
    edge_kwargs, cloud_kwargs = endpoints
    for router, y_pred in (("edge_only", first), ("cloud_sanitized", second)):
        m = manifests[router]
        # the records on disk are y_pred's, and the manifest names every YAML hyperparameter as
        # Ianvs writes it in the rank CSV (the report matches rows by these)
        assert read_jsonl(folder / m["records"]) == as_records(y_pred)
        router_kwargs = {"router": router, **({"policy": "mask"} if router == "cloud_sanitized" else {})}
        assert m["hyperparameters"] == {
            **{f"edgemodel-{k}": str(v) for k, v in edge_kwargs.items()},
            **{f"cloudmodel-{k}": str(v) for k, v in cloud_kwargs.items()},
            **{f"hard_example_mining-{k}": str(v) for k, v in router_kwargs.items()}}


def test_modules_may_be_built_in_any_order_and_a_missing_one_is_named(dataset, endpoints):
    m = load_ianvs_modules()
    edge_kwargs, cloud_kwargs = endpoints
    questions = [r["question"] for r in dataset]
    data = m["processor"].ECHRDataProcessor()(type("D", (), {"x": questions})())  # the set first
    router = m["router"].OracleRouter(router="edge_only")  # then the router, without injected models
    cloud = m["cloud"].CloudModelAPI(**cloud_kwargs)  # the cloud before the edge
    edge = m["edge"].EdgeModel(**edge_kwargs)
    assert edge.run is cloud.run is router.run and edge.run.inference_set == tuple(data.x)
    assert as_record(joint_inference(edge, cloud, router, data.x[0])[1])["route"] == "edge"
    router.cleanup()
    cloud.cleanup()

    lonely = m["edge"].EdgeModel(**edge_kwargs)  # a test case without router: the first sample says so
    with pytest.raises(Exception, match="lacks the cloud, router module"):
        lonely.predict(dataset[0]["question"])


def test_the_router_refuses_a_result_that_did_not_come_from_the_edge_module(dataset, endpoints):
    m = load_ianvs_modules()
    edge_kwargs, cloud_kwargs = endpoints
    edge, cloud = m["edge"].EdgeModel(**edge_kwargs), m["cloud"].CloudModelAPI(**cloud_kwargs)
    router = m["router"].OracleRouter(edgemodel=edge, cloudmodel=cloud)
    with pytest.raises(TypeError, match="inference-then-mining"):
        router(dataset[0]["question"])  # mining-then-inference would hand the router the raw sample
    router.cleanup()
    cloud.cleanup()
