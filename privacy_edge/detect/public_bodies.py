"""Fit the public-bodies lexicon (``lexicons/public_bodies.txt``) on TAB annotations of the train split.

The filter (filters.py) drops an organisation made only of generic institutional words and
demonyms ("the Supreme Court", "the Turkish Government"): TAB's annotators leave those unmasked,
while "the Ankara State Security Court" is masked. Which words are generic is read from the
annotations, by a rule with two fixed settings (no tuning on scores):

1. candidates: the content words of organisation mentions left unmasked (NO_MASK) in at least
   ``min_documents`` documents; not a word that is, alone, a place or a person in the annotations
   ("Istanbul", "Turkey"), so a lexicon never holds names;
2. pruning: while some word's organisation mentions made only of generic words are masked more
   often than ``max_masked``, the worst such word goes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

from .filters import CONNECTORS, CONTENT_WORD
from .lexicon import words

MIN_DOCUMENTS = 2
MAX_MASKED = 0.5
MIN_LENGTH = 3  # "th" of "4th" is no word


def content_words(surface: str) -> list[str]:
    """The casefolded content words of a surface form, as the filter reads them."""
    found = (w.casefold() for w in CONTENT_WORD.findall(surface))
    return [w.removesuffix("\u2019s").removesuffix("'s") for w in found if w not in CONNECTORS]


def fit_public_bodies(documents: Sequence, min_documents: int = MIN_DOCUMENTS,
                      max_masked: float = MAX_MASKED) -> list[str]:
    """The generic institutional words of ``documents`` (``TabDocument``s), in their usual spelling."""
    demonyms = {w.casefold() for w in words("demonyms")}
    orgs: list[tuple[list[str], bool]] = []
    names: set[str] = set()
    unmasked_in: dict[str, set[str]] = defaultdict(set)
    spelling: dict[str, Counter] = defaultdict(Counter)
    for d in documents:
        for m in d.mentions:
            ws = content_words(m.span_text)
            if m.entity_type in ("LOC", "PERSON") and len(ws) == 1:
                names.update(ws)
            if m.entity_type != "ORG" or not ws:
                continue
            orgs.append((ws, m.to_mask))
            for w in CONTENT_WORD.findall(m.span_text):
                spelling[w.casefold()][w] += 1
            if not m.to_mask:
                for w in ws:
                    unmasked_in[w].add(d.doc_id)
    generic = {w for w, ds in unmasked_in.items()
               if len(ds) >= min_documents and len(w) >= MIN_LENGTH and w not in names and w not in demonyms}
    while generic:
        masked, total = Counter(), Counter()
        for ws, to_mask in orgs:
            if all(w in generic or w in demonyms for w in ws):
                for w in set(ws) & generic:
                    masked[w] += to_mask
                    total[w] += 1
        worst = max(generic, key=lambda w: (masked[w] / total[w] if total[w] else 0.0, w))
        if not total[worst] or masked[worst] / total[worst] <= max_masked:
            break
        generic.discard(worst)
    return sorted((spelling[w].most_common(1)[0][0] if spelling[w] else w for w in generic), key=str.casefold)


HEADER = """\
# Words that, on their own, name only a public function: "the Supreme Court", "the Ministry of Justice".
# An organisation span made only of these words, demonyms and connectors (of, the, and, for) identifies
# nobody; one with a place or a proper name in it ("the Ankara State Security Court") is kept.
# Fitted on TAB annotations (detect/public_bodies.py), never edited by hand: {provenance}
"""


def write_lexicon(entries: Sequence[str], path: str | Path, provenance: dict) -> Path:
    """Write the lexicon with a header naming what it was fitted on (ids digest, not the ids)."""
    path = Path(path)
    said = (f"{provenance['split']} split, {provenance['documents']} documents "
            f"(ids sha256 {provenance['doc_ids_sha256']}), `{provenance['command']}` at {provenance['commit']}")
    path.write_text(HEADER.format(provenance=said) + "\n".join(entries) + "\n", encoding="utf-8")
    return path
