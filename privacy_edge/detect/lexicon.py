"""Regex fragments and word lists shared by recognizers and rules, built once at import.

Python's ``re`` has no ``\\p{Lu}``; names in ECHR texts are Turkish, Polish, Nordic, Cyrillic..., so
the upper-case class is derived from Unicode instead of being ``[A-Z]``. Word lists (demonyms,
occupations) are plain data files in ``lexicons/``, general vocabulary, never names from a corpus;
``public_bodies.txt`` alone is fitted, on TAB's train split (detect/public_bodies.py).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path


def _char_class(predicate, limit: int = 0x2000) -> str:
    """A compact ``[...]`` class of the code points below ``limit`` for which ``predicate`` holds."""
    ranges: list[tuple[int, int]] = []
    for cp in range(limit):
        if predicate(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = [re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges]
    return "[" + "".join(parts) + "]"


# Honorifics and judicial titles written before a name ("Mr", "Mme", "Judge"): a value stripped of them
# still names the person, and a gold mention's leading title is not what identifies anyone.
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Judge", "Justice", "Sir", "Dame", "Lady",
          "Lord", "Madam", "Mme", "Mlle", "M", "Messrs", "Herr", "Frau")
LEADING_TITLES = re.compile(r"^(?:(?:" + "|".join(TITLES) + r")\.?\s+)+")  # all of them: "Mr Justice"
FIRST_TITLE = re.compile(r"^(?:" + "|".join(TITLES) + r")\.?\s+")  # one: in "Ms M. Smith", "M." is an initial

UPPER = _char_class(str.isupper)
LOWER = _char_class(str.islower)
LETTER = r"[^\W\d_]"
SP = r"[^\S\n]"  # a space inside one name: never a line break (a list of names, one per line, is several names)
HYPHEN = "[-\u2010\u2011]"
APOS = "['\u2019]"
# A capitalised word: O'Neill, Vang-Lindqvist, McAllister, İnce, ÖZTÜRK.
# A trailing possessive ("Harlow's") is not part of the name.
CAP_WORD = rf"{UPPER}{LETTER}*(?:{HYPHEN}{LETTER}+|{APOS}(?!s\b){LETTER}+)*"
# An initial: "H.", "J.-P.", "A.N." (a run of them is matched by repeating this).
INITIAL = rf"{UPPER}\.(?:{HYPHEN}{UPPER}\.)?"
# Capitalised words that start a sentence before a name ("The", "On", "Following"): cut off a match's start.
LEADING_FUNCTION_WORDS = re.compile(
    r"^(?:(?:The|In|On|At|By|From|When|Where|While|After|Before|Both|Following|Under|Since|Then|But|And)\s+)+"
)
# Lower-case particles inside names: van der Meer, de Vries, bin Laden, ten Berge.
PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|dos|du|la|le|ten|ter|bin|ibn|al|el|y)"

NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\u2010\u2011\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|a hundred|one hundred|a dozen)"
)
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{NUMBER_WORD})"

# Words that introduce numbers of legal provisions and documents ("Article 6", "art. 32-1", "§ 1").
REFERENCE_WORD = (
    r"\b(?:Articles?|articles?|arts?\.|Rules?|rules?|[Ss]ections?|ss?\.|§§?|[Pp]aragraphs?|paras?\.|[Nn]os?\.|"
    r"Protocols?|Laws?|[Pp]oints?|[Cc]hapters?|[Pp]arts?|[Ss]chedules?|[Aa]nnex(?:es)?|[Ii]tems?|[Pp]ages?|pp?\.|"
    r"[Cc]odes?|Acts?|[Cc]lauses?|[Ss]ub-?paragraphs?|[Vv]olumes?|[Vv]ol\.|[Ff]ootnotes?|[Ll]ines?)"
)
# The text just before a number that belongs to a legal reference, earlier numbers of the same list
# included: "Articles 6 § 1, 8 and " before "13". Search it with endpos at the number's start.
LEGAL_REFERENCE_BEFORE = re.compile(
    rf"{REFERENCE_WORD}\s*(?:[\w()]+(?:-\d+)?\s*(?:§+\s*[\w()]+\s*)?(?:,|and|or|to|-|\u2013)\s*)*$"
)


LEXICON_DIR = Path(__file__).parent / "lexicons"


@functools.lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """The entries of ``lexicons/<name>.txt``: one per line, ``#`` starts a comment."""
    return entries((LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8"))


def entries(text: str) -> tuple[str, ...]:
    """The entries of a lexicon file's text, in order, once each."""
    found = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(dict.fromkeys(e for e in found if e))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """spaCy's English stopwords, lower-cased (function words: grammar, not identity)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS)


def alternation(entries) -> str:
    """A non-capturing alternation that prefers the longest entry ("Northern Irish" before "Irish")."""
    return "(?:" + "|".join(re.escape(e) for e in sorted(set(entries), key=lambda e: (-len(e), e))) + ")"
