"""E-mail addresses, also written out to slip past a parser: "ivan.petrov [at] example [dot] com",
"ivan(at)example.com", "ivan dot petrov at example dot com", "ivan.petrov at example.com",
"ivan.petrov @ example . com", "ivan.petrov [@] example.com".

The word "at" is common, so a written-out address needs more than it: a bracketed marker, a dot in
the name before it, or a written-out dot before a top-level domain from a list of widespread ones
("arrived at bbc.co.uk" and "look at it dot by dot" are no addresses). Written-out addresses are
found from their "at" outwards: a scan for the marker is fast, one for every word that might start
an address is not.
"""

import re

from ...spans import Span
from ..base import RECOGNIZERS, PatternRecognizer
from ..lexicon import stopwords

DOT_MARK = r"\s*[\[({<]\s*dot\s*[\])}>]\s*"
DOT_WORD = r"\s+dot\s+"
DOT = rf"(?:[^\S\n]*\.[^\S\n]*|{DOT_MARK}|{DOT_WORD})"  # "example.com", "example . com", "example dot com"
A_DOT = re.compile(rf"\.|{DOT_MARK}|{DOT_WORD}", re.IGNORECASE)  # in the name: plain or written out
LABEL = r"[\w-]+"
# Top-level domains after a written-out dot: generic ones and country codes that are not English words.
WRITTEN_TLD = (r"(?:com|org|net|edu|gov|info|biz|io|uk|de|fr|ru|tr|pl|es|nl|se|dk|fi|ch|ie|pt|gr|cz|hu|ro|bg"
               r"|ua|ca|au|eu|jp|cn|br|ar|mx|za|nz|il|sk|si|hr|rs|lt|lv|ee|ge|az|md)")
# The "at" itself, from a character a scan can look for (a bracket, or the white space before "at");
# the white space around it is taken after.
_AT = re.compile(r"(?P<mark>[\[({<][^\S\n]*(?:[Aa][Tt]|@)[^\S\n]*[\])}>]|[^\S\n]@[^\S\n])|\s[Aa][Tt](?=\s)")
_SPACE_AFTER = re.compile(r"\s*")
_NAME_BEFORE = re.compile(rf"[\w+-]+(?:{DOT}[\w+-]+)*$", re.IGNORECASE)
_ANY_DOMAIN = re.compile(rf"{LABEL}(?:{DOT}{LABEL})*{DOT}[a-z]{{2,}}\b", re.IGNORECASE)
_DOMAIN_AFTER = {  # what must follow the "at", by how the address is written
    "marked": _ANY_DOMAIN,
    "dotted_name": _ANY_DOMAIN,
    "written_dot": re.compile(rf"{LABEL}(?:{DOT}{LABEL})*(?:{DOT_MARK}|{DOT_WORD}){WRITTEN_TLD}\b", re.IGNORECASE),
}
LOOK_BACK = 100  # characters before the "at" searched for the name
# An address as written: the name before "@" starts at a word character and runs up to it.
_LOCAL_PART = re.compile(r"\b\w[\w.+-]*$")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")


@RECOGNIZERS.register("email")
class EmailRecognizer(PatternRecognizer):
    name = "email"
    entity_type = "EMAIL"
    def analyze(self, text: str, doc=None) -> list[Span]:
        spans = []
        at = text.find("@")
        while at >= 0:  # from each "@" outwards: a pattern run from every word would rescan long runs
            name = _LOCAL_PART.search(text, max(0, at - LOOK_BACK), at)
            domain = _DOMAIN.match(text, at + 1)
            if name is not None and domain is not None:
                spans.append(Span(name.start(), domain.end(), self.entity_type, 0.95, f"{self.name}:address",
                                  text[name.start() : domain.end()]))
                at = domain.end()
            at = text.find("@", at + 1)
        for at in _AT.finditer(text):
            after = _SPACE_AFTER.match(text, at.end()).end()
            # the domain first: after most "at"s none follows ("at the hearing"), and the name is not looked for
            kinds = ("marked",) if at.group("mark") else ("written_dot", "dotted_name")
            found = [(kind, d) for kind in kinds if (d := _DOMAIN_AFTER[kind].match(text, after))]
            if not found:
                continue
            window = max(0, at.start() - LOOK_BACK)
            before = window + len(text[window : at.start()].rstrip())
            name = _NAME_BEFORE.search(text, window, before)
            if name is None or not text[name.start()].isalpha():  # "12.03.2001 at hudoc..." is a date
                continue
            dotted = A_DOT.search(name.group()) is not None
            if not at.group("mark") and not dotted and name.group().lower() in stopwords():
                continue  # "visit us at example dot com"
            # the word "at" needs a dot in the name, or a written-out dot before a known domain
            kind, domain = next(((k, d) for k, d in found if k != "dotted_name" or dotted), (None, None))
            if domain is not None:
                start, end = name.start(), domain.end()
                spans.append(Span(start, end, self.entity_type, 0.85 if kind == "marked" else 0.8,
                                  f"{self.name}:{kind}", text[start:end]))
        return spans
