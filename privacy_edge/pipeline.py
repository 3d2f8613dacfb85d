"""The per-sample workflow (DESIGN §1), split in the three steps Sedna calls: edge, route, cloud.

1. Edge: detect private information; when the router wants it, the edge model answers.
2. Route: no private information -> cloud as is; the edge answer is final when confident enough;
   otherwise sanitize at the edge (method by sensitivity level) and send only the sanitized text.
3. Cloud: the egress guard checks the payload, the cloud answers, the edge restores placeholders.

No step raises for a sample's failure: it is recorded in the sample's record and the run goes on.
A sample whose detection failed never goes to the cloud (its privacy is unknown).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import guard
from .detect.detector import Detection, Detector
from .data.tasks import is_task_question
from .llm.base import ChatModel, Generation, PartialAnswers, build_messages, payload_text, template_pieces
from .policy import Policy
from .record import Sample, Trace
from .routing import CLOUD_RAW, CLOUD_SANITIZED, EDGE, EdgeView, Router
from .sanitize.base import Sanitizer, protect_question

log = logging.getLogger(__name__)


def _short(err: BaseException) -> str:
    msg = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {msg}"[:300]


@dataclass
class EdgeSide:
    """What runs at the edge: the detector, the edge model and the sanitizers."""

    detector: Detector
    model: ChatModel | None
    sanitizers: dict[str, Sanitizer]
    _detections: dict = field(default_factory=dict, repr=False)
    _answers: dict = field(default_factory=dict, repr=False)

    def warm_up(self) -> None:
        """Load spaCy and build the sanitizers' tables: set-up errors surface here, and timings
        measure the work, not the loading."""
        self.detector.warm_up()
        for sanitizer in self.sanitizers.values():
            sanitizer.warm_up()

    def detect(self, samples: Sequence[Sample]) -> None:
        """Detect over many samples at once (spaCy batches); time is shared by text length."""
        todo = [s for s in samples if s.doc_id not in self._detections]
        if not todo:
            return
        self.warm_up()
        started = time.perf_counter()
        try:
            found = self.detector.detect_many([s.text for s in todo])
        except Exception:  # one bad text must not cost the others their detection
            found = None
        elapsed = time.perf_counter() - started
        if found is None:
            for s in todo:
                t0 = time.perf_counter()
                try:
                    self._detections[s.doc_id] = (self.detector.detect(s.text), time.perf_counter() - t0)
                except Exception as err:  # recorded by edge_step
                    self._detections[s.doc_id] = (err, time.perf_counter() - t0)
            return
        chars = sum(len(s.text) for s in todo) or 1
        for s, d in zip(todo, found):
            self._detections[s.doc_id] = (d, elapsed * len(s.text) / chars)

    def answer(self, samples: Sequence[Sample]) -> None:
        """Edge answers for many samples at once (the model batches them)."""
        todo = [s for s in samples if s.doc_id not in self._answers]
        if not todo or self.model is None:
            return
        try:
            gens = self.model.generate([build_messages(s.question, s.text) for s in todo])
            for s, g in zip(todo, gens):
                self._answers[s.doc_id] = g
        except PartialAnswers as err:  # each sample keeps its own answer or its own error
            for s, g in zip(todo, err.results):
                self._answers[s.doc_id] = g
        except Exception as err:
            if len(todo) == 1:
                self._answers[todo[0].doc_id] = err
                return
            for s in todo:  # find the sample that fails; the others still get answers
                self.answer([s])

    def detection_of(self, sample: Sample) -> tuple[Detection | Exception, float]:
        self.detect([sample])
        return self._detections[sample.doc_id]

    def answer_of(self, sample: Sample) -> Generation | Exception:
        self.answer([sample])
        return self._answers.get(sample.doc_id, RuntimeError("no edge model configured"))


class CollaborativeInference:
    """The §1 workflow over an edge side, a cloud model, a router with its threshold and a policy."""

    def __init__(self, edge: EdgeSide, cloud: ChatModel | None, router: Router, threshold: float, policy: Policy):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], got {threshold}")
        self.edge, self.cloud, self.router, self.threshold, self.policy = edge, cloud, router, threshold, policy

    # -- batching ------------------------------------------------------------------------------
    def prefetch(self, samples: Sequence[Sample]) -> None:
        """Detect for every sample, then let the edge model answer, in batches, where the router wants it."""
        self.edge.detect(samples)
        wanted = []
        for s in samples:
            det, _ = self.edge.detection_of(s)
            if isinstance(det, Detection) and self.router.needs_edge_answer(det.private):
                wanted.append(s)
        self.edge.answer(wanted)

    # -- the three steps -------------------------------------------------------------------------
    def edge_step(self, sample: Sample) -> Trace:
        trace = Trace(doc_id=sample.doc_id, sample=sample)
        det, seconds = self.edge.detection_of(sample)
        trace.timings_s["detect"] = seconds
        if isinstance(det, Exception):
            trace.fail(f"detection failed: {_short(det)}")
            return trace
        trace.detection = det
        trace.private = det.private
        trace.sensitivity = {"score": det.score, "level": det.level}
        trace.detected = det.to_dicts()
        if self.router.needs_edge_answer(det.private):
            gen = self.edge.answer_of(sample)
            if isinstance(gen, Exception):
                trace.edge = {"answer": None, "confidence": None, "tokens": 0, "error": _short(gen)}
            else:
                trace.edge = {"answer": gen.text, "confidence": gen.confidence, "tokens": gen.tokens,
                              "cached": gen.cached}
                trace.timings_s["edge"] = gen.seconds
        return trace

    def route(self, trace: Trace) -> bool:
        """Decide; prepare the egress when the cloud is asked. True means: ask the cloud."""
        if trace.detection is None:  # detection failed: the sample's privacy is unknown, nothing leaves
            trace.route = EDGE
            trace.answer = None
            return False
        confidence = trace.edge.get("confidence") if trace.edge else None
        view = EdgeView(trace.detection.private, trace.detection.level, confidence)
        trace.route = self.router.decide(view, self.threshold)
        if trace.route == EDGE:
            trace.answer = trace.edge.get("answer") if trace.edge else None
            if trace.answer is None:
                trace.fail("the edge model gave no answer")
            return False
        sample = trace.sample
        trace.payload_question = sample.question
        if trace.route == CLOUD_RAW:
            trace.method = {"name": "none", "params": {}}
            trace.payload = sample.text
            return True
        started = time.perf_counter()
        method = self.policy.method_for(trace.detection.level)
        try:
            sanitized = self.edge.sanitizers[method].sanitize(sample.text, trace.detection.spans)
            trace.sanitized = sanitized
            trace.method = {"name": method, "params": sanitized.params}
            trace.payload = sanitized.text
            if not is_task_question(sample.task, sample.question):  # a user's question: protected like the text
                trace.payload_question = protect_question(sample.question, sample.text, trace.detection.spans,
                                                          sanitized)
        except Exception as err:
            trace.method = {"name": method, "params": {}}
            trace.fail(f"sanitization failed: {_short(err)}")
            trace.payload = None
        trace.timings_s["sanitize"] = time.perf_counter() - started
        return True

    def cloud_step(self, trace: Trace) -> Trace:
        sample = trace.sample
        text = trace.payload
        if text is None or self.cloud is None:
            trace.fail("no cloud model configured" if self.cloud is None else "nothing safe to send")
            return trace
        placeholders = trace.method is not None and trace.method["name"] in ("mask", "dp")
        question = trace.payload_question or sample.question
        messages = build_messages(question, text, placeholders=placeholders)
        guarded = trace.route == CLOUD_SANITIZED
        forbidden = trace.detection.spans if (guarded and trace.detection) else ()
        public = template_pieces(question, placeholders, is_task_question(sample.task, question))
        with guard.forbid(forbidden, public=public):
            started = time.perf_counter()
            try:
                guard.check(payload_text(messages))  # before the client; the HTTP layer checks the bytes again
            except guard.EgressRefused as err:
                trace.fail(str(err))
                return trace
            finally:
                trace.timings_s["sanitize"] += time.perf_counter() - started
            started = time.perf_counter()
            try:
                gen = self.cloud.generate([messages])[0]
            except guard.EgressRefused as err:  # the HTTP layer's check of the exact bytes: nothing was sent
                trace.timings_s["cloud"] = time.perf_counter() - started
                trace.fail(str(err))
                return trace
            except Exception as err:
                trace.timings_s["cloud"] = time.perf_counter() - started
                trace.egress = payload_text(messages)  # it may have reached the server before the failure
                trace.fail(f"cloud failed: {_short(err)}")
                return trace
        trace.egress = payload_text(messages)
        trace.timings_s["cloud"] = gen.seconds
        trace.cloud = {"answer": gen.text, "tokens": gen.tokens, "prompt_tokens": gen.prompt_tokens,
                       "cached": gen.cached}
        started = time.perf_counter()
        trace.answer = trace.sanitized.restore(gen.text) if trace.sanitized else gen.text
        trace.timings_s["restore"] = time.perf_counter() - started
        return trace

    # -- without Ianvs -----------------------------------------------------------------------------
    def run(self, samples: Iterable[Sample], progress: bool = False) -> list[dict]:
        """All three steps for every sample; returns the records."""
        samples = list(samples)
        self.prefetch(samples)
        records = []
        iterator = samples
        if progress:
            from tqdm import tqdm

            iterator = tqdm(samples, desc="samples", unit="doc")
        for s in iterator:
            trace = self.edge_step(s)
            if self.route(trace):
                self.cloud_step(trace)
            records.append(trace.to_record())
        return records
