"""A learned token tagger on top of the recognizers and rules: it decides, per word, whether TAB
annotators would mask it, and with what type.

Why: the rules were written for the shapes seen in the shared documents and stop generalizing where
the decision depends on context (which organisations, places and groups identify someone; which
dates or numbers are incidental). A linear model over hashed features of each token, its neighbours,
spaCy's entity label and *what the recognizers and rules said about it* learns those decisions from
the TAB annotations, trains on CPU in seconds and weighs about a megabyte.

How it is used (``TokenTagger.refine``): a candidate span whose words the tagger scores, on average,
below ``drop_below`` is dropped (precision), and runs of uncovered words it scores at or above
``add_above`` become new spans (recall). Types in ``protect``, and types it never saw in training
(EMAIL, PHONE, IBAN, URL are not TAB classes), are never dropped.

Weights and thresholds are fitted on TAB's train split, the thresholds by cross-validation within
it, by ``python -m privacy_edge fit`` (``make detector-model``); the weights file carries both and
its provenance (split, document ids, commit, command), so a test can check that no shipped weight
was fitted on a test document.
"""

from __future__ import annotations

import functools
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import matching
from ..spans import Span

MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL = MODEL_DIR / "token_tagger.npz"
FEATURE_VERSION = 2
OUTSIDE = "O"


_HASHES: dict[str, int] = {}  # string -> crc32; most recur (shapes, labels, common words)
M32 = np.uint64(0xFFFFFFFF)


def _hash(value: str) -> int:
    h = _HASHES.get(value)
    if h is None:
        if len(_HASHES) > 1_000_000:  # bounded: a long-running edge process sees unbounded vocabularies
            _HASHES.clear()
        h = _HASHES[value] = zlib.crc32(value.encode("utf-8"))
    return h


def _ids(values: Sequence[str]) -> np.ndarray:
    return np.fromiter((_hash(v) for v in values), dtype=np.uint64, count=len(values))


def _mix(template: int, values: np.ndarray) -> np.ndarray:
    """Hash of (feature template, value), vectorized over tokens (a 32-bit avalanche of both)."""
    x = (values * np.uint64(0x9E3779B1) + np.uint64(template * 0x85EBCA6B)) & M32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x45D9F3B)) & M32
    return x ^ (x >> np.uint64(16))


def _pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a * np.uint64(0x01000193)) ^ b) & M32


def _shift(values: np.ndarray, d: int, edge: int) -> np.ndarray:
    """values[i + d] for every i, ``edge`` where i + d falls outside the text."""
    out = np.full_like(values, edge)
    if d > 0:
        out[: len(values) - d] = values[d:]
    else:
        out[-d:] = values[: len(values) + d]
    return out


def _family(source: str) -> str:
    """A span's source without the pattern detail that varies per match ("spacy:ORG" stays whole)."""
    return source if source.startswith("spacy:") else source.split(":", 1)[0]


@dataclass
class TokenFeatures:
    """Hashed features of the word tokens of one text: a fixed set per token (its word, shape, NER
    label, neighbours, conjunctions) and a variable set from the candidate spans over it."""

    fixed: np.ndarray  # (tokens, templates) uint64
    extra_rows: np.ndarray  # token index of each extra feature
    extra: np.ndarray  # uint64 hashes

    def __len__(self) -> int:
        return len(self.fixed)


def token_features(doc, kept: Sequence[Span], dropped: Sequence[Span]) -> tuple[list, TokenFeatures]:
    """Word tokens of a spaCy doc and their features.

    ``kept`` are the candidate spans that survived the filters, ``dropped`` those the filters removed
    (public bodies, legal references): the model may learn where either judgement fails. Features of
    a span (its words, head, the word before it) go to every token in it, so a decision can rest on
    the whole name ("Court" in "the Supreme Court" vs "the Dorvale District Court").
    """
    words = [t for t in doc if not t.is_space]
    n = len(words)
    starts = np.array([t.idx for t in words], dtype=np.int64)
    lower = [t.lower_ for t in words]
    types: list[set[str]] = [set() for _ in range(n)]
    rows: list[int] = []
    extra: list[int] = []
    for tag, spans in (("k", kept), ("d", dropped)):
        for s in spans:
            lo = int(np.searchsorted(starts, s.start, side="left"))
            if lo > 0 and words[lo - 1].idx + len(words[lo - 1]) > s.start:  # a token that starts before it
                lo -= 1
            hi = int(np.searchsorted(starts, s.end, side="left"))
            if hi <= lo:
                continue
            t = s.entity_type
            whole = [_hash(f"{tag}span:{t}|{lower[j]}") for j in range(lo, hi) if not words[j].is_punct]
            whole += [_hash(f"{tag}head:{t}|{lower[hi - 1]}"), _hash(f"{tag}before:{t}|{lower[lo - 1] if lo else '<edge>'}"),
                      _hash(f"{tag}:{t}"), _hash(f"{tag}:{t}:{_family(s.source)}")]
            begin, inside = _hash(f"{tag}B:{t}"), _hash(f"{tag}I:{t}")
            for i in range(lo, hi):
                rows.extend([i] * (len(whole) + 1))
                extra.extend(whole)
                extra.append(begin if i == lo else inside)
                types[i].add(f"{tag}:{t}")
    edge = _hash("<edge>")
    w = _ids(lower)
    shape = _ids([t.shape_ for t in words])
    ner = _ids([f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in words])
    cands = _ids([",".join(sorted(ts)) if ts else "none" for ts in types])
    flags = np.array([_hash(f"title={t.is_title}|start={bool(t.is_sent_start)}") for t in words], dtype=np.uint64)
    columns = [
        np.zeros(n, dtype=np.uint64),  # bias
        w, shape, _ids([x[-3:] for x in lower]), _ids([x[:3] for x in lower]), ner, cands,
        _pair(cands, w), _pair(cands, ner), flags,
        *(_shift(w, d, edge) for d in (-2, -1, 1, 2)),
        *(_shift(cands, d, edge) for d in (-2, -1, 1, 2)),
        _shift(ner, -1, edge), _shift(ner, 1, edge), _shift(shape, -1, edge), _shift(shape, 1, edge),
        _pair(_shift(w, -1, edge), w),
    ]
    fixed = np.stack([_mix(k + 1, c) for k, c in enumerate(columns)], axis=1) if n else np.zeros((0, len(columns)), np.uint64)
    return words, TokenFeatures(fixed, np.array(rows, dtype=np.int64), np.array(extra, dtype=np.uint64))


def hashed_matrix(features: Sequence[TokenFeatures] | TokenFeatures, bits: int):
    """A sparse matrix with one row per token over all given texts (scipy CSR, 2**bits columns)."""
    from scipy.sparse import csr_matrix

    parts = [features] if isinstance(features, TokenFeatures) else list(features)
    mask = np.uint64((1 << bits) - 1)
    rows, cols, offset = [], [], 0
    for f in parts:
        n, k = f.fixed.shape
        rows += [np.repeat(np.arange(offset, offset + n), k), f.extra_rows + offset]
        cols += [(f.fixed.ravel() & mask).astype(np.int64), (f.extra & mask).astype(np.int64)]
        offset += n
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    return csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(offset, 1 << bits))


def gold_labels(words, text: str, mentions) -> list[str]:
    """Per word: the type of a to-mask gold mention that overlaps it, else ``O``."""
    label = [OUTSIDE] * len(words)
    spans = sorted((m.start, m.end, m.entity_type) for m in mentions if m.to_mask)
    for i, t in enumerate(words):
        a, b = t.idx, t.idx + len(t)
        for s, e, typ in spans:
            if s >= b:
                break
            if e > a and any(c.isalnum() for c in text[max(a, s):min(b, e)]):
                label[i] = typ
                break
    return label


class TokenTagger:
    """Multinomial logistic regression over hashed token features; weights in one ``.npz`` file."""

    def __init__(self, classes: Sequence[str], coef: np.ndarray, intercept: np.ndarray, bits: int,
                 drop_below: float = 0.3, add_above: float = 0.6, protect: Sequence[str] = (),
                 provenance: dict | None = None):
        if OUTSIDE not in classes:
            raise ValueError(f"token tagger: classes {list(classes)} lack {OUTSIDE!r}")
        if coef.shape != (len(classes), 1 << bits):
            raise ValueError(f"token tagger: weights of shape {coef.shape}, expected {(len(classes), 1 << bits)}")
        self.classes = list(classes)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.bits = bits
        self.drop_below, self.add_above, self.protect = drop_below, add_above, frozenset(protect)
        self.provenance = dict(provenance or {})
        self._outside = self.classes.index(OUTSIDE)

    # -- fitting and storage ---------------------------------------------------------------------

    @classmethod
    def fit(cls, features: Sequence[TokenFeatures], labels: Sequence[str], bits: int = 16, c: float = 1.0,
            **thresholds) -> "TokenTagger":
        """Fit on the features of many texts and the gold labels of all their tokens, in order."""
        from sklearn.linear_model import LogisticRegression

        x = hashed_matrix(features, bits)
        model = LogisticRegression(C=c, max_iter=300, tol=1e-3)
        model.fit(x, np.asarray(labels))
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # binary: one logit row; the softmax of [-z/2, z/2] is sigmoid(z)
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
        return cls([str(c) for c in model.classes_], coef, intercept, bits, **thresholds)

    def save(self, path: str | Path) -> None:
        """Weights, the thresholds and protected types they were chosen with, and the provenance."""
        np.savez_compressed(path, classes=np.array(self.classes), coef=self.coef.astype(np.float16),
                            intercept=self.intercept, bits=self.bits, version=FEATURE_VERSION,
                            thresholds=np.array(json.dumps({"drop_below": self.drop_below, "add_above": self.add_above,
                                                            "protect": sorted(self.protect)})),
                            provenance=np.array(json.dumps(self.provenance, sort_keys=True)))

    @classmethod
    def load(cls, path: str | Path, **thresholds) -> "TokenTagger":
        """The tagger of a weights file; ``thresholds`` given (not None) replace the file's own."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"token tagger weights {path} not found: build them with `make detector-model`")
        with np.load(path, allow_pickle=False) as z:
            if int(z["version"]) != FEATURE_VERSION:
                raise ValueError(f"{path}: features of version {int(z['version'])}, this code computes "
                                 f"version {FEATURE_VERSION}; rebuild with `make detector-model`")
            own = json.loads(str(z["thresholds"])) if "thresholds" in z.files else {}
            own.update({k: v for k, v in thresholds.items() if v is not None})
            provenance = json.loads(str(z["provenance"])) if "provenance" in z.files else {}
            return cls([str(c) for c in z["classes"]], z["coef"].astype(np.float32), z["intercept"],
                       int(z["bits"]), provenance=provenance, **own)

    # -- use -------------------------------------------------------------------------------------

    def proba(self, features: TokenFeatures) -> np.ndarray:
        if not len(features):
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        x = hashed_matrix(features, self.bits)
        z = np.asarray(x @ self.coef.T) + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def refine(self, text: str, doc, kept: Sequence[Span], dropped: Sequence[Span]) -> list[Span]:
        """The kept candidates the tagger confirms, plus spans for the words it alone would mask."""
        words, feats = token_features(doc, kept, dropped)
        if not words:
            return list(kept)
        p = self.proba(feats)
        p_mask = 1.0 - p[:, self._outside]
        starts = np.array([t.idx for t in words], dtype=np.int64)
        covered = np.zeros(len(words), dtype=bool)
        # A value is kept or dropped everywhere in the text at once: its mentions' word scores are
        # pooled (TAB counts an entity only when all its mentions are masked).
        groups: dict[str, list[float]] = {}
        ranges = []
        for s in kept:
            lo, hi = int(np.searchsorted(starts, s.start)), int(np.searchsorted(starts, s.end))
            idx = [i for i in range(lo, hi) if not words[i].is_punct]
            value = matching.key(text[s.start:s.end]) or text[s.start:s.end]
            groups.setdefault(value, []).extend(float(p_mask[i]) for i in idx)
            ranges.append((s, lo, hi, value))
        out = []
        for s, lo, hi, value in ranges:
            pooled = groups[value]
            judged = s.entity_type in self.classes and s.entity_type not in self.protect  # it learned this type
            if pooled and judged and sum(pooled) / len(pooled) < self.drop_below:
                continue
            covered[lo:hi] = True
            out.append(s)
        i = 0
        while i < len(words):
            if covered[i] or p_mask[i] < self.add_above or words[i].is_punct:
                i += 1
                continue
            j = i
            while j + 1 < len(words) and not covered[j + 1] and p_mask[j + 1] >= self.add_above:
                j += 1
            typ_scores = p[i : j + 1].sum(axis=0)
            typ_scores[self._outside] = -1
            typ = self.classes[int(typ_scores.argmax())]
            score = float(p_mask[i : j + 1].mean())
            end = words[j].idx + len(words[j])
            out.append(Span(words[i].idx, end, typ, round(score, 6), "learned", text[words[i].idx:end]))
            i = j + 1
        return out


@functools.lru_cache(maxsize=4)
def _cached(path: str, drop_below: float | None, add_above: float | None,
            protect: tuple[str, ...] | None) -> TokenTagger:
    return TokenTagger.load(path, drop_below=drop_below, add_above=add_above, protect=protect)


def load_tagger(path: str | None, drop_below: float | None = None, add_above: float | None = None,
                protect: Sequence[str] | None = None) -> TokenTagger:
    """The configured tagger (the shipped weights when ``path`` is empty), loaded once per process;
    a threshold or ``protect`` left None is the one the weights were fitted with."""
    return _cached(str(Path(path) if path else DEFAULT_MODEL), drop_below, add_above,
                   None if protect is None else tuple(protect))
