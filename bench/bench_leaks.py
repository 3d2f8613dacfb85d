"""Benchmark: detected values that survive sanitization, judged by an oracle written apart from the matcher.

For every TAB document: detect, then sanitize with each method; a detected value (one with a letter
or digit) survives when ``tests/leak_oracle.py`` still finds it in the sanitized text, in any
written form (case, diacritics, dotted I, invisible characters, spacing). Also counts the values
that a document writes in more than one form (what a case-insensitive exact matcher misses).

    python bench/bench_leaks.py [TAB.json] [--max-chars N]

Prints one row per method: documents, detected values, surviving values and the documents they are in.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from privacy_edge.data.splits import test_file  # noqa: E402  ($TAB_DATA, else the official test split)



def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tab", nargs="?", help="a TAB-layout JSON file (default: $TAB_DATA, else the official test split)")
    ap.add_argument("--max-chars", type=int, default=0, help="cut each text to this many characters (0: whole)")
    args = ap.parse_args()

    from leak_oracle import survivors
    from privacy_edge import assemble, matching

    docs = json.loads(Path(args.tab or test_file()).read_text(encoding="utf-8"))
    texts = {d["doc_id"]: (d["text"][: args.max_chars] if args.max_chars else d["text"]) for d in docs}
    detector = assemble.detector()
    sanitizers = assemble.sanitizers(cache_dir=str(ROOT / "workspace" / "cache"))  # keyed like the job
    for s in sanitizers.values():
        s.warm_up()
    started = time.perf_counter()
    detections = dict(zip(texts, detector.detect_many(list(texts.values()))))
    print(f"{len(texts)} documents, detected in {time.perf_counter() - started:.1f} s")

    forms = 0  # (document, value) pairs whose value is also written in another form in the same document
    for doc_id, text in texts.items():
        for value in {s.text for s in detections[doc_id].spans if any(c.isalnum() for c in s.text)}:
            surfaces = {" ".join(text[o.start : o.end].split()).casefold() for o in matching.occurrences(text, [value])}
            forms += bool(surfaces - {" ".join(value.split()).casefold()})
    print(f"(document, value) pairs written in another form in the same document: {forms}")

    print(f"{'method':<14}{'values':>8}{'survive':>9}{'in docs':>9}{'seconds':>9}")
    for name, sanitizer in sanitizers.items():
        values = left = in_docs = 0
        started = time.perf_counter()
        for doc_id, text in texts.items():
            spans = detections[doc_id].spans
            out = sanitizer.sanitize(text, spans).text
            detected = {s.text for s in spans if any(c.isalnum() for c in s.text)}
            found = survivors(out, detected)
            values += len(detected)
            left += len(found)
            in_docs += bool(found)
        print(f"{name:<14}{values:>8}{left:>9}{in_docs:>9}{time.perf_counter() - started:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
