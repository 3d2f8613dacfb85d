"""Every branch of the workflow (docs/architecture.md), with the real detector and sanitizers.

The edge and cloud here are scripted stand-ins (a fixed confidence; a cloud that records what it
receives), since these tests are about the decisions, not the models.
"""

import pytest

from conftest import sanitizers

from privacy_edge import assemble
from privacy_edge.config import ConfigError
from privacy_edge.llm.base import Generation, payload_text
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample
from privacy_edge.routing import CLOUD_RAW, CLOUD_SANITIZED, EDGE, ROUTERS, EdgeView

PRIVATE = ("The case originated in an application (no. 12345/67) lodged by Mr Tomas Wexley, born in 1961, "
           "who lives in Lindgrad. He wrote to tomas.wexley@example.org on 3 May 2001.")
PUBLIC = "The application concerns the length of civil proceedings."
QUESTION = "Against which State was this application lodged?"


class ScriptedEdge:
    identity = {"backend": "scripted"}

    def __init__(self, confidence):
        self.confidence, self.calls = confidence, 0

    def generate(self, batch):
        self.calls += len(batch)
        return [Generation("Ruritania", self.confidence, 3) for _ in batch]


class RecordingCloud:
    identity = {"backend": "recording"}

    def __init__(self):
        self.received = []

    def generate(self, batch):
        self.received.extend(payload_text(m) for m in batch)
        return [Generation("It concerns [PERSON_1].", None, 5) for _ in batch]


def _run(router, text, confidence=0.9, threshold=0.5, policy="mask"):
    edge_model, cloud = ScriptedEdge(confidence), RecordingCloud()
    edge = EdgeSide(assemble.detector(), edge_model, sanitizers())
    pipe = assemble.pipeline(edge, cloud, router, threshold, policy)
    record = pipe.run([Sample("d1", text, QUESTION)])[0]
    return record, edge_model, cloud


def test_no_private_information_goes_to_the_cloud_as_is():
    record, edge_model, cloud = _run("confidence", PUBLIC)
    assert record["private"] is False and record["route"] == CLOUD_RAW
    assert edge_model.calls == 0  # the edge model is not asked
    assert PUBLIC in cloud.received[0] and record["egress"] == cloud.received[0]


def test_private_and_confident_edge_answer_stays_at_the_edge():
    record, edge_model, cloud = _run("confidence", PRIVATE, confidence=0.8, threshold=0.7)
    assert record["private"] is True and record["route"] == EDGE
    assert record["answer"] == "Ruritania" and record["egress"] is None
    assert cloud.received == [] and edge_model.calls == 1


@pytest.mark.parametrize("policy", ["mask", "pseudonymize"])
def test_private_and_unsure_edge_sends_only_sanitized_text(policy):
    record, _, cloud = _run("confidence", PRIVATE, confidence=0.3, threshold=0.7, policy=policy)
    assert record["route"] == CLOUD_SANITIZED and record["method"]["name"] == policy
    assert len(cloud.received) == 1 and record["egress"] == cloud.received[0]
    for value in ("12345/67", "Tomas Wexley", "Lindgrad", "tomas.wexley@example.org", "3 May 2001"):
        assert value not in cloud.received[0]
    if policy == "mask":  # the placeholder in the cloud's answer is restored at the edge
        assert "Tomas Wexley" in record["answer"] or "Wexley" in record["answer"]


def test_threshold_is_inclusive():
    router = ROUTERS.get("confidence")()
    assert router.decide(EdgeView(True, "high", 0.7), 0.7) == EDGE
    assert router.decide(EdgeView(True, "high", 0.6999), 0.7) == CLOUD_SANITIZED
    assert router.decide(EdgeView(True, "high", None), 0.0) == CLOUD_SANITIZED


def test_baselines():
    record, _, cloud = _run("edge_only", PUBLIC)
    assert record["route"] == EDGE and cloud.received == []
    record, edge_model, cloud = _run("cloud_only", PRIVATE)
    assert record["route"] == CLOUD_RAW and "Tomas Wexley" in cloud.received[0] and edge_model.calls == 0
    record, _, cloud = _run("cloud_sanitized", PRIVATE)
    assert record["route"] == CLOUD_SANITIZED and "Tomas Wexley" not in cloud.received[0]


def test_adaptive_policy_follows_the_sensitivity_level():
    from privacy_edge.policy import Policy

    policy = Policy.from_name("adaptive")
    assert [policy.method_for(lv) for lv in ("low", "medium", "high")] == ["pseudonymize", "mask", "dp"]
    assert Policy.from_name("mask").method_for("high") == "mask"


def test_invalid_router_settings_are_errors():
    edge = EdgeSide(assemble.detector(), None, sanitizers())
    with pytest.raises(ConfigError, match="threshold"):
        assemble.pipeline(edge, None, "confidence", 1.5)
    with pytest.raises(ConfigError, match="router: .*Did you mean 'confidence'"):
        assemble.pipeline(edge, None, "confidance", 0.5)
    with pytest.raises(ConfigError, match="policy.*Did you mean 'mask'"):
        assemble.pipeline(edge, None, "confidence", 0.5, "maks")


def test_the_old_router_name_oracle_still_works_with_one_deprecation_message(monkeypatch):
    import warnings

    from privacy_edge import routing
    from privacy_edge.config import RouterSettings, build

    monkeypatch.setattr(routing, "_WARNED", set())
    with pytest.warns(DeprecationWarning, match="'oracle' is deprecated.*'confidence'"):
        settings = build(RouterSettings, {"router": "oracle"}, "OracleRouter hyperparameters")
    assert settings.router == "confidence"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once per process: a grid of test cases is not a wall of warnings
        pipe = assemble.pipeline(EdgeSide(assemble.detector(), None, sanitizers()), None, "oracle", 0.5)
    assert pipe.router.name == "confidence"


def test_router_and_policy_names_come_from_their_registries():
    from privacy_edge.config import ConfigError as Err, RouterSettings, build
    from privacy_edge.routing import ROUTERS
    from privacy_edge.sanitize import SANITIZERS

    for name in ROUTERS.names():
        assert build(RouterSettings, {"router": name}, "x").router == name
    for name in ["adaptive", *SANITIZERS.names()]:
        assert build(RouterSettings, {"policy": name}, "x").policy == name
    with pytest.raises(Err, match="unknown router 'edge'"):
        build(RouterSettings, {"router": "edge"}, "x")


def test_detector_overrides_from_the_algorithm_yaml_change_the_levels():
    strict = assemble.detector(None, {"sensitivity": {"medium": 0.0, "high": 0.0}})
    lax = assemble.detector(None, {"sensitivity": {"saturation": 1000.0}})
    assert strict.detect(PRIVATE).level == "high" and lax.detect(PRIVATE).level == "low"
