"""Candidate embedded cloud models: task accuracy on raw and on masked text, and seconds per answer.

    python bench/bench_cloud_models.py embedded                          # SmolLM2-135M-Instruct, 98 docs
    python bench/bench_cloud_models.py embedded /path/to/other.gguf --docs 40
    python bench/bench_cloud_models.py embedded:gemma3-270m              # an embedded model by name
    python bench/bench_cloud_models.py embedded embedded+Q8_0            # shipped Q4_1 vs a Q8_0 copy
    python bench/bench_cloud_models.py /path/x.gguf@gemma3-270m          # with that model's chat template

Each model is a GGUF path, ``embedded`` (the default embedded cloud model) or ``embedded:NAME``
(a model config.EMBEDDED_MODELS knows). Everything is the project's own: the documents are the
TAB test split cut to ``--max-chars`` characters (data/prepare.py, as the default job),
the task is ``--task`` (data/tasks.py; default ``respondent_state``), the prompt is
llm/base.build_messages (``placeholders=True`` for masked text), masked text is the ``mask``
sanitizer over the detector's spans, answers come from llm/openai_chat.OpenAIChat against a
LlamaServer started on 127.0.0.1 with that GGUF (one slot, greedy, the cloud's 48 max tokens),
and masked answers are restored (placeholders mapped back) before scoring, as the pipeline does.
No answer cache. Intervals are Wilson 95% score intervals. s/answer is wall time per request,
one request at a time, on this machine (the first request of each model is a warm-up, not timed).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privacy_edge.data.splits import test_file  # noqa: E402  ($TAB_DATA, else the official test split)



def wilson(k: float, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def resolve(model: str) -> tuple[str, Path, str]:
    """Label, GGUF path and chat template (llama.cpp's name; "" for the GGUF's own)."""
    from privacy_edge.llm.llama_server import DEFAULT_EMBEDDED_MODEL, EMBEDDED_MODELS, embedded_model_path

    if model == "embedded" or model.startswith(("embedded:", "embedded+")):
        model, _, weights = model.partition("+")  # embedded+Q8_0: re-quantized (llm/requantize.py)
        name = model.partition(":")[2] or DEFAULT_EMBEDDED_MODEL
        path = embedded_model_path(name)
        if weights:
            from privacy_edge.llm.requantize import requantized_path

            path = requantized_path(path, weights)
        return f"{name} [{path.name}]", path, EMBEDDED_MODELS[name].chat_template
    path, _, like = model.partition("@")  # PATH or PATH@NAME: with that embedded model's chat template
    path = Path(path).expanduser()
    if not path.is_file():
        raise SystemExit(f"no such GGUF: {path}")
    template = EMBEDDED_MODELS[like].chat_template if like else ""
    return path.name + (f" @{like}" if like else ""), path, template


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", help="GGUF paths, 'embedded' or 'embedded:NAME', '+Q8_0' re-quantized")
    ap.add_argument("--docs", type=int, default=0, help="documents (0: all of the split, 98)")
    ap.add_argument("--max-chars", type=int, default=2000)
    ap.add_argument("--task", default="respondent_state")
    ap.add_argument("--max-tokens", type=int, default=48)
    ap.add_argument("--tab", help="a TAB-layout test file (default: $TAB_DATA, else the official test split)")
    ap.add_argument("--threads", type=int, default=0, help="llama.cpp threads (0: as the project, all CPUs)")
    ap.add_argument("--verbose", action="store_true", help="print every answer")
    args = ap.parse_args()

    from privacy_edge import assemble
    from privacy_edge.data.prepare import prepare
    from privacy_edge.data.tasks import get_task
    from privacy_edge.llm.base import build_messages
    from privacy_edge.llm.llama_server import LlamaServer
    from privacy_edge.llm.openai_chat import OpenAIChat
    from privacy_edge.jsonl import read_jsonl

    task = get_task(args.task)
    with tempfile.TemporaryDirectory() as tmp:
        data, n = prepare([args.tab or test_file()], Path(tmp) / "data.jsonl", task=args.task, max_docs=args.docs,
                          max_chars=args.max_chars, background=None)
        records = list(read_jsonl(data))
        detector, mask = assemble.detector(), assemble.sanitizers(cache_dir=tmp)["mask"]
        cases = []  # (reference, raw messages, masked messages, sanitized)
        for r in records:
            q, a = r["question"], r["answer"]
            sanitized = mask.sanitize(q["text"], detector.detect(q["text"]).spans)
            cases.append((a["task"]["reference"], build_messages(q["question"], q["text"]),
                          build_messages(q["question"], sanitized.text, placeholders=True), sanitized))
        scored = [c for c in cases if c[0] is not None]
        print(f"{len(scored)} of {n} documents with a reference, cut to {args.max_chars} characters; task "
              f"{task.name}; {os.cpu_count()} CPU(s)")
        print(f"{'model':<44} {'n':>3}  {'raw [95% Wilson]':<22} {'masked [95% Wilson]':<22} {'s/answer':>8}")
        for model in args.models:
            label, path, template = resolve(model)
            server = LlamaServer(path, n_ctx=4096, n_parallel=1, threads=args.threads,
                                 chat_template=template).start()
            chat = OpenAIChat(server.base_url, "none", server.alias, max_tokens=args.max_tokens,
                              max_retries=0, timeout_s=600.0)
            try:
                chat.generate([scored[0][1]])  # warm-up
                hits = {"raw": 0.0, "masked": 0.0}
                seconds, answers = 0.0, 0
                for ref, raw, masked, sanitized in scored:
                    for kind, messages in (("raw", raw), ("masked", masked)):
                        started = time.perf_counter()
                        text = chat.generate([messages])[0].text
                        seconds += time.perf_counter() - started
                        answers += 1
                        answer = sanitized.restore(text) if kind == "masked" else text
                        score = task.score(answer, ref)
                        hits[kind] += score
                        if args.verbose:
                            print(f"  {kind:<6} {score:.0f} {ref} {text.strip()[:70]!r}")
            finally:
                chat.close()
                server.stop()
            m = len(scored)
            cells = []
            for kind in ("raw", "masked"):
                lo, hi = wilson(hits[kind], m)
                cells.append(f"{hits[kind] / m:.2f} [{lo:.2f}, {hi:.2f}]")
            print(f"{label:<44} {m:>3}  {cells[0]:<22} {cells[1]:<22} {seconds / answers:8.2f}", flush=True)


if __name__ == "__main__":
    main()
