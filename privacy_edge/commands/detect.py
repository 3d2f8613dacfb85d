"""``detect``: find private spans in TAB-layout documents and write ``{doc_id: [[start, end, type], ...]}``."""

from __future__ import annotations

import argparse
import sys
import time


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", help="TAB-layout JSON files (gold annotations are not needed)")
    p.add_argument("--out", required=True, help="the mask file to write")
    p.add_argument("--config", default=None, help="detector YAML (default: privacy_edge/conf/detector.yaml)")
    p.add_argument("--chunk", type=int, default=32, help="documents per detect_many call (progress granularity)")


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from ..detect.config import load_detector_config
    from ..data.tab import TabFormatError, load_tab
    from ..detect.detector import Detector
    from ..detect.masks import write_masks

    config = load_detector_config(args.config)  # config errors first, before any document or model
    docs = []
    seen: dict[str, str] = {}
    for path in args.inputs:
        for doc in load_tab(path, require_annotations=False):
            if doc.doc_id in seen:
                raise TabFormatError(path, doc.doc_id, "doc_id", f"also in {seen[doc.doc_id]}")
            seen[doc.doc_id] = path
            docs.append(doc)
    detector = Detector(config)
    detector.warm_up()
    masks = {}
    words = sum(len(d.text.split()) for d in docs)
    started = time.perf_counter()
    with tqdm(total=len(docs), unit="doc", desc="detect", file=sys.stderr) as bar:
        for i in range(0, len(docs), max(1, args.chunk)):
            chunk = docs[i : i + args.chunk]
            for doc, detection in zip(chunk, detector.detect_many([d.text for d in chunk])):
                masks[doc.doc_id] = detection.spans
            bar.update(len(chunk))
    elapsed = time.perf_counter() - started
    path = write_masks(args.out, masks)
    n_spans = sum(len(s) for s in masks.values())
    print(f"wrote {n_spans} spans for {len(docs)} documents to {path} "
          f"({elapsed:.1f} s, {words / max(elapsed, 1e-9):,.0f} words/s)")
    return 0
