"""Telephone and fax numbers: international (+CC or 00 CC ...), introduced by a phone keyword, or
in a national layout: a trunk prefix 0 ("020-7946-0958", "095 123 45 67", "0 532 123 45 67",
"030/12345678"), an area code in brackets ("(555) 123-4567", "(0)20 7946 0958", "(020)79460958"),
the Russian trunk 8 ("8 912 345 67 89", "8 (800) 555-35-35") or the North American 3-3-4 with
hyphens or stops ("555-123-4567", "1-555-123-4567"). Groups may be separated by spaces, stops,
slashes or any dash. Without a prefix, a bracket or a keyword, groups of digits are as likely to be
sums or references, so they are left alone; seven digits at least."""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

SEP = r"(?:[ .\-/\u2010-\u2013\u2212]|\u00a0)"  # between groups of digits: a space, stop, slash or any dash


@RECOGNIZERS.register("phone")
class PhoneRecognizer(PatternRecognizer):
    name = "phone"
    entity_type = "PHONE"
    group = "number"
    patterns = (
        Pattern("international", rf"(?P<number>(?:\+|\b00[ ]?)\d{{1,3}}{SEP}?(?:\(\d{{1,4}}\){SEP}?)?\d{{1,4}}(?:{SEP}?\d{{2,4}}){{1,5}})",
                0.85),
        Pattern(
            "keyword",
            r"\b(?:tel|telephone|phone|fax|mobile)\.?(?:\s+(?:no|number)\.?)?\s*:?\s*"
            rf"(?P<number>\(?\d{{1,5}}\)?(?:{SEP}?\d{{2,5}}){{1,4}})",
            0.8,
            re.IGNORECASE,
        ),
        # each starts with the character it looks for, the check of the one before it after: a scan
        # then skips to each "0", "(", "8" or "1" instead of trying every position
        Pattern("trunk", rf"(?P<number>0(?<![\w/.-]0)[ ]?\d{{1,4}}(?:{SEP}\d{{2,4}}){{2,4}}|0(?<![\w/.-]0)\d{{2,4}}/\d{{5,8}})"
                rf"(?!\w|{SEP}\d|\.\d)", 0.75),
        Pattern("area_code", rf"(?P<number>\((?<![\w/]\()\d{{1,5}}\)(?:{SEP}?\d{{2,4}}(?:{SEP}\d{{2,4}}){{1,3}}|\d{{6,10}}))"
                rf"(?!\w|{SEP}\d|\.\d)", 0.75),
        Pattern("russian_trunk", rf"(?P<number>8(?<![\w/.-]8)[ -]?\(?\d{{3}}\)?[ -]?\d{{3}}[ -]?\d{{2}}[ -]?\d{{2}})(?!\w|{SEP}\d)",
                0.75),
        Pattern("north_american", r"(?P<number>(?:1(?<![\w/.-]1)[-. ])?\d{3}([.-])\d{3}\2\d{4})(?![\w/-]|\.\d)", 0.75),
    )

    def validate(self, value: str):
        digits = sum(c.isdigit() for c in value)
        return None if digits < 7 else -1.0
