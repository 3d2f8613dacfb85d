"""Batches formed by a token budget, with a bounded set of padded shapes for a compiled (static) cache.

Why: on CUDA a static KV cache makes transformers compile the decoder once per (rows, padded length)
shape. Padding each batch of a fixed count to its own longest prompt made nearly every batch a new
shape: 203 s of compiling for 98 prompts at batch 8 on an H100, against ~1 s of warm work. Here
prompts sorted by length fill batches up to a budget of padded prompt tokens; with ``buckets`` the
padded length is rounded up to a power of two and the rows of a batch to a power of two no larger
than the bucket's full batch, so one call compiles at most two shapes per length bucket (full
batches and the one remainder).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

MIN_BUCKET = 128  # shortest padded prompt length when bucketing


@dataclass(frozen=True)
class Batch:
    indices: tuple[int, ...]  # positions of the real prompts, shortest first
    rows: int  # rows run (>= len(indices)); extra rows repeat a real prompt and are discarded
    length: int | None  # padded prompt length; None: the longest prompt of the batch

    @property
    def shape(self) -> tuple[int, int | None]:
        return self.rows, self.length


def bucket_length(n: int, cap: int, smallest: int = MIN_BUCKET) -> int:
    """The power of two at or above ``n`` (at least ``smallest``), never above ``cap``."""
    b = smallest
    while b < n:
        b *= 2
    return min(b, cap)


def _pow2_floor(n: int) -> int:
    return 1 << (max(1, n).bit_length() - 1)


def _pow2_ceil(n: int) -> int:
    return 1 << max(0, n - 1).bit_length()


def plan(lengths: Sequence[int], token_budget: int, max_rows: int, buckets: bool = False,
         max_length: int = 4096) -> list[Batch]:
    """Batches over prompts of the given token lengths (already capped at ``max_length``).

    Without buckets a batch grows while rows x longest prompt stays within the budget (and rows within
    ``max_rows``): little padding, any shape (the dynamic cache does not care). With buckets every
    batch has a padded length from a power-of-two ladder and a power-of-two row count.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    if not buckets:
        out, current = [], []
        for i in order:
            if current and (len(current) + 1 > max_rows or (len(current) + 1) * lengths[i] > token_budget):
                out.append(Batch(tuple(current), len(current), None))
                current = []
            current.append(i)
        if current:
            out.append(Batch(tuple(current), len(current), None))
        return out
    groups: dict[int, list[int]] = {}
    for i in order:
        groups.setdefault(bucket_length(lengths[i], max_length), []).append(i)
    out = []
    for length, idx in sorted(groups.items()):
        full = _pow2_floor(min(max_rows, max(1, token_budget // length)))
        for k in range(0, len(idx), full):
            part = tuple(idx[k : k + full])
            out.append(Batch(part, min(full, _pow2_ceil(len(part))), length))
    return out
