"""Speed of every stage, and of the whole default job cold and warm. Prints figures; asserts nothing.

    python bench/bench_pipeline.py                   # stages on data/tab/test_data.jsonl, then the job twice
    python bench/bench_pipeline.py --skip-job        # stages only
    python bench/bench_pipeline.py --docs 32         # stage figures over more documents

Stages: detect (spaCy batched), sanitize (each method), edge (the embedded model, batched; on CUDA
also batch 1 vs the configured batch side by side), cloud (the embedded llama.cpp server),
metrics. The job part runs `ianvs -f benchmarkingjob.yaml` with a fresh cache (cold), then again
(warm), and reports both wall times, their ratio, TI from the records, and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rows(path: Path, n: int) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return rows[:n] if n else rows


def _line(name: str, docs: int, seconds: float, extra: str = "") -> None:
    rate = docs / seconds if seconds > 0 else float("inf")
    print(f"  {name:<28} {docs:>5} docs {seconds:>9.3f} s {rate:>10.2f} docs/s {1000 * seconds / max(docs, 1):>10.1f} ms/doc  {extra}")


def bench_stages(rows: list[dict], batch_size: int, edge_tokens: int) -> None:
    from privacy_edge import assemble
    from privacy_edge.llm.base import build_messages, payload_text
    from privacy_edge.llm.cloud import CloudModel
    from privacy_edge.llm.huggingface import EMBEDDED, HuggingFaceChat
    from privacy_edge.metrics import METRICS, load_all
    from privacy_edge.metrics.settings import MetricSettings
    from privacy_edge.record import Sample

    samples = [Sample.from_question(r["question"]) for r in rows]
    gold = [r["answer"] for r in rows]
    texts = [s.text for s in samples]
    words = sum(len(t.split()) for t in texts)
    print(f"stages over {len(samples)} documents ({words:,} words):")

    det = assemble.detector()
    det.warm_up()
    t = time.perf_counter()
    detections = det.detect_many(texts)
    _line("detect (nlp.pipe batches)", len(texts), time.perf_counter() - t, f"{words / (time.perf_counter() - t):,.0f} words/s")

    sanitizers = assemble.sanitizers(cache_dir=str(ROOT / "workspace" / "cache"))  # keyed as the job keys them
    for name, sanitizer in sanitizers.items():
        sanitizer.sanitize(texts[0], detections[0].spans)  # builds any one-off tables (DP vocabulary)
        t = time.perf_counter()
        for text, d in zip(texts, detections):
            sanitizer.sanitize(text, d.spans)
        _line(f"sanitize: {name}", len(texts), time.perf_counter() - t)

    chat = HuggingFaceChat(EMBEDDED, max_new_tokens=edge_tokens, batch_size=batch_size)
    prompts = [build_messages(s.question, s.text) for s in samples]
    chat.generate(prompts[:1])  # load the weights outside the timing
    t = time.perf_counter()
    chat.generate(prompts)
    _line(f"edge: batch {batch_size} ({chat.device})", len(prompts), time.perf_counter() - t)
    one = HuggingFaceChat(EMBEDDED, max_new_tokens=edge_tokens, batch_size=1)  # side by side, same run
    t = time.perf_counter()
    one.generate(prompts)
    _line(f"edge: batch 1 ({one.device})", len(prompts), time.perf_counter() - t)
    if chat.device.startswith("cuda"):
        plain = HuggingFaceChat(EMBEDDED, max_new_tokens=edge_tokens, batch_size=1, cache_implementation="dynamic")
        plain.generate(prompts[:1])
        t = time.perf_counter()
        plain.generate(prompts)
        _line("edge: batch 1, dynamic cache", len(prompts), time.perf_counter() - t, "(the plain baseline)")

    cloud = CloudModel()
    cloud.generate(prompts[:1])  # start the server outside the timing
    t = time.perf_counter()
    cloud.generate(prompts)
    _line("cloud: embedded llama.cpp", len(prompts), time.perf_counter() - t)
    cloud.close()

    # Metrics on records whose egress is the masked text (what a cloud_sanitized run sends).
    records = []
    for s, d in zip(samples, detections):
        egress = payload_text(build_messages(s.question, sanitizers["mask"].sanitize(s.text, d.spans).text, True))
        records.append({"doc_id": s.doc_id, "detected": d.to_dicts(), "egress": egress, "answer": None,
                        "timings_s": {"detect": 0.01, "sanitize": 0.01, "restore": 0.0, "total": 1.0}})
    load_all()
    settings = MetricSettings(background=str(ROOT.parent / "shared/tab/background_public.json"))
    METRICS.get("CPP")(records[:1], gold[:1], settings)  # load MiniLM outside the timing
    for name in ("PDR", "SELS", "LO", "TI", "CPP", "ASR-Link"):
        t = time.perf_counter()
        METRICS.get(name)(records, gold, settings)
        _line(f"metric: {name}", len(records), time.perf_counter() - t,
              "incl. building the TF-IDF index" if name == "ASR-Link" else "")
    print("  (ASR-LLM and APR cost one cloud call per distinct egress / per document, as in the cloud line)")


def _job(job: str, env: dict) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "ianvs"), "-f", job], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:])
        raise SystemExit(f"the job failed (exit {proc.returncode})")
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def bench_job(job: str) -> None:
    from privacy_edge.metrics.performance import ti
    from privacy_edge.jsonl import read_jsonl

    workspace = ROOT / "workspace" / "tab_privacy"
    cache = ROOT / "workspace" / "cache"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    print(f"\nthe default job ({job}), cold then warm:")
    cold, rss = _job(job, env)
    print(f"  cold (empty cache)          {cold:9.1f} s   peak RSS {rss / 1024:,.0f} MiB")
    tis = [ti(read_jsonl(f), []) for f in sorted(workspace.glob("*/records/*.jsonl"))]
    shutil.rmtree(workspace, ignore_errors=True)
    warm, rss = _job(job, env)
    print(f"  warm (cache from cold run)  {warm:9.1f} s   peak RSS {rss / 1024:,.0f} MiB")
    print(f"  warm speed-up               {cold / warm:9.1f} x")
    if tis:
        print(f"  TI (privacy share of time)  max {max(tis):.4f}, mean {sum(tis) / len(tis):.4f} over {len(tis)} test cases")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "data/tab/test_data.jsonl"))
    ap.add_argument("--docs", type=int, default=16, help="documents for the stage figures (0 = all)")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--edge-tokens", type=int, default=32)
    ap.add_argument("--job", default="benchmarkingjob.yaml")
    ap.add_argument("--skip-job", action="store_true")
    args = ap.parse_args()
    import torch

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
          f"cuda: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}")
    data = Path(args.data)
    if not data.exists():
        raise SystemExit(f"{data}: no dataset; run `make data` first")
    bench_stages(_rows(data, args.docs), args.batch_size, args.edge_tokens)
    print(f"  peak RSS of this process    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    if not args.skip_job:
        bench_job(args.job)


if __name__ == "__main__":
    main()
