"""User names and handles: "@ivan_petrov" (a handle, wherever it stands), or a name after a word
that introduces one ("username ivan_petrov_1961", "login: ipetrov61") with a digit or an underscore
in it, so that "user guide" stays a phrase. A handle names a person as surely as a name; TAB would
mark one as CODE, and so does this recognizer.
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

HANDLE = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,38}[A-Za-z0-9_])?"


@RECOGNIZERS.register("username")
class UsernameRecognizer(PatternRecognizer):
    name = "username"
    entity_type = "CODE"
    group = "name"
    patterns = (
        # "@" with no word character or dot before it: not the middle of an e-mail address
        Pattern("handle", rf"(?P<name>@(?<![\w.+-]@){HANDLE})(?![\w@])", 0.85),
        Pattern("keyword", r"\b(?:user(?:[ _-]?name)?|handle|login|nick(?:name)?|screen[ _-]?name|account)"
                           rf"\s*(?:name)?\s*(?:is|:)?\s*(?P<name>(?=[A-Za-z0-9_.]*[_\d])(?=[A-Za-z0-9_.]*[A-Za-z]){HANDLE})\b",
                0.8, re.IGNORECASE),
    )
