"""IP addresses, version 4 and 6, kept only when the standard library parses them as one ("10:30:00"
is a time, "1.2.3" a paragraph). TAB would mark one as CODE, and so does this recognizer.
"""

import ipaddress

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("ip_address")
class IpAddressRecognizer(PatternRecognizer):
    name = "ip_address"
    entity_type = "CODE"
    patterns = (
        Pattern("v4", r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)", 0.85),
        Pattern("v6", r"(?<![\w:])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){7})[0-9A-Fa-f:]{2,39}(?![\w:])", 0.85),
    )

    def analyze(self, text: str, doc=None):
        if "." not in text and ":" not in text:
            return []
        return super().analyze(text, doc)

    def validate(self, value: str):
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return None
        return None if address.version == 6 and value.count(":") < 3 else -1.0
