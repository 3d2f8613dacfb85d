"""IP addresses, version 4 and 6, kept only when the standard library parses them as one ("10:30:00"
is a time; leading zeros, "192.168.001.010", are read as written). Four numbers after a word that
numbers provisions ("Rule 1.2.3.4", "point 3.1.2.1", "version 2.4.1.0") are a reference, not an
address. TAB would mark one as CODE, and so does this recognizer.
"""

import ipaddress
import re

from ...spans import Span
from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import REFERENCE_WORD

_NUMBERED = re.compile(rf"(?:{REFERENCE_WORD}|\b(?:[Pp]oints?|[Cc]lauses?|[Vv]ersions?|v\.?))\s*(?:[Nn]o\.\s*)?$")


@RECOGNIZERS.register("ip_address")
class IpAddressRecognizer(PatternRecognizer):
    name = "ip_address"
    entity_type = "CODE"
    patterns = (
        Pattern("v4", r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)", 0.85),
        Pattern("v6", r"(?<![\w:])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){7})[0-9A-Fa-f:]{2,39}(?:%\w+)?(?![\w:])", 0.85),
    )

    def analyze(self, text: str, doc=None) -> list[Span]:
        if "." not in text and ":" not in text:
            return []
        return [s for s in super().analyze(text, doc)
                if not (s.source.endswith(":v4") and _NUMBERED.search(text, max(0, s.start - 30), s.start))]

    def validate(self, value: str):
        address = value.split("%")[0]
        if "." in address:  # "192.168.001.010": leading zeros, which the standard library refuses
            address = ".".join(str(int(part)) for part in address.split("."))
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return None
        groups = [g for g in address.split(":") if g]
        return None if parsed.version == 6 and len(groups) < 2 else -1.0
