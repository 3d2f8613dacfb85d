"""Data minimization: send the cloud only the parts of the case text that the question needs.

Masking, pseudonyms and DP remove identifiers but keep the facts, and the facts are what a
re-identifier matches a public judgment on. ``Minimizer`` keeps the units (sentences or paragraphs)
most relevant to the question (MiniLM cosine, the model the project already ships), within a budget
of words, in their original order, with a marker wherever text was left out. A protection method
then runs over what was kept (``minimize+mask`` etc.; see docs/minimization.md).

The detected spans are re-based onto the kept text, and every occurrence there of a detected value
(or of its aliases) found anywhere in the whole text becomes a span too: a value detected only in a
left-out sentence is still covered where it recurs in a kept one. A value absent from the kept text
comes as an empty span carrying its text: the method replaces nothing for it but never produces it
(a pseudonym equal to a name of a left-out sentence would be refused by the guard).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

from .. import matching
from pydantic import Field, field_validator

from ..settings import Strict
from ..spans import Span, resolve_overlaps
from ..protected import protected_values

# Words whose trailing full stop does not end a sentence in ECHR judgments ("no. 10424/05", "Mr. X",
# "Art. 6", "cf. ..."); a single letter followed by a full stop is an initial ("H. K. Elban").
ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof mme mlle m messrs no nos art arts para paras p pp v vs cf e.g i.e etc "
    "st jr sr ltd co inc op cit ibid seq al approx sect ch vol fig".split())
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z])")


def split_units(text: str, unit: str = "sentence") -> list[tuple[int, int]]:
    """Half-open ranges of the text's units, in order, without surrounding whitespace: paragraphs are
    lines holding text; sentences end at ``.``, ``!`` or ``?`` (closing quotes or brackets included)
    before whitespace and a capital, except after an abbreviation or an initial."""
    out = []
    for p in _PARAGRAPH.finditer(text):
        a, b = p.start(), p.end()
        a += len(text[a:b]) - len(text[a:b].lstrip())
        b -= len(text[a:b]) - len(text[a:b].rstrip())
        if unit == "paragraph":
            out.append((a, b))
            continue
        start = a
        for m in _SENTENCE_END.finditer(text, a, b):
            word = text[start : m.start() + 1].split()[-1].lstrip("(\"“‘[").rstrip(".").casefold()
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            end = m.start() + len(m.group(0).rstrip())
            out.append((start, end))
            start = m.end()
        if start < b:
            out.append((start, b))
    return out


def join_crossed(units: list[tuple[int, int]], spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Units merged wherever a detected span runs across their boundary: a value is kept or left out whole."""
    out = list(units)
    for s in sorted(spans, key=lambda s: s.start):
        first = next((i for i, (a, b) in enumerate(out) if s.start < b), None)
        if first is None:
            continue
        last = first
        while last + 1 < len(out) and out[last + 1][0] < s.end:
            last += 1
        if last > first:
            out[first : last + 1] = [(out[first][0], out[last][1])]
    return out


@dataclass(frozen=True)
class Minimized:
    """What is kept of a text: the text to protect, its spans, and what share of the original it holds."""

    text: str
    spans: tuple[Span, ...]
    kept: tuple[tuple[int, int], ...]  # ranges of the original text kept, in order
    units: int  # units the text was cut into
    share: float  # characters kept / characters of the text's units (0 when nothing is kept)
    params: dict


@functools.lru_cache(maxsize=64)
def _question_vector(question: str) -> np.ndarray:
    return _embed([question])[0]


@functools.lru_cache(maxsize=512)
def _unit_vectors(units: tuple[str, ...]) -> np.ndarray:
    """A text's unit vectors, remembered: the policies of one job (and a bench's runs) minimize the same texts."""
    return _embed(list(units))


def _embed(texts: list[str]) -> np.ndarray:
    from ..llm.embedder import embedder  # the same MiniLM instance the metrics use: loaded once

    return embedder().encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)


class MinimizeConfig(Strict):
    """Extractive data minimization: the units of the case text most relevant to the question (MiniLM
    cosine), kept in their original order within a budget, a marker where text was left out."""

    unit: Literal["sentence", "paragraph"] = "sentence"
    share: float = Field(0.25, gt=0, le=1, description="most words kept, as a share of the text's words")
    max_tokens: int | None = Field(None, ge=1, description="most words kept whatever the share; null: no cap")
    marker: str = Field("[...]", description="stands where text was left out; must hold no two alphanumerics")

    @field_validator("marker")
    @classmethod
    def _neutral(cls, v: str) -> str:
        if sum(c.isalnum() for c in v) > 1 or not v.strip():
            raise ValueError("marker must be visible and hold at most one letter or digit (it must never "
                             "look like a detected value)")
        return v


class Minimizer:
    """Extractive minimization of a case text for a question (MinimizeConfig): the step before a
    ``minimize+METHOD`` policy's method, set by EdgeModel hyperparameters ``minimize.<key>``."""

    name = "minimize"
    Settings = MinimizeConfig

    def __init__(self, config: MinimizeConfig | None = None):
        self.config = config or MinimizeConfig()

    def warm_up(self) -> None:
        """Load MiniLM now, so that sanitization timings measure the work, not the loading."""
        _embed(["warm up"])

    def budget(self, words: int) -> int:
        """Most words kept out of ``words``."""
        cap = math.floor(self.config.share * words + 1e-9)
        return cap if self.config.max_tokens is None else min(cap, self.config.max_tokens)

    def select(self, words: Sequence[int], scores: Sequence[float]) -> list[int]:
        """Indices of the units kept, in text order: by relevance (ties: the earlier unit), each unit
        that still fits within the budget; none when none fits (the budget is never exceeded)."""
        budget, used, kept = self.budget(sum(words)), 0, []
        for i in sorted(range(len(words)), key=lambda i: (-scores[i], i)):
            if used + words[i] <= budget:
                kept.append(i)
                used += words[i]
        return sorted(kept)

    def minimize(self, text: str, question: str, spans: Sequence[Span]) -> Minimized:
        units = join_crossed(split_units(text, self.config.unit), spans)
        words = [len(text[a:b].split()) for a, b in units]
        scores = (_unit_vectors(tuple(text[a:b] for a, b in units)) @ _question_vector(question)).tolist() if units else []
        keep = self.select(words, scores)
        out, runs = self._assemble(text, units, keep)
        total = sum(b - a for a, b in units)
        kept_chars = sum(units[i][1] - units[i][0] for i in keep)
        params = {**self.config.model_dump(exclude={"marker"}), "units": len(units), "kept_units": len(keep),
                  "kept_share": round(kept_chars / total, 4) if total else 0.0}
        return Minimized(out, tuple(self._rebase(text, spans, out, runs)), tuple(units[i] for i in keep),
                         len(units), kept_chars / total if total else 0.0, params)

    def _assemble(self, text: str, units: list[tuple[int, int]], keep: list[int]):
        """The kept runs of consecutive units (with the text between them) joined by the marker, which
        also opens or closes the text where its beginning or end was left out. Returns the text and
        each run as (start in output, start in text, end in text)."""
        marker = self.config.marker
        runs: list[list[int]] = []
        for i in keep:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        parts: list[str] = []
        mapped: list[tuple[int, int, int]] = []
        pos = 0
        for k, run in enumerate(runs):
            if k > 0 or run[0] > 0:
                parts.append(marker + "\n")
                pos += len(marker) + 1
            a, b = units[run[0]][0], units[run[-1]][1]
            mapped.append((pos, a, b))
            parts.append(text[a:b])
            pos += b - a
            if k < len(runs) - 1 or run[-1] < len(units) - 1:
                parts.append("\n")
                pos += 1
        if not runs and units:
            parts.append(marker)
        elif runs and runs[-1][-1] < len(units) - 1:
            parts.append(marker)
        return "".join(parts), mapped

    @staticmethod
    def _rebase(text: str, spans: Sequence[Span], out: str, runs: list[tuple[int, int, int]]) -> list[Span]:
        """The spans inside kept runs, shifted onto ``out``, and every occurrence in ``out`` of a value
        protected anywhere in ``text`` (with its aliases), typed as that value."""
        moved = []
        for s in spans:
            for o, a, b in runs:
                if a <= s.start and s.end <= b:
                    moved.append(s.with_(start=s.start - a + o, end=s.end - a + o))
                    break
        protected = protected_values(text, spans)
        hits = matching.occurrences(out, [v for v, *_ in protected.values()])
        extra = [Span(o.start, o.end, protected[o.key][1], 1.0, "minimize") for o in hits]
        found = {o.key for o in hits}
        # A value only in left-out text: an empty span carrying it, so that the sanitizer never makes it
        # (a surrogate, a perturbed word) while the guard forbids it. Covering it replaces nothing.
        absent = [Span(0, 0, entity_type, 0.0, "minimize:absent", text=value)
                  for k, (value, entity_type, _) in protected.items() if k not in found]
        return [*resolve_overlaps([*moved, *extra], out), *absent]
