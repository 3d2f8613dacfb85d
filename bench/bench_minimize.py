"""Benchmark: each protection method with and without data minimization, on the library pipeline.

Every TAB document is cut as the default job cuts it (``--max-chars``, default 2,000) and asked the
respondent-state question. For each router (``cloud_sanitized``; ``confidence:T`` the confidence router at
threshold T) and each method (``--methods``), the pipeline runs once as is and once with
``minimize+METHOD`` (``--unit``, ``--share``, ``--max-tokens``), at the same router and threshold;
``cloud_only`` (raw text) runs once as the attacks' calibration and APR's reference. The metrics are
the registered metric functions with their 95% bootstrap intervals over documents (the same
resampled documents for every row). ASR-Link is also given over the samples sent sanitized alone
(``ASR-Link san``). The cloud, the attacker and the reference are the embedded SmolLM2 unless
$CLOUD_API_BASE names another; every answer goes through the answer cache in ``--cache-dir``.

    python bench/bench_minimize.py                          # all 98 documents, cloud_sanitized
    python bench/bench_minimize.py --routers cloud_sanitized confidence:0.7
    python bench/bench_minimize.py --no-llm --share 0.1 0.25 0.5    # linking/SELS/CPP only, no LLM calls
    python bench/bench_minimize.py --background exact PUBLIC.json  # two attackers (PUBLIC.json: judgments the attacker knows)

Prints one markdown row per run: ``value [lo, hi]`` and the number of documents each rate rests on.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from privacy_edge.data.splits import test_file  # noqa: E402  ($TAB_DATA, else the official test split)

LLM_FREE = ("ASR-Link", "SELS", "CPP", "Kept")
WITH_LLM = ("ASR-LLM", "APR", "Accuracy")


def cell(parts, interval) -> str:
    lo, hi = interval(parts)
    point = parts.point()
    if math.isnan(point):
        return "–"
    return f"{point:.3f} [{lo:.3f}, {hi:.3f}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tab", nargs="?", help="a TAB-layout JSON file (default: $TAB_DATA, else the official test split)")
    ap.add_argument("--max-chars", type=int, default=2000)
    ap.add_argument("--docs", type=int, default=0, help="the first N documents (0: all)")
    ap.add_argument("--methods", nargs="+", default=["mask", "pseudonymize", "dp"])
    ap.add_argument("--routers", nargs="+", default=["cloud_sanitized"], help="cloud_sanitized, confidence:T")
    ap.add_argument("--unit", default="sentence", choices=["sentence", "paragraph"])
    ap.add_argument("--share", type=float, nargs="+", default=[0.25], help="one minimized run per share")
    ap.add_argument("--max-tokens", type=int, default=None)
    ap.add_argument("--no-llm", action="store_true", help="no cloud answers: ASR-Link, SELS, CPP, Kept only")
    ap.add_argument("--no-plain", action="store_true", help="minimized runs only")
    ap.add_argument("--concurrency", type=int, default=2, help="cloud requests in flight")
    ap.add_argument("--background", nargs="+", default=["exact"], help="the linking attacker's background JSON "
                    "files, one ASR-Link column pair each; `exact`: what `prepare` writes (every document's whole "
                    "text, the job's default)")
    ap.add_argument("--cache-dir", default=str(ROOT / "workspace" / "cache"))
    args = ap.parse_args()

    from privacy_edge import assemble
    from privacy_edge.config import EndpointSettings
    from privacy_edge.data.prepare import background_of, prepare_document
    from privacy_edge.data.tab import load_tab
    from privacy_edge.metrics import load_all
    from privacy_edge.metrics.intervals import PARTS, interval
    from privacy_edge.metrics.resources import chat_model
    from privacy_edge.metrics.settings import MetricSettings
    from privacy_edge.metrics.utility import apr_n
    from privacy_edge.pipeline import CollaborativeInference, EdgeSide
    from privacy_edge.policy import Policy
    from privacy_edge.record import Sample
    from privacy_edge.routing import CLOUD_SANITIZED, ROUTERS
    from privacy_edge.sanitize.minimize import Minimizer

    load_all()
    docs = load_tab(args.tab or test_file())
    backgrounds = {}
    for name in args.background:
        path = Path(name)
        if name == "exact":  # what `prepare` writes: every document's whole text
            import json

            path = ROOT / "workspace" / "bench_minimize_background.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(background_of(docs), ensure_ascii=False), encoding="utf-8")
        backgrounds[name if name == "exact" else path.stem] = MetricSettings(background=str(path), cache_dir=args.cache_dir)
    prepared = [prepare_document(d, "respondent_state", args.max_chars) for d in docs]
    prepared = prepared[: args.docs] if args.docs else prepared
    samples = [Sample.from_question(p.question) for p in prepared]
    gold = [p.answer for p in prepared]
    settings = next(iter(backgrounds.values()))

    cloud = None if args.no_llm else chat_model(EndpointSettings(), args.cache_dir)  # the reference's model too
    needs_edge = any(r.startswith("confidence") for r in args.routers)
    edge_model = assemble.edge_model(cache=assemble.cache_for(args.cache_dir)) if needs_edge and not args.no_llm else None
    minimizers = {share: Minimizer.from_settings(args.unit, share, args.max_tokens) for share in args.share}
    edge = EdgeSide(assemble.detector(), edge_model, assemble.sanitizers(cache_dir=args.cache_dir))
    edge.warm_up()
    for m in minimizers.values():
        m.warm_up()

    class NoCloud:  # --no-llm: the egress is built and guarded as usual, nobody answers
        identity = {"backend": "none"}

        def generate(self, batch):
            from privacy_edge.llm.base import Generation

            return [Generation("") for _ in batch]

    runs: list[tuple[str, list[dict]]] = []

    def run(label: str, router: str, threshold: float, method: str, share: float | None) -> None:
        if share is not None:
            edge.minimizer = minimizers[share]
        started = time.perf_counter()
        pipe = CollaborativeInference(edge, cloud or NoCloud(), ROUTERS.get(router)(), threshold,
                                      Policy.from_name(method), args.concurrency)
        records = pipe.run(samples)
        runs.append((label, records))
        print(f"  {label}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    run("cloud_only (raw)", "cloud_only", 0.0, "mask", None)
    for spec in args.routers:
        router, _, t = spec.partition(":")
        threshold = float(t) if t else 0.0
        tag = f"{router} t={threshold:g}" if t else router
        for method in args.methods:
            if not args.no_plain:
                run(f"{tag} {method}", router, threshold, method, None)
            for share in args.share:
                run(f"{tag} minimize+{method} (share {share:g})", router, threshold, f"minimize+{method}", share)

    if not args.no_llm:  # the attacker's answers, concurrently, into the cache the metric then reads
        from privacy_edge.llm.base import build_messages, case_text_of
        from privacy_edge.pipeline import in_threads

        attacker = chat_model(settings.attacker, args.cache_dir)
        egress = list(dict.fromkeys(r["egress"] for _, records in runs for r in records if r.get("egress")))
        prompts = [build_messages(settings.attacker_question, case_text_of(e)) for e in egress]
        in_threads(lambda m: attacker.generate([m]), prompts, args.concurrency, "attacker")

    metrics = LLM_FREE if args.no_llm else (*LLM_FREE[:1], *WITH_LLM[:1], *LLM_FREE[1:], *WITH_LLM[1:])
    print(f"\n{len(samples)} documents cut to {args.max_chars} chars; unit {args.unit}, max_tokens "
          f"{args.max_tokens}; backgrounds {', '.join(backgrounds)}; cloud/attacker: "
          f"{'none (--no-llm)' if cloud is None else cloud.identity.get('model')}; 95% bootstrap intervals "
          f"over documents\n")
    head = ["run", "sent san/raw", *[f"ASR-Link{s} {b} (n)" for b in backgrounds for s in (" san", "")],
            *[f"{m} (n)" for m in metrics if m != "ASR-Link"]]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for label, records in runs:
        sanitized = [i for i, r in enumerate(records) if r["route"] == CLOUD_SANITIZED and r.get("egress")]
        raw = sum(1 for r in records if r["route"] == "cloud_raw")
        failed = sum(1 for r in records if r.get("error"))
        cells = [label, f"{len(sanitized)}/{raw}" + (f" ({failed} failed)" if failed else "")]
        sub_r, sub_g = [records[i] for i in sanitized], [gold[i] for i in sanitized]
        for bg in backgrounds.values():
            for rs, gs in ((sub_r, sub_g), (records, gold)):
                link = PARTS["ASR-Link"](rs, gs, bg, fresh=True)
                cells.append(f"{cell(link, interval)} ({int(link.columns['scored'].sum())})")
        for name in metrics:
            if name == "ASR-Link":
                continue
            parts = PARTS[name](records, gold, settings, fresh=True)
            if name == "APR":
                count = apr_n(records, gold, settings)
            elif name == "SELS":
                count = int((parts.columns["total"] > 0).sum())  # documents with a to-mask mention
            else:
                count = int(parts.columns["sent" if name in ("CPP", "Kept") else "scored"].sum())
            cells.append(f"{cell(parts, interval)} ({count})")
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
