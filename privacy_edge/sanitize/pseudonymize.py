"""Pseudonymization (complexity 1): every detected value becomes a realistic surrogate of the same
shape, the same surrogate for every occurrence of the value in a document.

Structured values (codes, numbers, dates, e-mails, phone numbers) keep their format: digits become
other digits, letters other letters, month names other months ("21 March 2005" -> "9 October 1998",
"36110/97" -> "58204/13"). Names, places and organisations get surrogates from fixed lists of
invented names. Surrogates are drawn from a generator seeded by HMAC(key, type, value), none equal
to a detected value. The key is a subkey of the workspace secret (``secret_key``): the same workspace
gives the same surrogates on every rerun, and nobody without the secret can map a surrogate back by
trying candidate values. A ``salt`` in the YAML replaces it as the key (a research setting: the
surrogates then reproduce anywhere, and whoever knows the salt can reverse them).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
from typing import Sequence

from pydantic import Field

from ..settings import Strict
from ..detect.lexicon import FIRST_TITLE
from ..matching import key, occurrences
from ..secret_key import subkey
from ..spans import Span
from ..protected import protected_values
from .base import NEUTRAL_MARK, SANITIZERS, Sanitized, Sanitizer, expand_to_all_occurrences, replace_spans, without_values

FIRST_NAMES = ("Alden", "Brina", "Corvin", "Dalia", "Elric", "Fenna", "Garrick", "Hesper", "Ilan", "Jorun",
               "Kesia", "Lorcan", "Maren", "Nils", "Orla", "Perrin", "Quilla", "Rainer", "Sabela", "Tamsin",
               "Ulric", "Vesna", "Wendel", "Xanthe", "Yorick", "Zelda")
SURNAMES = ("Ashgrove", "Brackwell", "Corrigan", "Dunmore", "Elsworth", "Farrowby", "Greyling", "Holloway",
            "Ingleby", "Jarrow", "Kestrel", "Larkspur", "Merriden", "Northam", "Oakhurst", "Pendrell",
            "Quenby", "Rookwood", "Stanmere", "Thornbury", "Underhill", "Vantwell", "Westerby", "Yardley")
PLACES = ("Ambermoor", "Brightwater", "Caldera", "Dunhaven", "Eastmarch", "Fernvale", "Glenrock", "Harrowgate",
          "Ironbridge", "Juniper Falls", "Kingsreach", "Lowmere", "Millbrook", "Northwick", "Oakridge",
          "Pinecrest", "Queensford", "Riverton", "Stonebridge", "Thistledown", "Westford", "Yarrowby")
DEMONYMS = ("Ambermorian", "Caldevian", "Dunhavenite", "Eastmarcher", "Glenrockian", "Northwickian",
            "Riverlander", "Westfordian")
MISC = ("the Alder programme", "the Beacon scheme", "the Cobalt project", "the Delta plan", "the Ember accord")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_RX = re.compile(r"\b(?:" + "|".join(MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")
ORG_GENERIC = {
    "the", "of", "and", "for", "de", "du", "la", "le", "court", "courts", "supreme", "high", "regional", "district",
    "administrative", "constitutional", "appeal", "appeals", "cassation", "criminal", "civil", "state", "security",
    "assize", "military", "office", "prosecutor", "prosecutor's", "public", "police", "department", "directorate",
    "ministry", "council", "committee", "commission", "agency", "service", "services", "hospital", "university",
    "bank", "company", "ltd", "inc", "plc", "association", "union", "party", "prison", "headquarters", "branch",
    "general", "national", "central", "municipal", "county", "city", "town", "provincial", "first", "second",
    "third", "instance", "chamber", "board", "authority", "institute", "school", "centre", "center", "station",
    "anti-terrorist", "gendarmerie", "army", "forces", "tax", "social", "insurance", "fund", "labour", "justice",
    "interior", "affairs", "government", "governments", "parliament", "assembly", "embassy", "consulate", "health", "education", "foreigners'", "foreigners", "juvenile", "family", "youth",
}


def _rng(key: bytes, entity_type: str, value: str, attempt: int) -> random.Random:
    message = f"{entity_type}\x1f{value}\x1f{attempt}".encode("utf-8", "surrogatepass")  # lone surrogates too
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _shape(value: str, rng: random.Random, letters: bool) -> str:
    """Same shape: digits -> digits (a leading non-zero stays non-zero), optionally letters -> letters."""
    out = []
    for i, c in enumerate(value):
        if c.isdigit():
            lead = i == 0 or not value[i - 1].isdigit()
            out.append(str(rng.randint(1 if lead and c != "0" else 0, 9)))
        elif letters and c.isascii() and c.isalpha():
            ch = chr(rng.randint(0, 25) + ord("a"))
            out.append(ch.upper() if c.isupper() else ch)
        else:
            out.append(c)
    return "".join(out)


def _date(value: str, rng: random.Random) -> str:
    value = MONTH_RX.sub(lambda m: rng.choice(MONTHS) if m.group(0) in MONTHS else rng.choice(MONTHS)[:3], value)

    def number(m: re.Match) -> str:
        n = m.group(0)
        if len(n) == 4:
            return str(rng.randint(1950, 2019))
        if len(n) <= 2:
            return str(rng.randint(1, 28)).zfill(len(n))
        return _shape(n, rng, False)

    return re.sub(r"\d+", number, value)


def _person(value: str, rng: random.Random) -> str:
    title = FIRST_TITLE.match(value)
    prefix = title.group(0) if title else ""
    rest = value[len(prefix):]
    words = rest.split()
    if not words:
        return prefix + rng.choice(SURNAMES)
    if all(len(w.rstrip(".")) <= 1 for w in words):  # initials only: "A.", "M.S."
        return prefix + " ".join(f"{chr(rng.randint(65, 90))}." for _ in words)
    parts = [f"{chr(rng.randint(65, 90))}." if len(w.rstrip(".")) <= 1 else rng.choice(FIRST_NAMES) for w in words[:-1]]
    return prefix + " ".join(parts + [rng.choice(SURNAMES)])


def _org(value: str, rng: random.Random) -> str:
    """Proper words replaced by places, numbers by other numbers: no piece of the name is kept but
    its generic words ("Court", "of", "Ltd")."""
    words = value.split()
    swapped = [_shape(w, rng, True) if any(c.isdigit() for c in w)
               else w if w.casefold() in ORG_GENERIC or not w[:1].isupper() else rng.choice(PLACES) for w in words]
    if swapped == words:
        return f"the {rng.choice(PLACES)} {words[-1] if words else 'Organisation'}"
    return " ".join(swapped)


_WORD = re.compile(r"[^\W\d_]{2,}")
_KEPT_WORDS = ORG_GENERIC | {m.casefold() for m in MONTHS} | {"mr", "mrs", "ms", "dr", "miss", "sir", "prof"}


def _scrubbed(value: str, out: str, rng: random.Random) -> str:
    """``out`` with no word of ``value`` left but generic ones (titles, "Court", month names): a span
    typed a date, a code or a user name can hold a name ("WR19 XKT, owner Thaddeus Blackmoor, born
    31st Jan 1972"), and a pseudonym keeps no piece of the original."""
    own = {w.casefold() for w in _WORD.findall(value)} - _KEPT_WORDS
    if not own:
        return out

    def other(m: re.Match) -> str:
        word = m.group()
        if word.casefold() not in own:
            return word
        letters = [chr(rng.randint(97, 122)) for _ in word]
        return "".join(c.upper() if o.isupper() else c for c, o in zip(letters, word))

    return _WORD.sub(other, out)


_SPELLED_OUT = re.compile(r"(?<!\w)\w(?:[ .\-]\w)+(?!\w)")


def surrogate(entity_type: str, value: str, rng: random.Random) -> str:
    if sum(len(t) == 1 for t in value.split()) >= 3:  # spelled out ("P e r e g r i n e"): by its words
        value = _SPELLED_OUT.sub(lambda m: re.sub(r"[ .\-]", "", m.group()), value)
    return _scrubbed(value, _surrogate(entity_type, value, rng), rng)


def _surrogate(entity_type: str, value: str, rng: random.Random) -> str:
    t = entity_type.upper()
    if t == "PERSON":
        return _person(value, rng)
    if t == "LOC":
        return rng.choice(PLACES)
    if t == "ORG":
        return _org(value, rng)
    if t in ("DEM", "NORP"):
        return rng.choice(DEMONYMS)
    if t == "DATETIME":
        return _date(value, rng)
    if t == "EMAIL":
        return f"{_shape(value.split('@')[0], rng, True)}@example.org"
    if t == "URL":
        return f"https://example.org/{_shape(value[-8:], rng, True).strip('/')}"
    if t in ("CODE", "IBAN", "POSTCODE", "ID"):
        return _shape(value, rng, True)
    if any(c.isdigit() for c in value):
        return _shape(value, rng, False)
    return rng.choice(MISC)


class PseudonymizeConfig(Strict):
    """Surrogates are keyed by the workspace secret (see secret_key.py) unless a salt is set."""

    salt: str | None = Field(None, min_length=1, description="research setting: a fixed key, so that runs "
                             "reproduce anywhere; the pseudonyms are then reversible by whoever knows it")


@SANITIZERS.register("pseudonymize")
class PseudonymizeSanitizer(Sanitizer):
    name = "pseudonymize"
    Settings = PseudonymizeConfig

    def __init__(self, config: PseudonymizeConfig | None = None, secret: bytes | None = None):
        """``secret``: the workspace secret (``secret_key.workspace_secret``); needed unless a salt is set."""
        super().__init__(config)
        if self.config.salt is not None:
            self._key = self.config.salt.encode("utf-8", "surrogatepass")
        elif secret is not None:
            self._key = subkey(secret, self.name)
        else:
            raise ValueError("PseudonymizeSanitizer needs the workspace secret "
                             "(or a salt, as a research setting)")

    @classmethod
    def needs_secret(cls, settings: PseudonymizeConfig) -> bool:
        return settings.salt is None

    def params(self) -> dict:
        """Never the key: only whether a YAML salt reproduces (and reverses) the surrogates anywhere."""
        return {"reproducible": self.config.salt is not None}

    def sanitize(self, text: str, spans: Sequence[Span]) -> Sanitized:
        type_of = {key(text[s.start : s.end]): s.entity_type for s in spans}
        values = {v for v, *_ in protected_values(text, spans).values()}
        spans = expand_to_all_occurrences(text, spans)
        values |= {text[s.start : s.end] for s in spans}  # spans widened to whole words
        type_of.update((key(text[s.start : s.end]), s.entity_type) for s in spans)
        detected = {key(v) for v in values}

        def leaks(candidate: str) -> bool:
            """Whether a detected value occurs in the candidate as the egress guard would match it."""
            return bool(occurrences(candidate, values))

        chosen: dict[tuple[str, str], str] = {}
        used: set[str] = set()

        def pseudonym(span: Span) -> str:
            value = text[span.start : span.end]
            value_key = (span.entity_type, key(value))
            if value_key not in chosen:
                for attempt in range(100):
                    cand = surrogate(span.entity_type, value, _rng(self._key, *value_key, attempt))
                    if key(cand) not in detected and key(cand) not in used and not leaks(cand):
                        break
                else:  # a value with no free surrogate of its shape (e.g. "1"): fall back to a neutral mark
                    cand = f"[{span.entity_type}]"
                chosen[value_key] = cand
                used.add(key(cand))
            return chosen[value_key]

        _, items = replace_spans(text, spans, pseudonym, self.name)
        mapping = {}
        for it in items:
            if not it.replacement.startswith("["):
                mapping.setdefault(it.replacement, it.original)
        # a surrogate's kept separators beside the same characters in the text can still form a value
        out, edits = without_values(text, items, values, lambda k: (type_of.get(k, "ENTITY"), NEUTRAL_MARK),
                                    self.name)
        return Sanitized(out, self.name, self.params(), tuple(edits), mapping)
