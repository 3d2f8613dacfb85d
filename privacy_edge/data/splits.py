"""The train/test protocol's one home: which TAB documents are fitted on, and which are measured.

Anything learned or tuned from annotations (the tagger's weights and thresholds, the public-bodies
lexicon, the sensitivity levels) is fitted on the **train** split, thresholds by cross-validation
*within* it (``folds``); every figure is measured on the **test** split. A figure on documents
something was fitted on is in-sample and must say so.

Where the documents come from: explicit files; else ``$TAB_TRAIN`` (fitting) or ``$TAB_DATA``
(measuring), a file or a folder; else TAB's official files (``echr_train.json`` and
``echr_dev.json`` to fit, ``echr_test.json`` to measure), downloaded once into a cache.

``check_fittable`` refuses to fit on a document of the official test split (its ids are committed in
``tab_test_ids.txt``, ids only) and ``provenance`` records what a fitted file was fitted on, so a test
can check every shipped file.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import sys
import urllib.request
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Iterable, Sequence

from ..provenance import current_commit
from .tab import TabDocument, TabFormatError, load_tab

OFFICIAL_URL = "https://raw.githubusercontent.com/NorskRegnesentral/text-anonymization-benchmark/master/{split}"
FIT_FILES = ("echr_train.json", "echr_dev.json")
TEST_FILE = "echr_test.json"
TRAIN_ENV = "TAB_TRAIN"  # a TAB-layout file (or folder) of train documents, instead of downloading
TEST_ENV = "TAB_DATA"  # a TAB-layout file (or folder) of test documents, instead of downloading
FOLDS = 5


class SplitError(ValueError):
    """A fit was asked for on documents of the test split."""


@lru_cache(maxsize=1)
def official_test_ids() -> frozenset[str]:
    """The document ids of TAB's official test split."""
    text = files("privacy_edge.data").joinpath("tab_test_ids.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_fittable(documents: Sequence[TabDocument], source: str = "") -> None:
    """Raise ``SplitError`` when any document belongs to the test split (by id or by its own label)."""
    bad = sorted(d.doc_id for d in documents if d.doc_id in official_test_ids() or d.dataset_type == "test")
    if bad:
        where = f"{source}: " if source else ""
        raise SplitError(f"{where}{len(bad)} document(s) of TAB's test split ({', '.join(bad[:5])}"
                         f"{', ...' if len(bad) > 5 else ''}): fit on the train split only "
                         f"(${TRAIN_ENV}, or the official {' and '.join(FIT_FILES)})")


def folds(doc_ids: Iterable[str], k: int = FOLDS) -> list[list[str]]:
    """``k`` folds of document ids for cross-validation within the train split: a document's fold
    depends on its id alone (ordered by a hash), so the split is the same whatever the file order."""
    ordered = sorted(set(doc_ids), key=lambda d: hashlib.sha256(d.encode("utf-8")).hexdigest())
    return [ordered[i::k] for i in range(k)]


def ids_digest(doc_ids: Iterable[str]) -> str:
    """A short hash of a set of document ids (what a fitted file names as its training data)."""
    return hashlib.sha256("\n".join(sorted(set(doc_ids))).encode("utf-8")).hexdigest()[:16]


def provenance(documents: Sequence[TabDocument], sources: Sequence[str | Path], command: str | None = None) -> dict:
    """What a fitted file was fitted on and how: split, documents (count, ids, hash), commit, command."""
    ids = sorted(d.doc_id for d in documents)
    return {
        "split": "train",
        "sources": [Path(s).name for s in sources],
        "documents": len(ids),
        "doc_ids_sha256": ids_digest(ids),
        "doc_ids": ids,
        "commit": current_commit(),
        "command": command or " ".join(["python -m", *sys.argv]),
        "date": datetime.date.today().isoformat(),
    }


def sources(inputs: Sequence[str | Path] | None, split: str, cache_dir: str | Path = ".cache/tab") -> list[Path]:
    """The TAB files of ``split`` ("train" or "test"): ``inputs``, else the split's environment
    variable, else the official files (downloaded once into ``cache_dir``)."""
    if split not in ("train", "test"):
        raise ValueError(f"split {split!r}: expected 'train' or 'test'")
    if inputs:
        return [Path(p) for p in inputs]
    names = FIT_FILES if split == "train" else (TEST_FILE,)
    local = os.environ.get(TRAIN_ENV if split == "train" else TEST_ENV)
    if local:
        p = Path(local)
        if p.is_dir():
            found = [p / n for n in names if (p / n).exists()]
            return found or sorted(p.glob("*.json"))[:1]
        return [p]
    return [_download(name, Path(cache_dir)) for name in names]


def test_file() -> str:
    """The test split a tool reads when given no file: $TAB_DATA, else the official file (downloaded once)."""
    return str(sources(None, "test")[0])


def _download(name: str, cache_dir: Path) -> Path:
    target = cache_dir / name
    if target.exists():
        return target
    url = OFFICIAL_URL.format(split=name)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=60) as r, open(str(target) + ".part", "wb") as f:
            f.write(r.read())
    except OSError as err:
        env = TRAIN_ENV if name in FIT_FILES else TEST_ENV
        raise TabFormatError(url, None, None,
                             f"could not download the official TAB split ({err}); set {env} to a local TAB file") from None
    os.replace(str(target) + ".part", target)
    return target


def load_split(inputs: Sequence[str | Path] | None, split: str, cache_dir: str | Path = ".cache/tab") -> tuple[list[TabDocument], list[Path]]:
    """The documents of ``split`` and the files they came from; train documents are checked fittable."""
    paths = sources(inputs, split, cache_dir)
    docs = [d for p in paths for d in load_tab(p)]
    if split == "train":
        check_fittable(docs, ", ".join(str(p) for p in paths))
    return docs, paths
