"""The KubeEdge deployment's parts that need no Sedna: the CRD's HEM strings, the request lines, the
manifests in deploy/ (the JointInferenceService, checked against the JointInferenceService and Model CRDs
of a kubeedge/sedna checkout, $SEDNA_SRC, skipped with the reason without one; the example vLLM server)."""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path

import pytest
import yaml
from crd_schema import crd_schema, errors

from privacy_edge.config import ConfigError
from privacy_edge.kubeedge.hem import parse_parameters, router_settings
from privacy_edge.kubeedge.inbox import BadRequest, Inbox, parse_line, read_requests

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "deploy" / "jointinferenceservice.yaml"
VLLM = ROOT / "deploy" / "vllm.yaml"
DOC = ROOT / "docs" / "kubeedge.md"
VARIABLES = {"EDGE_NODE": "edge-node-1", "CLOUD_NODE": "cloud-node-1", "REGISTRY": "registry.example.org/pe",
             "CLOUD_API_BASE": "http://vllm.default.svc.cluster.local:8000/v1", "CLOUD_MODEL": "qwen2.5-7b-instruct"}
SECRET = "privacy-edge-cloud-key"


# -- hardExampleMining: strings from the CRD --------------------------------------------------------------

def test_hem_strings_become_typed_router_settings():
    s = router_settings("PrivacyEdgeRouter", json.dumps([{"key": "threshold", "value": "0.7"},
                                                        {"key": "policy", "value": "mask"},
                                                        {"key": "router", "value": "cloud_sanitized"}]))
    assert (s.threshold, s.policy, s.router) == (0.7, "mask", "cloud_sanitized")
    assert router_settings("PrivacyEdgeRouter", "null").threshold == 0.5  # Go marshals no list as null


@pytest.mark.parametrize("name, raw, message", [
    ("", "[]", "hardExampleMining.name ($HEM_NAME): not set"),
    ("IBT", "[]", "'IBT' is not PrivacyEdgeRouter"),
    ("PrivacyEdgeRouter", "[{", "parameters ($HEM_PARAMETERS): not JSON"),
    ("PrivacyEdgeRouter", '[{"value": "1"}]', "parameters[0]: needs a non-empty string `key`"),
    ("PrivacyEdgeRouter", '[{"key": "threshold", "value": 1}]', "parameters[0] (threshold): `value` must be a string"),
    ("PrivacyEdgeRouter", '[{"key": "policy", "value": "mask"}, {"key": "policy", "value": "dp"}]',
     "parameters[1]: key 'policy' given twice"),
    ("PrivacyEdgeRouter", '[{"key": "threshold", "value": "1.5"}]', "parameters: threshold: Input should be less"),
    ("PrivacyEdgeRouter", '[{"key": "policy", "value": "redact"}]', "parameters: policy"),
])
def test_a_bad_hem_setting_is_an_error_naming_the_crd_field(name, raw, message):
    with pytest.raises(ConfigError) as err:
        router_settings(name, raw)
    assert message in str(err.value)
    assert "spec.edgeWorker.hardExampleMining" in str(err.value)


def test_parameters_keep_their_strings_until_validated():
    assert parse_parameters('[{"key": " threshold ", "value": "0.2"}]') == {"threshold": "0.2"}


# -- request lines -----------------------------------------------------------------------------------------

def test_request_lines_plain_json_and_broken(tmp_path):
    f = tmp_path / "batch.txt"
    f.write_text("A plain request.\n\n" + json.dumps({"text": "T", "question": "Q?", "doc_id": "d1"}) + "\n"
                 + '{"text": \n' + json.dumps({"doc_id": "d1", "text": "again"}) + "\n")
    plain, own, broken, dup = read_requests(f, "articles")
    assert (plain.doc_id, plain.text, plain.task) == ("batch-1", "A plain request.", "articles")
    assert plain.question.startswith("Which Articles")
    assert (own.doc_id, own.question, own.task) == ("d1", "Q?", "")
    assert isinstance(broken, BadRequest) and broken.error.startswith("request: not a JSON object")
    assert isinstance(dup, BadRequest) and "given twice" in dup.error and dup.doc_id != "d1"
    assert isinstance(parse_line('{"text": "x", "question": ""}', "i", "articles"), BadRequest)


def test_inbox_returns_each_complete_file_once(tmp_path):
    (tmp_path / "a.txt").write_text("x\n")
    (tmp_path / "b.txt.part").write_text("x\n")
    (tmp_path / ".hidden").write_text("x\n")
    inbox = Inbox(tmp_path)
    assert [p.name for p in inbox.new_files()] == ["a.txt"]
    assert inbox.new_files() == []
    (tmp_path / "b.txt.part").rename(tmp_path / "b.txt")
    assert [p.name for p in inbox.new_files()] == ["b.txt"]


# -- the manifest ------------------------------------------------------------------------------------------

def manifest() -> list[dict]:
    text = string.Template(MANIFEST.read_text()).substitute(VARIABLES)  # a missing variable raises
    return [d for d in yaml.safe_load_all(text) if d]


def test_manifest_wires_the_workers_as_the_workers_read_it():
    docs = {d["kind"]: d for d in manifest()}
    assert "Secret" not in docs  # the key is never in a file: kubectl create secret (docs/kubeedge.md)
    ji = docs["JointInferenceService"]["spec"]
    hem = ji["edgeWorker"]["hardExampleMining"]
    settings = router_settings(hem["name"], json.dumps(hem["parameters"]))  # what the edge worker will accept
    assert settings.router == "confidence"
    edge = ji["edgeWorker"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in edge["containers"][0]["env"]}
    mounts = {m["mountPath"] for m in edge["containers"][0]["volumeMounts"]}
    for var in ("input_text", "all_examples_inference_output", "records_output", "cache_dir"):
        assert any(env[var].startswith(m) for m in mounts), var  # every folder is on a host volume
    assert {v["name"]: v["hostPath"]["path"] for v in edge["volumes"]}.keys() == {"input", "output", "cache"}
    cloud_env = ji["cloudWorker"]["template"]["spec"]["containers"][0]["env"]
    key = next(e for e in cloud_env if e["name"] == "CLOUD_API_KEY")
    assert "value" not in key and key["valueFrom"]["secretKeyRef"] == {"name": SECRET, "key": "api-key"}
    models = {d["metadata"]["name"] for d in manifest() if d["kind"] == "Model"}
    assert {ji["edgeWorker"]["model"]["name"], ji["cloudWorker"]["model"]["name"]} <= models
    assert edge["nodeName"] == "edge-node-1" and ji["cloudWorker"]["template"]["spec"]["nodeName"] == "cloud-node-1"


def test_the_documented_envsubst_substitutes_every_variable_and_only_those():
    """envsubst with no list would also empty any other $WORD; with a list, a variable left out would reach
    the cluster as "$NAME". The list in the manifest's header and in the docs is exactly what the manifest uses."""
    body = "\n".join(line for line in MANIFEST.read_text().splitlines() if not line.lstrip().startswith("#"))
    used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", body))
    assert used == set(VARIABLES)
    for text in (MANIFEST.read_text(), DOC.read_text()):
        lists = re.findall(r"envsubst '([^']*)'", text)
        assert lists, "no envsubst '<list>' command"
        for listed in lists:
            assert set(re.findall(r"\$(\w+)", listed)) == used
    assert "CLOUD_API_KEY" not in used  # the key goes through kubectl create secret, not through envsubst


def test_probes_point_where_the_workers_answer():
    ji = next(d for d in manifest() if d["kind"] == "JointInferenceService")["spec"]
    edge = ji["edgeWorker"]["template"]["spec"]["containers"][0]
    heartbeat = next(e["value"] for e in edge["env"] if e["name"] == "heartbeat_file")
    assert edge["readinessProbe"]["exec"]["command"] == ["test", "-f", heartbeat]
    assert "livenessProbe" not in edge  # a long batched file has no beats (docs/kubeedge.md, "Probes")
    cloud = ji["cloudWorker"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        # Sedna's info route: GET /<job>, the job "sedna" (JOB_NAME unset); Sedna binds the worker on 5000
        assert cloud[probe]["httpGet"] == {"path": "/sedna", "port": 5000}
    assert "JOB_NAME" not in {e["name"] for e in cloud["env"]}


def test_the_example_vllm_server_is_the_one_the_cloud_worker_is_pointed_at():
    docs = {d["kind"]: d for d in yaml.safe_load_all(VLLM.read_text()) if d}
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    assert docs["Deployment"]["spec"]["selector"]["matchLabels"].items() <= pod_labels(docs).items()
    (container,) = pod["containers"]
    args = container["args"]
    served = args[args.index("--served-model-name") + 1]
    port = int(args[args.index("--port") + 1])
    service = docs["Service"]
    assert service["spec"]["selector"] == docs["Deployment"]["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["port"] == port == container["ports"][0]["containerPort"]
    name, namespace = service["metadata"]["name"], service["metadata"]["namespace"]
    base = f"http://{name}.{namespace}.svc.cluster.local:{port}/v1"
    assert f"CLOUD_API_BASE={base}" in VLLM.read_text() and base in DOC.read_text()
    assert f"CLOUD_MODEL={served}" in VLLM.read_text() and served in DOC.read_text()
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/health", "port": port}
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    key = next(e for e in container["env"] if e["name"] == "VLLM_API_KEY")
    assert key["valueFrom"]["secretKeyRef"] == {"name": SECRET, "key": "api-key"}  # the key the cloud worker sends


def pod_labels(docs: dict) -> dict:
    return docs["Deployment"]["spec"]["template"]["metadata"]["labels"]


def sedna_crd(name: str) -> dict:
    src = os.environ.get("SEDNA_SRC", "")
    if not src:
        pytest.skip("SEDNA_SRC is not set (a checkout of kubeedge/sedna holds the CRDs under build/crds)")
    path = Path(src) / "build" / "crds" / name
    if not path.exists():
        pytest.skip(f"{path} not found: SEDNA_SRC is not a kubeedge/sedna checkout")
    return yaml.safe_load(path.read_text())


def test_manifest_matches_the_sedna_crds():
    schemas = {"JointInferenceService": crd_schema(sedna_crd("sedna.io_jointinferenceservices.yaml")),
               "Model": crd_schema(sedna_crd("sedna.io_models.yaml"))}
    checked = 0
    for doc in manifest():
        if doc["kind"] in schemas:
            assert doc["apiVersion"] == "sedna.io/v1alpha1"
            assert errors(doc, schemas[doc["kind"]]) == [], doc["metadata"]["name"]
            checked += 1
    assert checked == 3
    # the checker is strict: a misspelt field fails
    bad = next(d for d in manifest() if d["kind"] == "JointInferenceService")
    bad["spec"]["edgeWorker"]["hardExampleMinning"] = bad["spec"]["edgeWorker"].pop("hardExampleMining")
    found = errors(bad, schemas["JointInferenceService"])
    assert ".spec.edgeWorker.hardExampleMining: required" in found
    assert ".spec.edgeWorker.hardExampleMinning: unknown field" in found


def test_the_vllm_pod_template_passes_the_pod_template_schema():
    """No Kubernetes schemas here, but Sedna's CRD embeds the whole PodTemplateSpec: the vLLM Deployment's
    template is checked against it (probes, resources, volumes; a misspelt field fails)."""
    schema = crd_schema(sedna_crd("sedna.io_jointinferenceservices.yaml"))
    pod_template = schema["properties"]["spec"]["properties"]["cloudWorker"]["properties"]["template"]
    deployment = next(d for d in yaml.safe_load_all(VLLM.read_text()) if d and d["kind"] == "Deployment")
    assert errors(deployment["spec"]["template"], pod_template) == []
