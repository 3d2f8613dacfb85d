"""One Ianvs test case as the library runs it: the parts the three Ianvs modules build, the pipeline
over them, the traces of the samples and the records written at the end.

Why a session: Sedna calls the three modules separately, one sample at a time, and gives the cloud
module the sample, not the router's decision (docs/architecture.md, "The Ianvs/Sedna contract").
So the state of a test case must live somewhere all three reach, and no module may depend on
another having been built first. Each module builds its own part and joins the session of the test
case being built (``join``); the pipeline is assembled on the first sample, when every part is
known. Ianvs builds and runs test cases one after another in one process: a role that is already
taken, or a closed session, means the next test case, which gets a new session.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Sequence

from .config import CloudSettings, ConfigError, EdgeSettings, RouterSettings, build
from .handoff import EdgeHandoff
from .profile import stage
from .record import Sample, Trace, write_run
from .routing import CLOUD_RAW

ROLES = ("edge", "cloud", "router")  # the parts a pipeline needs
DATASET = "dataset"  # the inference set, when the dataset processor makes it known (optional)


def public_hyperparameters(kwargs: dict) -> dict:
    """Hyperparameters as Ianvs writes them in rank CSV columns (values as str), without injected objects."""
    return {k: str(v) for k, v in kwargs.items() if isinstance(v, (str, int, float, bool, type(None), list, dict))}


def records_dir() -> Path:
    """Where Ianvs keeps this test case's outputs (it sets RESULT_SAVED_URL); ./workspace otherwise."""
    return Path(os.environ.get("RESULT_SAVED_URL") or "./workspace") / "records"


class RunSession:
    """The state of one test case: parts by role, the inference set, the pipeline and the traces."""

    def __init__(self) -> None:
        self.parts: dict[str, Any] = {}
        self.hyperparameters: dict[str, dict] = {}
        self.inference_set: tuple[Sample, ...] = ()
        self.traces: list[Trace] = []
        self.closed = False
        self._pipeline = None
        self._prefetched = False

    # -- building ------------------------------------------------------------------------------------
    def add(self, role: str, part: Any, hyperparameters: dict) -> None:
        if role == DATASET:
            self.expect(part)
        self.parts[role] = part
        self.hyperparameters[role] = public_hyperparameters(hyperparameters)

    def expect(self, samples: Sequence[Sample]) -> None:
        """The whole inference set, known before the first sample: the edge batches over it and the
        cloud requests go out together (see pipeline.py)."""
        self.inference_set = tuple(samples)
        if self._pipeline is not None:
            self._pipeline.inference_set = self.inference_set

    @property
    def pipeline(self):
        if self._pipeline is None:
            missing = [r for r in ROLES if r not in self.parts]
            if missing:
                raise ConfigError(f"this Ianvs test case lacks the {', '.join(missing)} module(s): the algorithm "
                                  "YAML needs edgemodel EdgeModel, cloudmodel CloudModelAPI and "
                                  "hard_example_mining OracleRouter")
            from . import assemble

            edge, cloud, router = self.parts["edge"], self.parts["cloud"], self.parts["router"]
            self._pipeline = assemble.pipeline(edge.side, cloud.model, router.settings, concurrency=cloud.concurrency)
            self._pipeline.warm_up()  # the policy's sanitizers: a missing model fails before any sample runs
            self._pipeline.inference_set = self.inference_set
        return self._pipeline

    # -- Sedna's three calls ---------------------------------------------------------------------------
    def edge_step(self, data: Any) -> EdgeHandoff:
        sample = Sample.from_question(data)
        pipe = self.pipeline
        if self.parts["edge"].batching and not self._prefetched:
            self._prefetched = True
            pipe.prefetch(self.inference_set or (sample,))
        trace = pipe.edge_step(sample)
        self.traces.append(trace)
        return EdgeHandoff(trace)

    def route(self, edge_result: Any) -> bool:
        if not isinstance(edge_result, EdgeHandoff):
            raise TypeError("OracleRouter expects the EdgeModel's result: set hard_example_mining_mode: "
                            "inference-then-mining in testenv.yaml")
        return self.pipeline.route(edge_result.trace)

    def cloud_step(self, data: Any) -> dict:
        """The record of a sample the router sent to the cloud; a sample it did not send is refused."""
        sample = Sample.from_question(data)
        pipe = self.pipeline
        trace = pipe.routed(sample.doc_id)
        if trace is None:  # never send a text whose privacy nobody checked
            trace = Trace(doc_id=sample.doc_id)
            trace.fail("cloud asked for a sample the router did not send; nothing was sent")
            return trace.to_record()
        if trace.route == CLOUD_RAW:  # nothing detected, or the cloud_only baseline: the raw text goes
            self.parts["cloud"].note_raw_egress("CloudModelAPI, route cloud_raw")
        return pipe.cloud_step(trace).to_record()

    # -- the end ---------------------------------------------------------------------------------------
    def finish(self, write: bool = True, directory: str | Path | None = None) -> Path | None:
        """Close the session; write its records and their manifest (hyperparameters of every module)."""
        self.closed = True
        traces, self.traces = self.traces, []
        models = self.models()
        self.parts.clear()  # the models and their caches go with the test case (y_pred keeps the traces)
        self._pipeline = None
        if not write:
            return None
        prefixes = {"edge": "edgemodel", "cloud": "cloudmodel", "router": "hard_example_mining"}
        manifest = {f"{prefixes[role]}-{k}": v for role in ROLES for k, v in self.hyperparameters.get(role, {}).items()}
        return write_run(traces, manifest, directory or records_dir(), models)

    def models(self) -> dict:
        """Which models this test case ran: the edge model, the spaCy pipeline, the embedder (a copy
        found installed, or the offline repack), and the cloud."""
        out = {}
        edge, cloud = self.parts.get("edge"), self.parts.get("cloud")
        if edge is not None:
            out["edge"] = str(edge)
            ner = edge.side.detector.ner
            out["ner"] = ner.model_name if ner is not None else "none"
            if any(m.startswith("minimize+") for m in self._policy_methods()):
                from .llm.embedder import embedder_name

                out["embedder"] = embedder_name()
        if cloud is not None:
            out["cloud"] = str(cloud)
        return out

    def _policy_methods(self) -> list[str]:
        return self._pipeline.policy.methods() if self._pipeline is not None else []


_current: RunSession | None = None
_lock = threading.Lock()


def join(role: str, part: Any, hyperparameters: dict | None = None) -> RunSession:
    """Add a module's part (or, for ``dataset``, the inference set) to the session of the test case
    being built: a role already taken means a new test case, so a new session."""
    global _current
    if role not in (*ROLES, DATASET):
        raise ValueError(f"role must be one of {(*ROLES, DATASET)}, got {role!r}")
    hyperparameters = hyperparameters or {}
    with _lock:
        if _current is None or _current.closed or role in _current.parts:
            _current = RunSession()
        _current.add(role, part, hyperparameters)
        return _current


# -- the parts each module builds ----------------------------------------------------------------------

def settings_of(model, kwargs: dict, module: str):
    """A module's hyperparameters, validated: Ianvs drops nothing here, an unknown key is an error."""
    return build(model, kwargs, f"{module} hyperparameters")


class EdgePart:
    """The edge module's part: detector, edge model, sanitizers and minimizer (``EdgeSide``), batching."""

    def __init__(self, kwargs: dict):
        from . import assemble

        s: EdgeSettings = settings_of(EdgeSettings, kwargs, "EdgeModel")
        # served when $EDGE_API_BASE is set; sanitizers keyed by the workspace secret in cache_dir
        # unless the YAML sets a salt or seed
        with stage("models: edge and detector"):
            self.side = assemble.edge_side(s)
            self.side.detector.warm_up()  # a missing spaCy model fails here, before any sample runs
        self.batching = s.batching

    @property
    def model_directory(self) -> str | None:
        source = getattr(self.side.model.model, "source", None)
        return source.directory if source else None

    def __str__(self) -> str:
        identity = self.side.model.identity
        return f"EdgeModel({identity['backend']}, {identity['model']})"


class CloudPart:
    """The cloud module's part: the cloud model behind the answer cache, and requests in flight."""

    def __init__(self, kwargs: dict):
        from . import assemble

        s: CloudSettings = settings_of(CloudSettings, kwargs, "CloudModelAPI")
        with stage("models: cloud"):
            self.cloud, self.model = assemble.cloud_model(s)
        self.concurrency = s.concurrency

    def note_raw_egress(self, where: str) -> None:
        self.cloud.note_raw_egress(where)

    def close(self) -> None:
        self.cloud.close()

    def __str__(self) -> str:
        weights = self.cloud.identity.get("weights")
        return f"CloudModelAPI({self.cloud.identity['backend']}, {self.cloud.model}{', ' + weights if weights else ''})"


class RouterPart:
    """The router module's part: its settings (router, threshold, policy, the router's own), records."""

    def __init__(self, kwargs: dict):
        self.settings: RouterSettings = settings_of(RouterSettings, kwargs, "OracleRouter")
        self.write_records = self.settings.write_records
