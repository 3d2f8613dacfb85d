"""Names whose shape says they are names where the NER misses them: a double-barrelled surname
("Beaulieu-Tessier", "Gallagher-Vane": two capitalised parts joined by a hyphen, neither a prefix
such as "Anti-" or a compass word) and two or three capitalised words in quotation marks
(`Call "Mireille Vantongeren"`), none of them a word of institutions or a function word. The
capitalised words next to such a name join it (detect/whole_values.py: "Marguerite Beaulieu-Tessier").
"""

from __future__ import annotations

import functools
import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer
from ..lexicon import LOWER, UPPER, stopwords, words

PART = rf"{UPPER}{LOWER}+"
_HYPHENATED = re.compile(rf"(?<![\w-]){PART}(?:[-\u2010\u2011]{PART})+(?![\w-])")
_QUOTED = re.compile(rf"[\"\u201c\u00ab]((?:{PART}|{UPPER}\.)(?:[^\S\n]+{PART}){{1,2}})[\"\u201d\u00bb]")
PREFIXES = frozenset("""anti pro non post pre co vice ex inter intra trans under over self sub super north south east
west central euro afro indo sino anglo franco greco austro russo german saint st""".split())


@functools.lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(w.casefold() for name in ("public_bodies", "org_heads", "demonyms", "public_names")
                     for w in words(name)) | stopwords()


@RECOGNIZERS.register("name_shape")
class NameShapeRecognizer(Recognizer):
    name = "name_shape"
    entity_types = ("PERSON",)

    def analyze(self, text: str, doc=None) -> list[Span]:
        spans = []
        if "-" in text or "\u2010" in text or "\u2011" in text:
            for m in _HYPHENATED.finditer(text):
                parts = [p.casefold() for p in re.split("[-\u2010\u2011]", m.group())]
                if not any(p in PREFIXES or p in _generic() for p in parts):
                    spans.append(Span(m.start(), m.end(), "PERSON", 0.7, "name_shape:hyphenated"))
        if '"' in text or "\u201c" in text or "\u00ab" in text:
            for m in _QUOTED.finditer(text):
                if not any(w.casefold() in _generic() for w in m.group(1).split()):
                    spans.append(Span(*m.span(1), "PERSON", 0.7, "name_shape:quoted"))
        return spans
