"""``cloud-worker``: the JointInferenceService's cloud worker, a Sedna BigModelService
(privacy_edge/kubeedge/cloud_worker.py). It listens on $BIG_MODEL_BIND_IP:$BIG_MODEL_BIND_PORT and
forwards to $CLOUD_API_BASE (key $CLOUD_API_KEY, model $CLOUD_MODEL), else the embedded llama.cpp server.
"""

from __future__ import annotations

import argparse
import os


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-tokens", type=int, default=int(os.environ.get("MAX_TOKENS") or 48),
                   help="answer length ($MAX_TOKENS; default %(default)s)")
    p.add_argument("--timeout-s", type=float, default=60.0, help="per request to the model server")
    p.add_argument("--parallel", type=int, default=2, help="the embedded server's parallel slots")


def run(args: argparse.Namespace) -> int:
    import logging

    from ..llm.endpoint import EndpointSettings
    from ..settings import build
    from ..kubeedge.cloud_worker import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = build(EndpointSettings, {"max_tokens": args.max_tokens, "timeout_s": args.timeout_s},
                     "cloud-worker options")
    serve(settings, args.parallel)
    return 0
