"""Organisations of the case by the shape of their names: capitalised words ending in an
organisation word ("Northbridge Prison", "Aliens' Department of the Northbridge Security
Headquarters", "Court of Appeal for Northern Ruritania (Hovrätten för Norra Ruritanien)"), companies by
legal form ("Carrow Instruments plc", "Fjordlys A/S") and prisons by prefix ("HMP Eastmoor").

The NER often finds only part of such names; the rule takes the whole name with its native-language
gloss. Public bodies named only by generic words ("the Supreme Court") are dropped later by the
detector's public-body filter, whichever recognizer found them.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import APOS, CAP_WORD, HYPHEN, LEADING_FUNCTION_WORDS, SP, alternation, words

HEAD = rf"(?:{alternation(words('org_heads'))}s?)"
ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
WORD = rf"(?:{ORDINAL}|{CAP_WORD})"
JOIN = rf"(?:{SP}+|{SP}*&{SP}*|{SP}+and{SP}+|s?{APOS}{SP}+|{HYPHEN})"
# Capitalised words ending in an organisation word: "Northbridge Security Headquarters", "Aliens' Department".
HEADED = rf"(?:{WORD}{JOIN}){{0,6}}{HEAD}\b"
SEGMENT = rf"{WORD}(?:{JOIN}{WORD}){{0,6}}"
GLOSS = rf"(?:{SP}*\((?!see\b|cf\b|Rule\b|Article\b|§)[^()\d\n]{{2,100}}\))?"
SUFFIX = alternation(words("company_suffixes"))


@RECOGNIZERS.register("organisation")
class OrganisationRecognizer(PatternRecognizer):
    name = "organisation"
    entity_type = "ORG"
    patterns = (
        Pattern(
            "headed",
            rf"\b{HEADED}(?:{SP}+(?:of|for|on|in){SP}+(?:the{SP}+)?{SEGMENT})*{GLOSS}",
            0.7,
        ),
        Pattern("company", rf"\b{SEGMENT}{SP}+{SUFFIX}(?![\w/]){GLOSS}", 0.8),
        Pattern("prison", rf"\b(?:HMP|HMYOI|HM{SP}+Prison|Her{SP}+Majesty{APOS}s{SP}+Prison){SP}+{SEGMENT}", 0.8),
    )

    def analyze(self, text: str, doc=None):
        out = []
        for span in super().analyze(text, doc):
            lead = LEADING_FUNCTION_WORDS.match(text, span.start, span.end)
            if lead:
                span = span.with_(start=lead.end())
            if span.end - span.start > 2:
                out.append(span)
        return out
