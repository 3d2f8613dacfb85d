"""CusText (Chen et al., Findings of ACL 2023), the mechanism alone: pure numpy, no model, no text.

Given words (most frequent first) and their embedding vectors:

1. **Mapping.** The vocabulary is cut to a multiple of ``group_size`` and split greedily into
   disjoint groups: the first unassigned word, in vocabulary order, and its ``group_size - 1``
   nearest unassigned neighbours (cosine similarity) form one group; repeat. Every group has
   exactly ``group_size`` words, so every word has the same number of alternatives.
2. **Sampling.** A word x of group G is replaced by y in G with probability

       Pr[y | x] = exp(eps * u(x, y) / 2) / sum_{z in G} exp(eps * u(x, z) / 2),

   where u(x, y) = (s(x, y) - min_z s(x, z)) / (max_z s(x, z) - min_z s(x, z)) is the cosine
   similarity s min-max normalised over G for the row of x (u(x, x) = 1, the least similar word
   gets 0). Every u lies in [0, 1], so its sensitivity is 1, and this is the exponential mechanism:
   for all x, x' in G and every y, Pr[y | x] <= e^eps * Pr[y | x'].

The ``group_size - 1`` alternatives are the only outputs; a word outside the vocabulary is not
this mechanism's business (the sanitizer keeps it unchanged).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (float64); a zero row stays zero."""
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def greedy_groups(unit: np.ndarray, group_size: int) -> np.ndarray:
    """CusText's mapping: disjoint groups of ``group_size`` row indices, shape (n // group_size, group_size).

    Rows are taken in order; each untaken row is grouped with its ``group_size - 1`` most similar
    untaken rows (ties: the earlier row). Column 0 of each group is the word that opened it; the
    others follow by decreasing similarity to it. ``len(unit)`` must be a multiple of ``group_size``.
    Similarities are float32 dot products over the rows still free, compacted as groups fill, so
    8,000 words take a fraction of a second.
    """
    n = len(unit)
    if group_size < 1 or n % group_size:
        raise ValueError(f"{n} words cannot be split into groups of {group_size}")
    free = np.ones(n, dtype=bool)
    groups = np.empty((n // group_size, group_size), dtype=np.int64)
    live = np.arange(n)  # rows of ``vecs``: a superset of the free rows, in vocabulary order
    vecs = np.ascontiguousarray(unit, dtype=np.float32)
    need = group_size - 1
    k = 0
    for i in range(n):
        if not free[i]:
            continue
        free[i] = False
        groups[k, 0] = i
        if need:
            if free[live].sum() * 2 < len(live):
                keep = free[live]
                live, vecs = live[keep], vecs[keep]
            sims = np.where(free[live], vecs @ np.asarray(unit[i], dtype=np.float32), -np.inf)
            # stable sort on -sims: equal similarities keep vocabulary order (deterministic)
            best = live[np.argsort(-sims, kind="stable")[:need]]
            free[best] = False
            groups[k, 1:] = best
        k += 1
    return groups


class CusText:
    """The exponential mechanism over fixed groups of words.

    Args:
        words: the vocabulary (lowercase words), most frequent first.
        vectors: one embedding row per word.
        group_size: words per group (the vocabulary is cut to a multiple of it).
        epsilon: the privacy parameter of each token.
        groups: a precomputed mapping (``greedy_groups`` over these words); computed when omitted.
    """

    name = "custext"

    def __init__(self, words: Sequence[str], vectors: np.ndarray, group_size: int, epsilon: float,
                 groups: np.ndarray | None = None):
        if not (epsilon > 0 and np.isfinite(epsilon)):
            raise ValueError(f"epsilon must be a positive finite number, got {epsilon!r}")
        if len(words) != len(vectors):
            raise ValueError(f"{len(words)} words but {len(vectors)} vectors")
        n = len(words) // group_size * group_size
        if n == 0:
            raise ValueError(f"{len(words)} words are fewer than one group of {group_size}")
        self.words: tuple[str, ...] = tuple(words[:n])
        if len(set(self.words)) != n:
            raise ValueError("vocabulary words must be distinct")
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        self.epsilon = float(epsilon)
        self.group_size = group_size
        unit = unit_rows(np.asarray(vectors)[:n])
        self.groups = greedy_groups(unit, group_size) if groups is None else np.asarray(groups)
        if self.groups.shape != (n // group_size, group_size) or set(self.groups.ravel()) != set(range(n)):
            raise ValueError("groups must partition the vocabulary into groups of group_size")
        self.group_of = np.empty(n, dtype=np.int64)
        self.position = np.empty(n, dtype=np.int64)
        self.group_of[self.groups] = np.arange(len(self.groups))[:, None]
        self.position[self.groups] = np.arange(group_size)[None, :]
        self.utility = self._utility(unit[self.groups])
        logits = self.epsilon / 2.0 * self.utility
        logits -= logits.max(axis=2, keepdims=True)
        weights = np.exp(logits)
        self.prob = weights / weights.sum(axis=2, keepdims=True)  # (groups, row x, column y)
        cdf = np.cumsum(self.prob, axis=2)
        cdf /= cdf[:, :, -1:]
        self._cdf = cdf

    @staticmethod
    def _utility(members: np.ndarray) -> np.ndarray:
        """u[k, i, j] in [0, 1]: similarity of word j to word i in group k, min-max normalised per row."""
        sims = np.einsum("kid,kjd->kij", members, members)
        lo = sims.min(axis=2, keepdims=True)
        hi = sims.max(axis=2, keepdims=True)
        spread = hi - lo
        return np.divide(sims - lo, spread, out=np.ones_like(sims), where=spread > 0)

    def __len__(self) -> int:
        return len(self.words)

    def group(self, word: str) -> tuple[str, ...]:
        """The words ``word`` can become (its group, itself included)."""
        return tuple(self.words[j] for j in self.groups[self.group_of[self.index[word]]])

    def probabilities(self, word: str) -> dict[str, float]:
        """Pr[y | word] for every y of its group."""
        i = self.index[word]
        k, row = self.group_of[i], self.position[i]
        return {self.words[j]: float(p) for j, p in zip(self.groups[k], self.prob[k, row])}

    def max_log_ratio(self) -> float:
        """max over groups, x, x', y of ln(Pr[y|x] / Pr[y|x']): the epsilon the tables actually achieve."""
        logp = np.log(self.prob)  # (k, x, y)
        return float((logp.max(axis=1) - logp.min(axis=1)).max())

    def sample(self, ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One output word index per input word index (vectorised inverse-CDF sampling)."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size == 0:
            return ids.copy()
        k, row = self.group_of[ids], self.position[ids]
        draws = rng.random(ids.shape)
        col = (self._cdf[k, row] < draws[..., None]).sum(axis=-1)
        np.minimum(col, self.group_size - 1, out=col)
        return self.groups[k, col]
