"""``fit``: fit everything the detector learns from annotations, on TAB's train split only.

    python -m privacy_edge fit [TRAIN.json ...] [--out DIR]      (make detector-model)

What it writes (by default the package's own files, so ``git diff`` shows what changed):

1. ``detect/lexicons/public_bodies.txt``: the generic institutional words (detect/public_bodies.py);
2. ``detect/models/token_tagger.npz``: the token tagger's weights, with the thresholds chosen by
   5-fold cross-validation *within* the train split (the lexicon refitted per fold too) and the
   provenance of the fit (split, document ids and their hash, commit, command);
3. ``conf/detector.yaml``'s ``sensitivity.medium`` and ``high``: the levels' score quantiles over the
   train documents cut as the default job cuts them.

Thresholds: the highest pooled CV token precision (TAB's scorer) whose token recall and ER_qi stay
at ``--floor`` or, where the rules alone score below it on these documents, within ``--tolerance``
of the rules alone (privacy first: the tagger may not buy precision with recall). Documents of the
test split are refused (data/splits.py).
"""

from __future__ import annotations

import argparse
import re
import shutil
import time
from pathlib import Path

DROP_GRID = (0.03, 0.05, 0.09, 0.15, 0.2, 0.3)
ADD_GRID = (0.5, 0.7, 0.9)
FLOOR = 0.93
TOLERANCE = 0.005
SENSITIVITY_CHARS = 2000  # the default job's MAX_CHARS


def configure(p: argparse.ArgumentParser) -> None:
    from ..data.splits import FIT_FILES, TRAIN_ENV

    p.add_argument("inputs", nargs="*", help=f"TAB-layout train files (default: ${TRAIN_ENV}, else the official "
                                             f"{' and '.join(FIT_FILES)})")
    p.add_argument("--out", default=None, help="write the three files into this folder instead of the package")
    p.add_argument("--floor", type=float, default=FLOOR, help="CV token recall and ER_qi to keep (default %(default)s)")
    p.add_argument("--tolerance", type=float, default=TOLERANCE,
                   help="how far below the rules alone CV recall and ER_qi may go (default %(default)s)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds within the train split")
    p.add_argument("--command", default="make detector-model", help="how to say the fit was made (provenance)")


def run(args: argparse.Namespace) -> int:
    from ..detect.config import CONF_DIR, load_detector_config
    from ..data.splits import folds, load_split, provenance
    from ..detect.learned import DEFAULT_MODEL
    from ..detect.lexicon import LEXICON_DIR
    from ..detect.filters import SpanFilter
    from ..detect.public_bodies import fit_public_bodies, write_lexicon
    from ..detect.train import base_detector, fit, prepare, refiltered
    from ..metrics.tab_eval import pos_docs

    started = time.perf_counter()
    docs, paths = load_split(args.inputs, "train")
    prov = provenance(docs, paths, args.command)
    config = load_detector_config()
    out = Path(args.out) if args.out else None
    lexicon_path = (out or LEXICON_DIR) / "public_bodies.txt"
    model_path = (out / "token_tagger.npz") if out else DEFAULT_MODEL
    config_path = (out / "detector.yaml") if out else CONF_DIR / "detector.yaml"
    protect = config.learned.protect if config.learned.protect is not None else ["PERSON", "CODE"]
    print(f"fit: {len(docs)} train documents from {', '.join(p.name for p in paths)} "
          f"(ids sha256 {prov['doc_ids_sha256']})", flush=True)

    detector = base_detector()
    prepared = prepare(detector, docs)
    pos = pos_docs([p.text for p in prepared])
    print(f"fit: candidates, features and POS tags in {time.perf_counter() - started:.0f} s", flush=True)

    split = folds([d.doc_id for d in docs], args.folds)
    scores = cross_validate(detector, docs, prepared, pos, split, protect)
    (drop, add), rules, chosen, floors = choose(scores, args.floor, args.tolerance)
    print(format_choice(scores, rules, (drop, add), floors, len(docs), len(split)), flush=True)

    bodies = fit_public_bodies(docs)
    if out:
        out.mkdir(parents=True, exist_ok=True)
    write_lexicon(bodies, lexicon_path, prov)
    final = refiltered(prepared, SpanFilter.from_config(detector.config, bodies))
    tagger = fit(final, drop_below=drop, add_above=add, protect=protect)
    tagger.provenance = {**prov, "cv": {"folds": len(split), "drop_below": drop, "add_above": add,
                                        "token_recall": chosen.token_recall, "token_precision": chosen.token_precision,
                                        "er_qi": chosen.er_qi, "er_di": chosen.er_di}}
    model_path.parent.mkdir(parents=True, exist_ok=True)
    tagger.save(model_path)

    medium, high = fit_levels(docs, model_path, lexicon_path)
    tagger.provenance["sensitivity"] = {"medium": medium, "high": high, "chars": SENSITIVITY_CHARS}
    tagger.save(model_path)  # the levels come from the fitted detector, so they join its provenance last
    if out:
        shutil.copyfile(CONF_DIR / "detector.yaml", config_path)
    write_levels(config_path, medium, high)
    print(f"fit: public bodies {len(bodies)} words -> {lexicon_path}\n"
          f"fit: token tagger (drop_below {drop}, add_above {add}) -> {model_path} "
          f"({model_path.stat().st_size / 1e6:.1f} MB)\n"
          f"fit: sensitivity medium {medium}, high {high} -> {config_path}\n"
          f"fit: done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


def cross_validate(detector, docs, prepared, pos, split, protect) -> dict:
    """Pooled held-out TAB scores of the rules alone and of every threshold pair (one fit per fold:
    the weights do not depend on the thresholds); each fold refits the lexicon on its own train part."""
    from ..detect.filters import SpanFilter
    from ..detect.public_bodies import fit_public_bodies
    from ..detect.train import fit, refiltered
    from ..metrics.tab_eval import tab_score

    by_id = {d.doc_id: d for d in docs}
    index = {p.doc_id: i for i, p in enumerate(prepared)}
    pairs = [(d, a) for d in DROP_GRID for a in ADD_GRID]
    held: dict = {key: [] for key in [None, *pairs]}
    order: list[int] = []
    for k, fold in enumerate(split):
        inside = set(fold)
        bodies = fit_public_bodies([by_id[i] for i in by_id if i not in inside])
        fold_prep = refiltered(prepared, SpanFilter.from_config(detector.config, bodies))
        train = [p for p in fold_prep if p.doc_id not in inside]
        test = [p for p in fold_prep if p.doc_id in inside]
        tagger = fit(train, protect=protect)
        for p in test:
            order.append(index[p.doc_id])
            held[None].append((p.text, p.mentions, detector.finish(p.text, p.doc, list(p.kept), list(p.dropped)).spans))
            for d, a in pairs:
                tagger.drop_below, tagger.add_above = d, a
                spans = detector.finish(p.text, p.doc, list(p.kept), list(p.dropped), tagger=tagger).spans
                held[(d, a)].append((p.text, p.mentions, spans))
        print(f"fit: fold {k + 1}/{len(split)} scored ({len(test)} documents)", flush=True)
    pos_in_order = [pos[i] for i in order]
    return {key: tab_score(items, pos_in_order) for key, items in held.items()}


def choose(scores: dict, floor: float, tolerance: float):
    """The pair with the highest CV precision whose recall and ER_qi keep the floors (see the module)."""
    rules = scores[None]
    floors = (min(floor, rules.token_recall - tolerance), min(floor, rules.er_qi - tolerance))
    pairs = [k for k in scores if k is not None]
    ok = [k for k in pairs if scores[k].token_recall >= floors[0] and scores[k].er_qi >= floors[1]]
    if ok:
        best = max(ok, key=lambda k: (scores[k].token_precision, scores[k].er_qi, -k[0]))
    else:  # nothing keeps both floors: the least loss of either
        best = max(pairs, key=lambda k: (min(scores[k].token_recall - floors[0], scores[k].er_qi - floors[1]),
                                         scores[k].token_precision))
    return best, rules, scores[best], floors


def format_choice(scores, rules, best, floors, n_docs: int, n_folds: int) -> str:
    lines = [f"CV within the train split ({n_docs} documents, {n_folds} folds, pooled, TAB's scorer); "
             f"floors: token recall {floors[0]:.3f}, ER_qi {floors[1]:.3f}",
             "| learned stage | token recall | token precision | ER_qi | ER_di |", "| --- | --- | --- | --- | --- |"]

    def row(name, s):
        return f"| {name} | {s.token_recall:.3f} | {s.token_precision:.3f} | {s.er_qi:.3f} | {s.er_di:.3f} |"

    lines.append(row("none (rules only)", rules))
    for key, s in scores.items():
        if key is not None:
            lines.append(row(f"drop < {key[0]}, add >= {key[1]}" + (" (chosen)" if key == best else ""), s))
    return "\n".join(lines)


def fit_levels(docs, model_path: Path, lexicon_path: Path) -> tuple[float, float]:
    """The sensitivity levels' thresholds from the fitted detector on the train documents, cut as the
    default job cuts them."""
    from ..detect.config import load_detector_config
    from ..data.prepare import cut_text
    from ..detect.detector import Detector, level_thresholds

    config = load_detector_config(None, {"learned": {"model": str(model_path)}, "public_bodies": str(lexicon_path)})
    found = Detector(config).detect_many([cut_text(d.text, SENSITIVITY_CHARS) for d in docs])
    return level_thresholds([f.score for f in found])


LEVEL_LINE = re.compile(r"^(  (medium|high): )[0-9.]+(.*)$", re.MULTILINE)


def write_levels(path: Path, medium: float, high: float) -> None:
    """Replace the two level lines of the YAML's ``sensitivity`` block, comments kept."""
    text = path.read_text(encoding="utf-8")
    block = text.index("\nsensitivity:")
    values = {"medium": medium, "high": high}
    head, tail = text[:block], text[block:]
    tail, n = LEVEL_LINE.subn(lambda m: f"{m.group(1)}{values[m.group(2)]}{m.group(3)}", tail)
    if n != 2:
        raise ValueError(f"{path}: expected the lines 'medium:' and 'high:' in the sensitivity block, found {n}")
    path.write_text(head + tail, encoding="utf-8")
