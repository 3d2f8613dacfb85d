"""How well detected spans cover the TAB gold: mention recall (PDR), entity recall ER_di / ER_qi
(TAB's definition: an entity counts when all its to-mask mentions are covered), token recall and
token precision.

A mention is covered when every word character in it lies inside some detected span, a leading
title ("Mr", "Mrs", "Judge", ...) ignored: masking "Mr [PERSON]" hides the person as well as
"[PERSON]" does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

from ..data.tab import MASKED_IDENTIFIER_TYPES
from ..detect.lexicon import LEADING_TITLES

WORD = re.compile(r"\w+")


def coverage(length: int, spans: Iterable) -> bytearray:
    """A byte per character: 1 where some span covers it."""
    covered = bytearray(length)
    for s in spans:
        start, end = max(0, int(s["start"] if isinstance(s, dict) else s.start)), int(s["end"] if isinstance(s, dict) else s.end)
        covered[start:min(end, length)] = b"\x01" * max(0, min(end, length) - start)
    return covered


def _field(m, name):
    return m[name] if isinstance(m, dict) else getattr(m, name)


def mention_positions(text: str | None, mention) -> list[int]:
    """Offsets of the word characters of a mention, its leading title left out.

    Without the text, the mention's own ``span_text`` gives its characters.
    """
    start, end = _field(mention, "start"), _field(mention, "end")
    surface = text[start:end] if text is not None else _field(mention, "span_text")
    title = LEADING_TITLES.match(surface)
    skip = title.end() if title and title.end() < len(surface) else 0
    return [start + i for i in range(skip, len(surface)) if surface[i].isalnum()]


def is_covered(text: str | None, mention, covered: bytearray) -> bool:
    return all(p < len(covered) and covered[p] for p in mention_positions(text, mention))



@dataclass
class DetectionScores:
    mentions: int = 0
    pdr: float = 0.0
    er_di: float = 0.0
    er_qi: float = 0.0
    token_recall: float = 0.0
    token_precision: float = 0.0
    direct_entities: int = 0
    quasi_entities: int = 0
    missed_by_type: dict = field(default_factory=dict)
    recall_by_type: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def score_documents(items: Sequence[tuple[str, Sequence, Sequence]]) -> DetectionScores:
    """Score (text, gold mentions, detected spans) triples; gold mentions carry identifier types.

    Mentions may be TAB ``Mention`` objects or dicts with start, end, entity_type, identifier_type,
    entity_id. Only DIRECT and QUASI mentions are to be masked; NO_MASK mentions count for nothing.
    """
    total = hit = 0
    entity_ok: dict[tuple[str, str], bool] = {}
    entity_kind: dict[tuple[str, str], str] = {}
    gold_tokens = gold_tokens_hit = det_tokens = det_tokens_gold = 0
    per_type_total: dict[str, int] = defaultdict(int)
    per_type_hit: dict[str, int] = defaultdict(int)
    for doc_index, (text, mentions, spans) in enumerate(items):
        covered = coverage(len(text), spans)
        masked = [m for m in mentions if _field(m, "identifier_type") in MASKED_IDENTIFIER_TYPES]
        gold_cov = coverage(len(text), masked)
        for m in masked:
            ok = is_covered(text, m, covered)
            total += 1
            hit += ok
            etype = _field(m, "entity_type")
            per_type_total[etype] += 1
            per_type_hit[etype] += ok
            key = (str(doc_index), str(_field(m, "entity_id")))
            entity_ok[key] = entity_ok.get(key, True) and ok
            kind = _field(m, "identifier_type")
            if entity_kind.get(key) != "DIRECT":
                entity_kind[key] = kind
        for w in WORD.finditer(text):
            in_gold = any(gold_cov[w.start():w.end()])
            in_det = any(covered[w.start():w.end()])
            gold_tokens += in_gold
            gold_tokens_hit += in_gold and in_det
            det_tokens += in_det
            det_tokens_gold += in_det and in_gold

    def ratio(a, b):
        return a / b if b else 1.0

    direct = [k for k, kind in entity_kind.items() if kind == "DIRECT"]
    quasi = [k for k, kind in entity_kind.items() if kind == "QUASI"]
    return DetectionScores(
        mentions=total,
        pdr=ratio(hit, total),
        er_di=ratio(sum(entity_ok[k] for k in direct), len(direct)),
        er_qi=ratio(sum(entity_ok[k] for k in quasi), len(quasi)),
        token_recall=ratio(gold_tokens_hit, gold_tokens),
        token_precision=ratio(det_tokens_gold, det_tokens),
        direct_entities=len(direct),
        quasi_entities=len(quasi),
        missed_by_type={t: per_type_total[t] - per_type_hit[t] for t in sorted(per_type_total)},
        recall_by_type={t: ratio(per_type_hit[t], per_type_total[t]) for t in sorted(per_type_total)},
    )
