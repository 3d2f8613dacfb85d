"""Which gold tokens reached the egress: the leakage metrics' own judge, written apart from the
egress guard's matcher (``privacy_edge.matching``), so that what the matcher cannot see, SELS can
still count.

Texts are transliterated to ASCII (``unidecode``), cased down and cut into runs of letters and digits
(tokens). A gold mention's *identifying* tokens are its words of three letters or more that are no
function words or titles, its numbers of three digits or more, and its mixed tokens ("36110", "4B",
"nw1"). A token reaches the egress when the egress's case text holds it more often than the original
text does outside the to-mask mentions: "Court" that the text writes ten times elsewhere is no leak
when the egress writes it ten times, "Wexley" written once in the egress is. When a token occurs in
several mentions and fewer times in the surplus, each occurrence counts in proportion. A mention's
leak share is the share of its identifying tokens that reached the egress ("Mr [PERSON_1] Wexley"
leaks half of "Tomas Wexley"); a mention without identifying tokens (a day "3", "B.") leaks when
all of its tokens are in the surplus.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Sequence

from unidecode import unidecode

_TOKEN = re.compile(r"[a-z0-9]+")
# Function words and titles: what any text of the language holds, identifying nobody.
_COMMON = frozenset("""
a an the of and or in on at by for to from with without into onto upon about over under after before
between during since until than as via per is was were be been are his her their its our your my no nr
mr mrs ms miss mx dr prof sir lady lord madam mme mlle herr frau messrs judge justice
""".split())


def tokens(text: str) -> list[str]:
    """The text's tokens: transliterated, cased down, runs of letters and digits."""
    return _TOKEN.findall(unidecode(unicodedata.normalize("NFKC", text)).casefold())


def identifying(token: str) -> bool:
    if token.isdigit():
        return len(token) >= 3
    if token.isalpha():
        return len(token) >= 3 and token not in _COMMON
    return len(token) >= 2  # letters and digits together: a code


def leak_shares(text: str, mentions: Sequence[tuple[int, int]], egress_text: str) -> list[float]:
    """Per mention ([start, end) in ``text``): the share of its identifying tokens found in the egress."""
    return [share for share, _ in leak_detail(text, mentions, egress_text)]


def leak_detail(text: str, mentions: Sequence[tuple[int, int]], egress_text: str) -> list[tuple[float, list[str]]]:
    """Per mention: its leak share (``leak_shares``) and the tokens of it that the judge found in the
    egress (each once, in the mention's order; for a mention without identifying tokens, all of its
    tokens when it leaks, else none): what a report marks as leaked."""
    if not mentions:
        return []
    outside = list(text)
    for a, b in mentions:
        outside[a:b] = " " * (b - a)
    base = Counter(tokens("".join(outside)))
    surplus = Counter(tokens(egress_text))
    surplus.subtract(base)
    own = [tokens(text[a:b]) for a, b in mentions]
    counted = [[t for t in toks if identifying(t)] or toks for toks in own]
    occurrences = Counter(t for toks in counted for t in toks)
    share_of = {t: min(1.0, max(0, surplus[t]) / n) for t, n in occurrences.items()}
    out: list[tuple[float, list[str]]] = []
    for toks, kept in zip(own, counted):
        if not kept:
            out.append((0.0, []))
        elif kept is toks and not any(identifying(t) for t in toks):  # nothing identifying: all or nothing
            hit = all(share_of[t] > 0 for t in toks)
            out.append((1.0 if hit else 0.0, list(dict.fromkeys(toks)) if hit else []))
        else:
            out.append((sum(share_of[t] for t in kept) / len(kept),
                        [t for t in dict.fromkeys(kept) if share_of[t] > 0]))
    return out
