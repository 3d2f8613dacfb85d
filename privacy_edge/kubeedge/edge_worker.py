"""The edge worker of the JointInferenceService: Sedna's ``JointInference`` around the benchmark's pipeline.

Per request Sedna calls (mining mode ``inference-then-mining``) the edge estimator, then the HEM on
its result, then, when the HEM says so, ``cloud.inference(data)`` with the *same* ``data`` it gave the
edge. Sedna's default ``cloud`` (a ``ModelClient``) would POST that data, the raw request, to the cloud
worker. So the worker passes ``JointInference`` a cloud of its own (``GuardedCloud``): it never sends
the data it is handed; it sends the trace the router prepared (the sanitized payload, or the raw text
of a request with nothing private) through the pipeline's cloud step, inside the egress guard, with
``SednaCloudChat``. Sedna's ``ModelClient`` is never built (docs/kubeedge.md, "The data hazard").
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import assemble
from ..config import ConfigError, EdgeSettings, build, read_yaml
from ..handoff import EdgeHandoff
from ..jsonl import write_jsonl
from ..record import Sample, Trace, short_error
from ..routing import CLOUD_RAW, CLOUD_SANITIZED, EDGE
from .cloud_client import SednaCloudChat
from .hem import HEM_NAME, parse_parameters, router_settings
from .inbox import BadRequest, Inbox, read_requests

log = logging.getLogger("privacy_edge.edge_worker")
MINING_MODE = "inference-then-mining"


class CurrentFile:
    """The pipeline of the input file being processed: the edge estimator, the guarded cloud and the
    router read it here (Sedna builds them once; each file gets a fresh pipeline)."""

    def __init__(self):
        self.pipeline = None

    def get(self):
        if self.pipeline is None:
            raise RuntimeError("no input file is being processed: the edge worker sets its pipeline first")
        return self.pipeline


class EdgeEstimator:
    """Sedna's edge estimator: the pipeline's edge step (detection, and the edge answer when routing needs it)."""

    def __init__(self, current: CurrentFile):
        self.current = current
        self.traces: dict[str, Trace] = {}

    def load(self, *args, **kwargs) -> None:
        """The worker builds the models before Sedna asks (the spaCy and edge-model packages, or a server)."""

    def predict(self, data: Sample, **kwargs) -> EdgeHandoff:
        trace = self.current.get().edge_step(data)
        self.traces[data.doc_id] = trace
        return EdgeHandoff(trace)


class GuardedCloud:
    """Stands where Sedna's ``ModelClient`` would. Sedna hands it the request it gave the edge; that is
    never sent: the router routed the request's trace, whose prepared payload goes out through the
    pipeline's cloud step (egress guard, then ``SednaCloudChat``, whose HTTP layer checks the bytes)."""

    def __init__(self, current: CurrentFile):
        self.current = current

    def inference(self, data, **kwargs) -> EdgeHandoff:
        pipeline = self.current.get()
        trace = pipeline.routed(getattr(data, "doc_id", None))
        if trace is None:  # only the router's decision may send anything
            raise RuntimeError("the cloud was asked for a request the router did not route to it; nothing was sent")
        return EdgeHandoff(pipeline.cloud_step(trace))


@dataclass
class WorkerOptions:
    input: str
    output: str
    records: str = ""  # default: <output>/records
    cloud_output: str = ""  # hard_example_cloud_inference_output
    edge_output: str = ""  # hard_example_edge_inference_output
    cache_dir: str = ""  # default: EdgeSettings.cache_dir
    task: str = "respondent_state"
    edge_config: str = ""  # a YAML file of EdgeModel settings
    once: bool = False
    poll_s: float = 2.0
    cloud_timeout_s: float = 120.0
    # A file written once the models are loaded, then touched at every look at the input and after every
    # request: what the pod's probes read (the worker serves no HTTP). Empty: none.
    heartbeat: str = ""


def _required_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"${name} is not set (Sedna's local controller sets it for the edge worker)")
    return value


class EdgeWorker:
    def __init__(self, opts: WorkerOptions):
        self.opts = opts
        # Everything a typo can break is checked before a model loads.
        self.hem_parameters = parse_parameters(os.environ.get("HEM_PARAMETERS"))
        self.router = router_settings(os.environ.get("HEM_NAME"), self.hem_parameters)
        mode = os.environ.get("MINING_MODE", MINING_MODE).strip()
        if mode != MINING_MODE:
            raise ConfigError(f"$MINING_MODE is {mode!r}: the router decides on the edge step's result, so the "
                              f"edge worker runs {MINING_MODE} only")
        host = _required_env("BIG_MODEL_IP")
        port_text = _required_env("BIG_MODEL_PORT")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ConfigError(f"$BIG_MODEL_PORT: {port_text!r} is not a TCP port")
        data = read_yaml(opts.edge_config) if opts.edge_config else {}
        if opts.cache_dir:
            data["cache_dir"] = opts.cache_dir
        s: EdgeSettings = build(EdgeSettings, data, opts.edge_config or "edge worker settings")
        self.settings = s

        # Every EdgeModel setting as the Ianvs module has it (the minimizer, the sanitizers' own
        # settings, batching); keyed by the workspace secret in cache_dir (keep it on the hostPath)
        # unless salt or seed is set.
        self.side = assemble.edge_side(s)
        self.side.detector.warm_up()  # a missing spaCy model fails here
        assemble.pipeline(self.side, None, self.router).warm_up()  # and the policy's sanitizers' models

        self.current = CurrentFile()
        self.estimator, self.cloud = EdgeEstimator(self.current), GuardedCloud(self.current)
        self.ji = self._joint_inference()
        self.hem = self.ji.hard_example_mining_algorithm
        self.hem.attach(self.current)
        self.cloud_chat = SednaCloudChat(host, int(port_text), self.ji.job_name, timeout_s=opts.cloud_timeout_s)
        log.info("edge worker ready: router %s, threshold %s, policy %s; cloud worker %s",
                 self.router.router, self.router.threshold, self.router.policy, self.cloud_chat.identity["endpoint"])

    def _joint_inference(self):
        os.environ.setdefault("BACKEND_TYPE", "TORCH")  # Sedna's torch backend passes load() through
        if not os.environ.get("model_path"):
            # Sedna refuses to start unless its model path exists; the models are the worker's own.
            url = os.environ.get("MODEL_URL", "")
            os.environ["model_path"] = url if url and os.path.exists(url) else os.getcwd()
        from sedna.common.class_factory import ClassFactory, ClassType
        from sedna.core.joint_inference import JointInference

        from .hem import PrivacyEdgeRouter

        if not ClassFactory.is_exists(ClassType.HEM, HEM_NAME):
            ClassFactory.register_cls(PrivacyEdgeRouter, ClassType.HEM, alias=HEM_NAME)
        return JointInference(estimator=self.estimator, cloud=self.cloud,
                              hard_example_mining={"method": HEM_NAME, "param": self.hem_parameters})

    # -- one input file -----------------------------------------------------------------------------
    def process(self, path: Path) -> list[dict]:
        """Every request of a file through Sedna; records, answers and hard-example outputs written.
        A request's failure is recorded in its own record and never stops the others."""
        requests = read_requests(path, self.opts.task)
        samples = [r for r in requests if isinstance(r, Sample)]
        # per file: no stale detections or answers across files
        self.current.pipeline = assemble.pipeline(self.side.fresh(), self.cloud_chat, self.router)
        self.estimator.traces.clear()
        if self.settings.batching:
            try:
                self.current.pipeline.prefetch(samples)  # detection and edge answers in batches
            except Exception:
                log.exception("batched edge step failed for %s; requests go one by one", path.name)
        traces = []
        for request in requests:
            traces.append(self._one(request))
            self.beat()
        records = [t.to_record() for t in traces]
        self._write(path, traces, records)
        routes = Counter(r["route"] for r in records)
        log.info("%s: %d requests, routes %s, %d failed", path.name, len(records), dict(routes),
                 sum(r["error"] is not None for r in records))
        return records

    def _one(self, request: Sample | BadRequest) -> Trace:
        if isinstance(request, BadRequest):
            trace = Trace(doc_id=request.doc_id)
            trace.fail(request.error)
            return trace
        try:
            _, _, edge_result, _ = self.ji.inference(request)
            return edge_result.trace
        except Exception as err:
            trace = self.estimator.traces.get(request.doc_id) or Trace(doc_id=request.doc_id, sample=request)
            trace.fail(f"edge worker failed: {short_error(err)}")
            log.warning("request %s failed: %s", request.doc_id, short_error(err))
            return trace

    def _write(self, path: Path, traces: list[Trace], records: list[dict]) -> None:
        name = f"{path.name}.jsonl"
        if self.router.write_records:
            write_jsonl(records, Path(self.opts.records or Path(self.opts.output) / "records") / name)
        write_jsonl(({"doc_id": r["doc_id"], "route": r["route"], "answer": r["answer"], "error": r["error"]}
                       for r in records), Path(self.opts.output) / name)
        if self.opts.cloud_output:
            write_jsonl(({"doc_id": t.doc_id, "route": t.route, "method": (t.method or {}).get("name"),
                            "cloud_answer": (t.cloud or {}).get("answer"), "answer": t.answer, "error": t.error}
                           for t in traces if t.route in (CLOUD_RAW, CLOUD_SANITIZED)),
                          Path(self.opts.cloud_output) / name)
        if self.opts.edge_output:
            write_jsonl(({"doc_id": t.doc_id, "answer": t.answer, "confidence": t.edge.get("confidence")}
                           for t in traces if t.route == EDGE and t.edge), Path(self.opts.edge_output) / name)

    def beat(self) -> None:
        """Touch the heartbeat file (its parent is made at start-up, so a bad path fails there)."""
        if self.opts.heartbeat:
            Path(self.opts.heartbeat).touch()

    def answers_path(self, path: Path) -> Path:
        return Path(self.opts.output) / f"{path.name}.jsonl"

    # -- the loop -----------------------------------------------------------------------------------
    def run(self) -> int:
        """Poll the input for new files (as Sedna's example does); with ``once``, take what is there and stop."""
        if not Path(self.opts.input).exists():
            raise FileNotFoundError(f"edge-worker: the input {self.opts.input} ($input_text) does not exist")
        inbox = Inbox(self.opts.input)
        if self.opts.heartbeat:
            Path(self.opts.heartbeat).parent.mkdir(parents=True, exist_ok=True)
        while True:
            self.beat()  # the first beat says: models loaded, input readable
            files = inbox.new_files()
            for path in files:
                done = self.answers_path(path)
                if done.exists() and done.stat().st_mtime_ns >= path.stat().st_mtime_ns:
                    log.info("%s: answered before (%s), skipped", path.name, done)
                    continue
                try:
                    self.process(path)
                except Exception:  # a file's failure never stops the worker
                    log.exception("%s: failed", path.name)
            if self.opts.once:
                return 0
            if not files:
                time.sleep(self.opts.poll_s)
