"""The per-sample workflow (docs/architecture.md, "The workflow"), in the three steps Sedna calls: edge, route, cloud.

1. Edge: detect private information; when the router wants it, the edge model answers.
2. Route: no private information -> cloud as is; the edge answer is final when confident enough;
   otherwise sanitize at the edge (method by sensitivity level) and send only the sanitized text.
3. Cloud: the egress guard checks the payload, the cloud answers, the edge restores placeholders.

No step raises for a sample's failure: it is recorded in the sample's record and the run goes on.
A sample whose detection failed never goes to the cloud (its privacy is unknown).

Cloud requests go out concurrently, up to ``concurrency`` in flight (``dispatch``). Sedna asks the
cloud one sample at a time, so on its first cloud call ``cloud_step`` routes every sample of the
inference set not seen yet (routing needs only the edge step), sends all cloud-bound payloads at
once, and serves the later per-sample calls (``edge_step``, ``route``, ``cloud_step``) from those
traces: the records are the ones the sequential path writes. Each request runs in a copy of the
caller's context and enters the egress guard for its own sample inside its worker thread.
"""

from __future__ import annotations

import contextvars
import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence, TypeVar

from . import guard, matching
from .detect.config import LEVELS
from .detect.detector import Detection, Detector
from .data.tasks import is_task_question
from .llm.base import ChatModel, Generation, PartialAnswers, build_messages, payload_text, template_pieces
from .policy import MINIMIZE, Policy, base_method
from .profile import stage
from .progress import bar
from .record import Sample, Trace, short_error
from .routing import CLOUD_RAW, CLOUD_SANITIZED, EDGE, EdgeView, Router
from .protected import protected_values
from .sanitize.base import Sanitizer, protect_question
from .sanitize.minimize import Minimizer
from .spans import Span, resolve_overlaps

log = logging.getLogger(__name__)


T = TypeVar("T")
R = TypeVar("R")


def in_threads(fn: Callable[[T], R], items: Sequence[T], concurrency: int, desc: str) -> list[R | Exception]:
    """``fn`` over ``items`` with up to ``concurrency`` calls in flight; results (or the exception a call
    raised) in input order. Each call runs in a copy of the caller's context: a thread does not inherit
    context variables, and the egress guard keeps what it refuses in one. With concurrency 1 (or one
    item) the calls run one after another in the caller's thread."""
    out: list = [None] * len(items)
    progress = bar(total=len(items), desc=desc, unit="req")

    def one(i: int) -> None:
        try:
            out[i] = fn(items[i])
        except Exception as err:  # recorded by the caller, per item
            out[i] = err

    try:
        if concurrency <= 1 or len(items) <= 1:
            for i in range(len(items)):
                one(i)
                progress.update()
            return out
        with ThreadPoolExecutor(max_workers=min(concurrency, len(items)), thread_name_prefix="cloud") as pool:
            futures = [pool.submit(contextvars.copy_context().run, one, i) for i in range(len(items))]
            for _ in as_completed(futures):
                progress.update()
        return out
    finally:
        progress.close()


def in_chunks(items: Sequence[T], size: int, desc: str, step: Callable[[Sequence[T]], None]) -> None:
    """``step`` over consecutive chunks of ``size`` items, with a progress bar over the items."""
    with bar(total=len(items), desc=desc) as progress:
        for k in range(0, len(items), size):
            step(items[k : k + size])
            progress.update(len(items[k : k + size]))


def with_question(detector: Detector, sample: Sample, det: Detection) -> tuple[Detection, tuple[Span, ...]]:
    """The text's detection widened by what a user's question holds, and the question's own spans.

    A value the question names is private even where the text's detection missed it: its occurrences
    in the text become spans there too (so the sanitizer covers them), and the sample's level is the
    higher of the two."""
    q = detector.detect(sample.question)
    if not q.private:
        return det, ()
    protected = protected_values(sample.question, q.spans)  # the values and their aliases (a surname)
    extra = [Span(o.start, o.end, protected[o.key][1], 1.0, "question", text=sample.text[o.start : o.end])
             for o in matching.occurrences(sample.text, [v for v, *_ in protected.values()])]
    spans = tuple(resolve_overlaps([*det.spans, *extra], sample.text)) if extra else det.spans
    level = max(det.level, q.level, key=LEVELS.index)
    return Detection(spans, max(det.score, q.score), level), q.spans


@dataclass
class EdgeSide:
    """What runs at the edge: the detector, the edge model, the sanitizers and the minimizer (for the
    ``minimize+METHOD`` policies)."""

    detector: Detector
    model: ChatModel | None
    sanitizers: dict[str, Sanitizer]
    minimizer: Minimizer = field(default_factory=Minimizer)
    _detections: dict = field(default_factory=dict, repr=False)
    _answers: dict = field(default_factory=dict, repr=False)

    def fresh(self) -> "EdgeSide":
        """The same parts with nothing detected or answered yet (one input file, one test case)."""
        return EdgeSide(self.detector, self.model, self.sanitizers, self.minimizer)

    def warm_up(self, methods: Iterable[str] | None = None) -> None:
        """Load spaCy and build the tables of the sanitizers of ``methods`` (None: all; a
        ``minimize+`` method also loads the minimizer's model): set-up errors surface here, and
        timings measure the work, not the loading."""
        self.detector.warm_up()
        names = list(self.sanitizers) if methods is None else list(dict.fromkeys(methods))
        for method in names:
            self.sanitizers[base_method(method)].warm_up()
            if method.startswith(MINIMIZE):
                self.minimizer.warm_up()

    def detect(self, samples: Sequence[Sample], chunk: int = 32) -> None:
        """Detect over many samples at once (spaCy batches, ``chunk`` texts a call, with a progress
        bar); time is shared by text length."""
        todo = [s for s in samples if s.doc_id not in self._detections]
        if not todo:
            return
        self.detector.warm_up()
        if len(todo) > chunk:
            in_chunks(todo, chunk, "edge: detection", self._detect)
            return
        self._detect(todo)

    def _detect(self, todo: Sequence[Sample]) -> None:
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
        """Edge answers for many samples at once (the model batches them), with a progress bar: the
        samples are sorted by length and given to the model one batch at a time."""
        todo = [s for s in samples if s.doc_id not in self._answers]
        if not todo or self.model is None:
            return
        size = getattr(getattr(self.model, "model", self.model), "batch_size", 0)
        if isinstance(size, int) and 0 < size < len(todo):
            todo = sorted(todo, key=lambda s: len(s.text))  # what the model does to keep padding small
            in_chunks(todo, size, "edge: answers", self._answer)
            return
        self._answer(todo)

    def _answer(self, todo: Sequence[Sample]) -> None:
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
                self._answer([s])

    def detection_of(self, sample: Sample) -> tuple[Detection | Exception, float]:
        self.detect([sample])
        return self._detections[sample.doc_id]

    def answer_of(self, sample: Sample) -> Generation | Exception:
        self.answer([sample])
        return self._answers.get(sample.doc_id, RuntimeError("no edge model configured"))


class CollaborativeInference:
    """The workflow over an edge side, a cloud model, a router with its threshold and a policy."""

    def __init__(self, edge: EdgeSide, cloud: ChatModel | None, router: Router, threshold: float, policy: Policy,
                 concurrency: int = 1):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], got {threshold}")
        if not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be an integer >= 1, got {concurrency!r}")
        self.edge, self.cloud, self.router, self.threshold, self.policy = edge, cloud, router, threshold, policy
        self.concurrency = concurrency
        self.inference_set: tuple[Sample, ...] = ()  # the whole set, when known: the cloud goes ahead with it
        # Serving Sedna's per-sample calls (see cloud_step): samples whose edge step ran, traces routed to
        # the cloud and not sent yet, and traces prepared ahead with their decision (sent when True).
        self._stepped: set[str] = set()
        self._pending: dict[str, Trace] = {}
        self._ahead: dict[str, tuple[Trace, bool]] = {}
        self._went_ahead = False

    # -- batching ------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """The detector and what the policy may use, loaded now (see ``EdgeSide.warm_up``)."""
        self.edge.warm_up(self.policy.methods())

    def prefetch(self, samples: Sequence[Sample]) -> None:
        """Detect for every sample, then let the edge model answer, in batches, where the router wants it."""
        self.warm_up()
        with stage("detection"):
            self.edge.detect(samples)
        wanted = []
        for s in samples:
            det, _ = self.edge.detection_of(s)
            if isinstance(det, Detection) and self.router.needs_edge_answer(det.private):
                wanted.append(s)
        with stage("edge answers"):
            self.edge.answer(wanted)

    # -- the three steps -------------------------------------------------------------------------
    def edge_step(self, sample: Sample) -> Trace:
        ahead = self._ahead.get(sample.doc_id)
        if ahead is not None:  # prepared with the set at the first cloud call (doc_ids are unique in a set)
            return ahead[0]
        trace = self._edge_step(sample)
        self._stepped.add(sample.doc_id)
        return trace

    def _edge_step(self, sample: Sample) -> Trace:
        trace = Trace(doc_id=sample.doc_id, sample=sample)
        det, seconds = self.edge.detection_of(sample)
        trace.timings_s["detect"] = seconds
        if isinstance(det, Exception):
            trace.fail(f"detection failed: {short_error(det)}")
            return trace
        if not is_task_question(sample.task, sample.question):  # a user's question may name someone too
            started = time.perf_counter()
            det, trace.question_spans = with_question(self.edge.detector, sample, det)
            trace.timings_s["detect"] += time.perf_counter() - started
        trace.detection = det
        trace.private = det.private or bool(trace.question_spans)
        trace.sensitivity = {"score": det.score, "level": det.level}
        trace.detected = det.to_dicts()
        if self.router.needs_edge_answer(trace.private):
            gen = self.edge.answer_of(sample)
            if isinstance(gen, Exception):
                trace.edge = {"answer": None, "confidence": None, "tokens": 0, "error": short_error(gen)}
            else:
                trace.edge = {"answer": gen.text, "confidence": gen.confidence, "tokens": gen.tokens,
                              "cached": gen.cached}
                trace.timings_s["edge"] = gen.seconds
        return trace

    def route(self, trace: Trace) -> bool:
        """Decide; prepare the egress when the cloud is asked. True means: ask the cloud."""
        ahead = self._ahead.get(trace.doc_id)
        if ahead is not None and ahead[0] is trace:  # decided with the set at the first cloud call
            if not ahead[1]:
                del self._ahead[trace.doc_id]  # nothing left to serve for it
            return ahead[1]
        ask = self._route(trace)
        if ask:
            self._pending[trace.doc_id] = trace
        return ask

    def _route(self, trace: Trace) -> bool:
        if trace.detection is None:  # detection failed: the sample's privacy is unknown, nothing leaves
            trace.route = EDGE
            trace.answer = None
            return False
        confidence = trace.edge.get("confidence") if trace.edge else None
        view = EdgeView(trace.private, trace.detection.level, confidence)
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
            text, spans, minimized = sample.text, trace.detection.spans, None
            if method.startswith(MINIMIZE):  # keep what the question needs, then protect that
                minimized = self.edge.minimizer.minimize(text, sample.question, spans)
                text, spans = minimized.text, minimized.spans
            sanitized = self.edge.sanitizers[base_method(method)].sanitize(text, spans)
            trace.sanitized = sanitized
            trace.method = {"name": method, "params": sanitized.params}
            if minimized is not None:
                trace.method["params"] = {**sanitized.params, "minimize": minimized.params}
            trace.payload = sanitized.text
            if not is_task_question(sample.task, sample.question):  # a user's question: protected like the text
                trace.payload_question = protect_question(sample.question, sample.text, trace.detection.spans,
                                                          sanitized, trace.question_spans)
        except Exception as err:
            trace.method = {"name": method, "params": {}}
            trace.fail(f"sanitization failed: {short_error(err)}")
            trace.payload = None
        trace.timings_s["sanitize"] = time.perf_counter() - started
        return True

    def routed(self, doc_id: str) -> Trace | None:
        """The trace that ``route`` sent to the cloud for ``doc_id`` and ``cloud_step`` has not served yet."""
        ahead = self._ahead.get(doc_id)
        if ahead is not None and ahead[1]:
            return ahead[0]
        return self._pending.get(doc_id)

    def cloud_step(self, trace: Trace) -> Trace:
        """Sedna's per-sample cloud call. With concurrency > 1 and a known inference set, the first call
        routes every sample not seen yet and sends all cloud-bound payloads concurrently
        (``go_ahead``); this call and the later ones are then served from those traces."""
        ahead = self._ahead.get(trace.doc_id)
        if ahead is None and self.concurrency > 1 and not self._went_ahead and len(self.inference_set) > 1:
            self.go_ahead(self.inference_set)
            ahead = self._ahead.get(trace.doc_id)
        if ahead is not None and ahead[0] is trace and ahead[1]:
            del self._ahead[trace.doc_id]
            return trace
        self._pending.pop(trace.doc_id, None)
        with stage("cloud requests"):
            return self._send(trace)

    def go_ahead(self, samples: Sequence[Sample]) -> None:
        """Edge step and route every sample not seen yet, then send the cloud-bound payloads of those and
        of the samples routed but not sent yet, up to ``concurrency`` at a time. A sample whose
        preparation raises is left to the per-sample path, which records its failure there."""
        self._went_ahead = True
        todo = [s for s in samples if s.doc_id not in self._stepped and s.doc_id not in self._ahead]
        for s in bar(todo, desc="route: the set, before its cloud requests"):
            try:
                trace = self._edge_step(s)
                ask = self._route(trace)
            except Exception:
                log.exception("preparing %s ahead failed; it goes the per-sample way", s.doc_id)
                continue
            self._stepped.add(s.doc_id)
            self._ahead[s.doc_id] = (trace, ask)
        bound = list(self._pending.values()) + [t for t, ask in self._ahead.values() if ask]
        self._pending.clear()
        self.dispatch(bound)
        for t in bound:
            self._ahead[t.doc_id] = (t, True)

    def dispatch(self, traces: Sequence[Trace]) -> None:
        """The cloud step of many traces, up to ``concurrency`` requests in flight. A payload equal to an
        earlier one in the list waits for that one to finish (it is then answered from the cache, as
        it would be one after another); a failure is recorded in its own trace."""
        first, later, seen = [], [], set()
        for t in traces:
            key = (t.route, t.payload, t.payload_question, (t.method or {}).get("name"))
            (later if key in seen else first).append(t)
            seen.add(key)
        with stage("cloud requests"):
            for wave in (first, later):
                for t, result in zip(wave, in_threads(self._send, wave, self.concurrency, "cloud: requests")):
                    if isinstance(result, Exception):  # _send records its own failures: a bug, but one sample's
                        t.fail(f"cloud failed: {short_error(result)}")

    def _send(self, trace: Trace) -> Trace:
        sample = trace.sample
        text = trace.payload
        if text is None or self.cloud is None:
            trace.fail("no cloud model configured" if self.cloud is None else "nothing safe to send")
            return trace
        placeholders = trace.sanitized is not None and self.edge.sanitizers[base_method(trace.method["name"])].placeholders
        question = sample.question if trace.payload_question is None else trace.payload_question
        messages = build_messages(question, text, placeholders=placeholders)
        guarded = trace.route == CLOUD_SANITIZED
        forbidden = ((*guard.as_shown(sample.text, trace.detection.spans), *trace.question_spans)
                     if (guarded and trace.detection) else ())
        public = template_pieces(question, placeholders, is_task_question(sample.task, question))
        with guard.forbid(forbidden, public=public):
            try:
                guard.check(payload_text(messages))  # before the client; the HTTP layer checks the bytes again
            except guard.EgressRefused as err:
                trace.timings_s["guard"] = guard.seconds()
                trace.fail(str(err))
                return trace
            started, before = time.perf_counter(), guard.seconds()
            try:
                gen = self.cloud.generate([messages])[0]
            except guard.EgressRefused as err:  # the HTTP layer's check of the exact bytes: nothing was sent
                trace.timings_s["guard"] = guard.seconds()
                trace.timings_s["cloud"] = max(0.0, time.perf_counter() - started - (guard.seconds() - before))
                trace.fail(str(err))
                return trace
            except Exception as err:
                trace.timings_s["guard"] = guard.seconds()
                trace.timings_s["cloud"] = max(0.0, time.perf_counter() - started - (guard.seconds() - before))
                trace.egress = payload_text(messages)  # it may have reached the server before the failure
                trace.fail(f"cloud failed: {short_error(err)}")
                return trace
            in_client = guard.seconds() - before  # the HTTP layer's check, inside the cloud call's time
            trace.timings_s["guard"] = guard.seconds()
        trace.egress = payload_text(messages)
        trace.timings_s["cloud"] = max(0.0, gen.seconds - in_client)
        trace.cloud = {"answer": gen.text, "tokens": gen.tokens, "prompt_tokens": gen.prompt_tokens,
                       "cached": gen.cached}
        started = time.perf_counter()
        trace.answer = trace.sanitized.restore(gen.text) if trace.sanitized else gen.text
        trace.timings_s["restore"] = time.perf_counter() - started
        return trace

    # -- without Ianvs -----------------------------------------------------------------------------
    def run(self, samples: Iterable[Sample], progress: bool = False) -> list[dict]:
        """All three steps for every sample, the cloud requests ``concurrency`` at a time; returns the
        records, in input order."""
        samples = list(samples)
        self.prefetch(samples)
        iterator = samples
        if progress:
            from tqdm import tqdm

            iterator = tqdm(samples, desc="edge step and route", unit="doc")
        traces, bound = [], []
        for s in iterator:
            trace = self._edge_step(s)
            if self._route(trace):
                bound.append(trace)
            traces.append(trace)
        self.dispatch(bound)
        return [t.to_record() for t in traces]
