"""Persons the judgment itself pseudonymises by initials ("M.", "W.K.", "D.Ş", “K”, "A, B and R",
"K's"), and an initial before a surname in capitals ("L. PETERSEN", as a card or a form writes it):
anonymised names still point at the people of the case, and TAB masks them.

Initials that open a line (after any Markdown marks: "### I.") are section headings ("A. The facts",
"II. Relevant law", "I. CIRCUMSTANCES OF THE CASE") and are left alone, as are common abbreviations
(U.K., U.N.).
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import APOS, UPPER, stopwords

QUOTES_OPEN, QUOTES_CLOSE = "[\u201c\u2018\"'\u00ab]", "[\u201d\u2019\"'\u00bb]"
ABBREVIATIONS = frozenset({"U.K.", "U.S.", "U.N.", "E.U.", "A.D.", "B.C.", "N.B.", "P.S.", "S.A.", "U.S.A.",
                           "U.S.S.R.", "I.D.", "T.V.", "D.C.", "Q.C.", "K.C.", "M.P.", "J.P.", "P.C.", "A.G."})


@RECOGNIZERS.register("initials")
class InitialsRecognizer(PatternRecognizer):
    name = "initials"
    entity_type = "PERSON"
    patterns = (
        Pattern("dotted", rf"(?<![\w.]){UPPER}\.(?:\s?{UPPER}\.){{0,2}}(?:{UPPER}(?![\w.]))?", 0.6),
        Pattern("quoted", rf"(?<={QUOTES_OPEN}){UPPER}(?={QUOTES_CLOSE})", 0.75),
        Pattern("possessive", rf"\b{UPPER}(?={APOS}s\b)", 0.6),
        Pattern("letter_list", rf"\b{UPPER}(?:,\s*{UPPER}\b){{1,8}},?\s+and\s+{UPPER}\b(?![.\w])", 0.6),
        # an initial, then a surname in capitals, as on a card or a form ("L. PETERSEN")
        Pattern("initial_surname", rf"(?<![\w.]){UPPER}\.[^\S\n]?{UPPER}{{3,}}(?:[-\u2010]{UPPER}{{2,}})?(?![\w.])", 0.75),
    )

    def validate(self, value: str):
        if value[-1].isalpha() and len(value) > 3 and value.split(".")[-1].strip().lower() in stopwords():
            return None  # "A. THE ..."
        compact = value.replace(" ", "")
        if compact in ABBREVIATIONS or compact.rstrip(".") + "." in ABBREVIATIONS:
            return None
        return -1.0

    def analyze(self, text: str, doc=None):
        return [s for s in super().analyze(text, doc)
                if not (s.source.endswith((":dotted", ":initial_surname")) and opens_line(text, s.start))]


def opens_line(text: str, start: int) -> bool:
    """Only blanks or Markdown heading/list marks between the line start and ``start``."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip(" \t#*>-")
