"""Postcodes: the UK format (SW1A 1AA, M1 1AE, in small letters in a message too), which ECHR texts
quote in addresses, the Canadian one (K1A 0B1), and numeric
codes that a "postcode"/"postal code"/"zip" keyword introduces (elsewhere a bare number of five digits
is far more often something else).
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("postcode")
class PostcodeRecognizer(PatternRecognizer):
    name = "postcode"
    entity_type = "LOC"
    group = "code"
    patterns = (
        Pattern("uk", r"(?P<code>\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}\b)", 0.85),
        # in a message in small letters ("dn22 7ej"): the same shape, with its space
        Pattern("uk_small", r"(?P<code>(?<![\w-])[a-z]{1,2}\d[a-z\d]?\s\d[abd-hjlnp-uw-z]{2}(?![\w-]))", 0.75),
        Pattern("canada", r"(?P<code>\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b)", 0.8),
        Pattern(
            "keyword",
            r"\b(?:post(?:al)?\s?code|zip(?:\s?code)?|code postal|PLZ)\s*:?\s*(?P<code>\d{2}[\s-]?\d{3}|\d{4,6})\b",
            0.8,
            re.IGNORECASE,
        ),
    )
