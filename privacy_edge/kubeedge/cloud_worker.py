"""The cloud worker of the JointInferenceService: a Sedna ``BigModelService`` whose estimator forwards
chat messages to an OpenAI-compatible server.

The server is the benchmark's cloud (``llm.cloud.CloudModel``): ``$CLOUD_API_BASE``, ``$CLOUD_API_KEY``
and ``$CLOUD_MODEL`` name a remote one (vLLM in a cluster, a provider), else the embedded llama.cpp
server on 127.0.0.1 answers. The key is read from the environment when the client is built and is
never logged. The worker receives only what the edge's egress guard let through; it answers with the
``Generation`` fields the edge records.
"""

from __future__ import annotations

import logging
import os

from ..llm.endpoint import EndpointSettings
from ..settings import ConfigError

log = logging.getLogger("privacy_edge.cloud_worker")
WHERE = "the cloud worker's environment ($CLOUD_API_BASE, $CLOUD_MODEL)"


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
    estimator = CloudEstimator(settings, embedded_parallel)
    estimator.load()
    os.environ.setdefault("BACKEND_TYPE", "TORCH")
    if not os.environ.get("model_path"):
        # Sedna refuses to start unless its model path exists; the model here is an endpoint, not a file.
        url = os.environ.get("MODEL_URL", "")
        os.environ["model_path"] = url if url and os.path.exists(url) else os.getcwd()
    from sedna.core.joint_inference import BigModelService

    service = BigModelService(estimator=estimator)
    # BigModelService.start(), with the server built so that it runs on current FastAPI too.
    if not os.path.exists(service.model_path):
        raise FileNotFoundError(f"Sedna's model path {service.model_path} does not exist")
    service.estimator.load(service.model_path)
    inference_server(service).start()


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
