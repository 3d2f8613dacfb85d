"""Names the judgment defines with an acronym ("Offender Behaviour Programme (“OBP”)",
"Harbour Transit Authority (“the HTA”)", "Housing Appeals Board (“HAB”)", "..., hereinafter “HBP”"):
the long name and the acronym; also compound acronyms of organisations ("DKSP/F").

The acronym is then used alone for the rest of the text; it gets its own span so that the
detector's propagation stage finds every later use. Definitions of ordinary words ("the
Convention", "the applicant") are not acronyms and are left alone.
"""

import re

from ...spans import Span
from ..base import RECOGNIZERS, Recognizer
from ..lexicon import CAP_WORD, HYPHEN, LEADING_FUNCTION_WORDS, SP

OPEN, CLOSE = "[\u201c\u201d\u2018\"']", "[\u201d\u201c\u2019\"']"
ACRONYM = r"(?=[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z])[A-Z][A-Za-z0-9]{1,7}"
CONNECTOR = r"(?:of|for|and|or|the|on|in|to|de|du|des|la|le)"
LONG = rf"(?:{CAP_WORD}(?:{SP}+{CONNECTOR})*(?:{SP}+|{HYPHEN})){{1,10}}(?:{CAP_WORD}|\d+)"
DEFINITION = re.compile(
    rf"(?P<long>{LONG})?{SP}*(?P<paren>\()(?:hereinafter{SP}+)?(?:[Tt]he{SP}+)?"
    rf"(?:{OPEN}(?:[Tt]he{SP}+)?(?P<quoted>{ACRONYM}){CLOSE}|(?P<bare>{ACRONYM}))\)"
)
# "(Halk Birliği Partisi, hereinafter “HBP”)": an acronym defined at the end of a gloss.
HEREINAFTER = re.compile(rf"\b(?:hereinafter|referred to as|known as){SP}+(?:the{SP}+)?{OPEN}(?:[Tt]he{SP}+)?(?P<acronym>{ACRONYM}){CLOSE}")
# Acronyms with a slash or hyphen are names of organisations ("DKSP/F", "MLKP-B").
COMPOUND = re.compile(r"\b[A-Z]{2,6}(?:[/-][A-Z]{1,6})+\b(?![/-]?\w)")


@RECOGNIZERS.register("acronym")
class AcronymRecognizer(Recognizer):
    name = "acronym"
    entity_types = ("ORG",)

    def analyze(self, text: str, doc=None) -> list[Span]:
        spans = []
        for m in DEFINITION.finditer(text):
            if m.group("bare") and not m.group("long"):
                continue  # "(CPT)" after lower-case words: too often a code or a currency
            start, end = m.span("quoted") if m.group("quoted") else m.span("bare")
            spans.append(Span(start, end, "ORG", 0.7, f"{self.name}:acronym"))
            if m.group("long"):
                long_start = m.start("long")
                lead = LEADING_FUNCTION_WORDS.match(text, long_start, m.end("long"))
                spans.append(Span(lead.end() if lead else long_start, m.end(), "ORG", 0.7, f"{self.name}:definition"))
            else:
                spans.append(Span(m.start("paren"), m.end(), "ORG", 0.6, f"{self.name}:definition"))
        for m in HEREINAFTER.finditer(text):
            spans.append(Span(*m.span("acronym"), "ORG", 0.7, f"{self.name}:hereinafter"))
        for m in COMPOUND.finditer(text):
            spans.append(Span(*m.span(), "ORG", 0.6, f"{self.name}:compound"))
        return spans
