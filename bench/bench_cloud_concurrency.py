"""Cloud requests one after another vs concurrently, against a local endpoint that adds latency per call.
Prints both wall times and their ratio; asserts nothing.

    python bench/bench_cloud_concurrency.py                        # 98 TAB test documents, 1 s per call
    python bench/bench_cloud_concurrency.py --docs 16 --latency 0.5

The documents are the TAB test split cut to 2,000 characters (what `python -m privacy_edge
prepare --max-chars 2000` writes). Every document goes the `cloud_sanitized` way (detect, sanitize by
sensitivity level, guard, send), through the calls Sedna makes per sample (edge step, router, cloud
step), as in an Ianvs job. The endpoint is the test suite's loopback OpenAI-compatible server (tests/
loopback.py), which sleeps `--latency` seconds before each answer, like a remote provider; no answer
cache. Detection runs once before both timings (it is shared), so the two wall times differ only by
how the cloud requests are sent. Both runs must give the same records (timings aside).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privacy_edge.data.splits import test_file  # noqa: E402  ($TAB_DATA, else the official test split)
sys.path.insert(0, str(ROOT / "tests"))




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=0, help="documents (0: all of the split)")
    ap.add_argument("--latency", type=float, default=1.0, help="seconds the endpoint waits before each answer")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--tab", help="a TAB-layout test file (default: $TAB_DATA, else the official test split)")
    args = ap.parse_args()

    from loopback import LoopbackServer
    from sedna_sequence import sedna_sequence

    from privacy_edge import assemble
    from privacy_edge.data.prepare import prepare
    from privacy_edge.llm.openai_chat import OpenAIChat
    from privacy_edge.pipeline import EdgeSide
    from privacy_edge.jsonl import read_jsonl
    from privacy_edge.record import Sample

    with tempfile.TemporaryDirectory() as tmp:
        data, n = prepare([args.tab or test_file()], Path(tmp) / "data.jsonl", max_docs=args.docs, max_chars=2000)
        samples = [Sample.from_question(r["question"]) for r in read_jsonl(data)]
        edge = EdgeSide(assemble.detector(), None, assemble.sanitizers(cache_dir=tmp))
        edge.detect(samples)  # shared by both runs
        print(f"{len(samples)} documents of at most 2,000 characters, endpoint latency {args.latency:.2f} s a call, "
              f"cloud_sanitized (every document sent)")

        with LoopbackServer([("echo", args.latency)]) as server:
            walls, records = {}, {}
            for concurrency in (1, args.concurrency):
                server.max_in_flight = 0
                client = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)
                pipe = assemble.pipeline(edge, client, "cloud_sanitized", 0.5, "adaptive", concurrency)
                started = time.perf_counter()
                records[concurrency] = sedna_sequence(pipe, samples)
                walls[concurrency] = time.perf_counter() - started
                client.close()
                print(f"  concurrency {concurrency:>3}: {walls[concurrency]:8.2f} s wall, "
                      f"{len(samples) / walls[concurrency]:6.2f} docs/s, at most {server.max_in_flight} "
                      f"request(s) in flight at the server")
        seq, conc = walls[1], walls[args.concurrency]
        same = [{k: v for k, v in r.items() if k != "timings_s"} for r in records[1]] == \
               [{k: v for k, v in r.items() if k != "timings_s"} for r in records[args.concurrency]]
        failed = sum(bool(r["error"]) for r in records[args.concurrency])
        print(f"sequential {seq:.2f} s, concurrent {conc:.2f} s: {seq / conc:.1f}x faster; "
              f"records identical: {same}; failed samples: {failed}")


if __name__ == "__main__":
    main()
