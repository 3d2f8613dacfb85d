"""Differential privacy (complexity 3): mask every detected span, then perturb the remaining words
with CusText (Chen et al., "A Customized Text Sanitization Mechanism with Differential Privacy",
Findings of ACL 2023).

1. ``MaskSanitizer`` replaces every occurrence of every detected value by its typed placeholder,
   so no detected span can survive, whatever the noise does.
2. Every word token outside the placeholders whose lowercase form is in the mechanism's vocabulary
   (see ``dp_vocabulary``: common lowercase English words, no stopwords, no proper-noun-like words)
   is replaced by a word of its CusText group drawn with the exponential mechanism
   Pr[y | x] ∝ exp(eps * u(x, y) / 2), u in [0, 1] (see ``custext``). The output keeps the
   input's case pattern (word, Word, WORD). Every other token is kept unchanged: words outside the
   vocabulary, mixed-case words, numbers, punctuation, whitespace and the placeholders.
3. A final check (``base.without_values``) replaces any occurrence of a detected value in the output,
   matched as the egress guard matches (NFKC, word-bounded, case-insensitive), by that value's
   placeholder, so noise can never reintroduce one ("supreme tribunal" -> "high court" when "High
   Court" was detected). It is post-processing that does not look at the perturbed words' inputs, so
   the guarantee is kept.

Guarantee (eps = ``DPConfig.epsilon``): for any two words x, x' of the same group and every output
word y, Pr[y | x] <= e^eps * Pr[y | x']. That is, each perturbed token is eps-DP with respect to
replacing it by any other word of its group, conditioned on the detected spans and the rest of the
text. Protected: which word of its group a vocabulary token was. Not protected: the group itself
(the output word is in it), tokens outside the vocabulary (rare words, names the detector missed,
stopwords, numbers, punctuation), the text's length, layout and case pattern, and the placeholders
(their types and which ones repeat). eps composes additively over tokens: documents that differ in
k vocabulary tokens are (k * eps)-indistinguishable, a word repeated k times is protected at k * eps,
and a paragraph of n perturbed tokens only at n * eps. The noise comes from a generator seeded by
HMAC(key, text), the key a subkey of the workspace secret (``secret_key``): the same workspace gives
the same output for the same input (a rerun sends the same payload, and releasing a document again
reveals nothing new), and the guarantee holds against an adversary who does not have the secret.
A ``seed`` in the YAML replaces the key (a research setting: runs reproduce anywhere, and the
guarantee does not hold against whoever knows the seed).
docs/dp.md says the same at more length.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Literal, Sequence

import numpy as np

from pydantic import Field, model_validator

from ..settings import Strict
from ..secret_key import subkey
from ..spans import Span
from ..protected import protected_values
from .base import SANITIZERS, Replacement, Sanitized, Sanitizer, without_values
from .custext import CusText
from .mask import MaskConfig, MaskSanitizer, value_marks

WORD_RX = re.compile(r"\w+")
WORD_TYPE = "WORD"


def _case_of(token: str):
    """How to give a lowercase word the case pattern of ``token``; None for mixed case."""
    if token.islower():
        return str
    if token.isupper():
        return str.upper
    if token[:1].isupper() and token[1:].islower():
        return str.capitalize
    return None


class DPConfig(Strict):
    """CusText token perturbation after masking; the guarantee is stated in docs/dp.md."""

    mechanism: Literal["custext"] = "custext"
    epsilon: float = Field(8.0, gt=0, le=1000)
    group_size: int = Field(20, ge=2, le=1000)
    seed: int | None = Field(None, description="research setting: a fixed key of the per-document "
                             "generator, so that runs reproduce anywhere; the guarantee does not hold "
                             "against whoever knows it. null: the workspace secret (see secret_key.py)")
    vocabulary_size: int = Field(8000, ge=50)
    perturb_stopwords: bool = False
    exclude_proper_nouns: bool = True

    @model_validator(mode="after")
    def _one_group_fits(self):
        if self.group_size > self.vocabulary_size:
            raise ValueError(f"group_size ({self.group_size}) exceeds "
                             f"vocabulary_size ({self.vocabulary_size})")
        return self


@SANITIZERS.register("dp")
class DPSanitizer(Sanitizer):
    """Mask detected spans, then CusText-perturb the remaining vocabulary words."""

    name = "dp"
    Settings = DPConfig
    placeholders = True

    def __init__(self, config: DPConfig | None = None, mask: MaskConfig | None = None, secret: bytes | None = None):
        """``secret``: the workspace secret (``secret_key.workspace_secret``); needed unless a seed is set."""
        super().__init__(config)
        if self.config.seed is None and secret is None:
            raise ValueError("DPSanitizer needs the workspace secret (or a seed, as a research setting)")
        self._key = subkey(secret, self.name) if self.config.seed is None else None
        self.masker = MaskSanitizer(mask)
        self._mechanism: CusText | None = None

    @classmethod
    def needs_secret(cls, settings: DPConfig) -> bool:
        return settings.seed is None

    @property
    def mechanism(self) -> CusText:
        """The CusText tables (built on first use; cached per process)."""
        if self._mechanism is None:
            from .dp_vocabulary import load_custext

            c = self.config
            self._mechanism = load_custext(c.vocabulary_size, c.group_size, c.epsilon,
                                           c.perturb_stopwords, c.exclude_proper_nouns)
        return self._mechanism

    def warm_up(self) -> None:
        self.mechanism  # noqa: B018  (builds the tables)

    def params(self) -> dict:
        c = self.config
        return {"mechanism": c.mechanism, "epsilon": c.epsilon, "group_size": c.group_size,
                "vocabulary_size": c.vocabulary_size, "reproducible": c.seed is not None}  # never the key

    def rng(self, text: str) -> np.random.Generator:
        """The document's generator: HMAC(workspace subkey, text), or SHA-256 of a YAML seed and the text."""
        data = text.encode("utf-8", "surrogatepass")
        if self._key is not None:
            digest = hmac.new(self._key, data, hashlib.sha256).digest()
        else:
            digest = hashlib.sha256(f"custext\x1f{self.config.seed}\x1f".encode() + data).digest()
        return np.random.default_rng(np.frombuffer(digest, dtype=np.uint32))

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        masked = self.masker.sanitize(text, spans)
        mech = self.mechanism

        # vocabulary words between the placeholders, in original-text offsets
        where, ids, cases = [], [], []
        pos = 0
        for a, b in [(it.start, it.end) for it in masked.items] + [(len(text), len(text))]:
            for m in WORD_RX.finditer(text, pos, a):
                tok = m.group(0)
                if not (tok.isascii() and tok.isalpha()):
                    continue
                case = _case_of(tok)
                i = mech.index.get(tok.lower()) if case is not None else None
                if i is not None:
                    where.append(m.span())
                    ids.append(i)
                    cases.append(case)
            pos = b
        out_ids = mech.sample(np.asarray(ids, dtype=np.int64), self.rng(text))
        noise = [Replacement(s, e, WORD_TYPE, text[s:e], case(mech.words[o]), self.name)
                 for (s, e), i, o, case in zip(where, ids, out_ids.tolist(), cases) if o != i]

        values = {v for v, *_ in protected_values(text, spans).values()} | {it.original for it in masked.items}
        marks = value_marks(spans, masked.items, text)
        out, edits = without_values(text, list(masked.items) + noise, values, marks, self.name)
        return Sanitized(out, self.name, self.params(), tuple(edits), dict(masked.mapping))
