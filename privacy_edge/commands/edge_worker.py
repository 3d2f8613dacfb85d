"""``edge-worker``: the JointInferenceService's edge worker (privacy_edge/kubeedge/edge_worker.py).

Folders default to the environment variables the Sedna example's manifest sets, so the container's
command needs no arguments; the router comes from $HEM_NAME and $HEM_PARAMETERS (the CRD's
hardExampleMining), the cloud worker from $BIG_MODEL_IP and $BIG_MODEL_PORT.
"""

from __future__ import annotations

import argparse
import os


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name) or os.environ.get(name.upper()) or default


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", default=_env("input_text"), help="input folder or file ($input_text)")
    p.add_argument("--output", default=_env("all_examples_inference_output"),
                   help="answers, one JSONL file per input file ($all_examples_inference_output)")
    p.add_argument("--records", default=_env("records_output"),
                   help="per-request records, the benchmark's schema ($records_output; default OUTPUT/records)")
    p.add_argument("--cloud-output", default=_env("hard_example_cloud_inference_output"),
                   help="requests the cloud answered ($hard_example_cloud_inference_output)")
    p.add_argument("--edge-output", default=_env("hard_example_edge_inference_output"),
                   help="private requests the edge answered ($hard_example_edge_inference_output)")
    p.add_argument("--cache-dir", default=_env("cache_dir"),
                   help="answer cache and workspace secret; keep it on a persistent volume ($cache_dir)")
    p.add_argument("--task", default=_env("task", "respondent_state"),
                   help="whose question plain-text lines are asked ($task; default %(default)s)")
    p.add_argument("--edge-config", default=_env("edge_config"),
                   help="YAML of EdgeModel settings, as in the Ianvs algorithm YAML ($edge_config)")
    p.add_argument("--once", action="store_true", help="answer the files present, then exit")
    p.add_argument("--poll-s", type=float, default=2.0, help="seconds between looks at the input")
    p.add_argument("--cloud-timeout-s", type=float, default=120.0, help="per cloud request")
    p.add_argument("--heartbeat", default=_env("heartbeat_file"),
                   help="a file written when the models are loaded and touched at every look at the input and "
                        "after every request, for the pod's probes ($heartbeat_file)")


def run(args: argparse.Namespace) -> int:
    import logging

    from ..data.tasks import get_task
    from ..kubeedge.edge_worker import EdgeWorker, WorkerOptions

    if not args.input:
        raise ValueError("edge-worker: no input: pass --input or set $input_text")
    if not args.output:
        raise ValueError("edge-worker: no output folder: pass --output or set $all_examples_inference_output")
    get_task(args.task)  # an unknown task names the known ones
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    opts = WorkerOptions(input=args.input, output=args.output, records=args.records, cloud_output=args.cloud_output,
                         edge_output=args.edge_output, cache_dir=args.cache_dir, task=args.task,
                         edge_config=args.edge_config, once=args.once, poll_s=args.poll_s,
                         cloud_timeout_s=args.cloud_timeout_s, heartbeat=args.heartbeat)
    return EdgeWorker(opts).run()
