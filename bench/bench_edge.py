"""Edge model speed, cold and warm: each configuration in a fresh process, as an Ianvs job meets it.

    python bench/bench_edge.py --model DIR --prompts data/tab/test_data.jsonl --device cuda
    python bench/bench_edge.py --model DIR --prompts FILE --device cpu --docs 3 \\
        --configs "batch1:batch_size=1,cache_implementation=dynamic" "default:"

A job answers the whole set once per process, so its cost is the first pass (compiling included),
not the warm speed. Per configuration (``LABEL:key=value,...``, keys of ``HuggingFaceChat``) this
prints load seconds, first pass seconds, warm docs/s, shapes run and peak memory (GPU when on
CUDA, else the process's RSS), then batch 1, the default and the best cold and warm configurations.
``--model``: a model folder (config, tokenizer, weights; random weights are fine for timing, see
``../shared/gpu/make_random_model.py``) or ``embedded:smollm2-135m-instruct``. ``--prompts``: JSONL
from ``python -m privacy_edge prepare``. Imports nothing that imports spaCy (a GPU machine has none).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CONFIGS = ["batch1:batch_size=1,cache_implementation=dynamic", "default:",
                   "static:cache_implementation=static", "dynamic:cache_implementation=dynamic"]


def parse_config(spec: str) -> tuple[str, dict]:
    label, _, rest = spec.partition(":")
    options = {}
    for item in filter(None, rest.split(",")):
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"config {spec!r}: {item!r} is not key=value")
        options[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return label or "default", options


def read_prompts(path: Path, docs: int) -> list[list[dict]]:
    from privacy_edge.llm.base import build_messages

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:docs] if docs else rows
    return [build_messages(r["question"]["question"], r["question"]["text"]) if isinstance(r["question"], dict)
            else build_messages(r["question"], r["text"]) for r in rows]


def measure(args, spec: str) -> dict:
    """One configuration, in this process (run by the parent in a fresh one)."""
    import torch

    from privacy_edge.llm.huggingface import HuggingFaceChat

    label, options = parse_config(spec)
    prompts = read_prompts(Path(args.prompts), args.docs)
    chat = HuggingFaceChat(args.model, device=args.device, max_new_tokens=args.max_new_tokens, **options)
    cuda = chat.device.startswith("cuda")
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    t = time.perf_counter()
    chat._loaded()
    sync()
    load = time.perf_counter() - t
    t = time.perf_counter()
    first = chat.generate(prompts)
    sync()
    first_s = time.perf_counter() - t
    shapes = sorted({b.shape for b in chat.last_plan}, key=str)
    t = time.perf_counter()
    warm = chat.generate(prompts)
    sync()
    warm_s = time.perf_counter() - t
    peak = torch.cuda.max_memory_allocated() / 2**20 if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"label": label, "options": options, "device": chat.device, "docs": len(prompts),
            "prompt_tokens": sum(g.prompt_tokens for g in first) / max(1, len(first)),
            "load_s": load, "first_s": first_s, "warm_s": warm_s, "warm_docs_s": len(prompts) / warm_s,
            "batches": len(chat.last_plan), "shapes": len(shapes), "static": bool(chat._compiled), "peak_mib": peak,
            "peak_kind": "GPU" if cuda else "RSS", "same_answers": [g.text for g in first] == [g.text for g in warm],
            "spacy_imported": "spacy" in sys.modules}


def run_fresh(args, spec: str) -> dict:
    cmd = [sys.executable, __file__, "--one", spec, "--model", args.model, "--prompts", args.prompts,
           "--device", args.device, "--docs", str(args.docs), "--max-new-tokens", str(args.max_new_tokens)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if proc.returncode != 0:
        return {"label": parse_config(spec)[0], "error": (proc.stderr or proc.stdout)[-600:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def line(r: dict, tag: str = "") -> str:
    if "error" in r:
        return f"  {tag + r['label']:<26} FAILED: {r['error'].strip().splitlines()[-1]}"
    return (f"  {tag + r['label']:<26} load {r['load_s']:7.1f} s  first pass {r['first_s']:8.2f} s "
            f"({r['docs'] / r['first_s']:7.2f} docs/s)  warm {r['warm_docs_s']:8.2f} docs/s  "
            f"{r['batches']:>3} batches, {r['shapes']:>2} shapes, {'static' if r['static'] else 'dynamic'}  "
            f"peak {r['peak_kind']} {r['peak_mib']:,.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="a model folder, a .gguf file or embedded:smollm2-135m-instruct")
    ap.add_argument("--prompts", required=True, help="JSONL from `python -m privacy_edge prepare`")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--docs", type=int, default=0, help="first N prompts (0 = all)")
    ap.add_argument("--max-new-tokens", type=int, default=32)
    ap.add_argument("--configs", nargs="+", default=DEFAULT_CONFIGS, help="LABEL:key=value,... (HuggingFaceChat keys)")
    ap.add_argument("--json", help="also write every result to this file")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args, args.one)))
        return
    results = []
    for spec in args.configs:
        results.append(run_fresh(args, spec))
        print(line(results[-1]), flush=True)
    ok = [r for r in results if "error" not in r]
    if ok:
        r0 = ok[0]
        print(f"\n{r0['docs']} prompts of {r0['prompt_tokens']:.0f} tokens on average, {args.max_new_tokens} new "
              f"tokens, device {r0['device']}, each configuration in a fresh process:")
        for tag, pick in (("batch 1: ", [r for r in ok if r["options"].get("batch_size") == 1]),
                          ("default: ", [r for r in ok if not r["options"]]),
                          ("best cold: ", [min(ok, key=lambda r: r["first_s"])]),
                          ("best warm: ", [max(ok, key=lambda r: r["warm_docs_s"])])):
            for r in pick[:1]:
                print(line(r, tag))
        if any(r["spacy_imported"] for r in ok):
            raise SystemExit("spaCy was imported: a GPU machine has none")
        if not all(r["same_answers"] for r in ok):
            print("  note: a warm pass answered differently from the first")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if len(ok) < len(results):
        raise SystemExit(f"{len(results) - len(ok)} configuration(s) failed")


if __name__ == "__main__":
    main()
