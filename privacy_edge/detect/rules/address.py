"""Addresses and named places below city level: street addresses ("27 Old Quarry Street", in a
message in small letters too: "9 hollybush mews",
"ul. Długa 5/7", "Atatürk Caddesi No. 12", "12 Rue de la Paix", "Via Roma 5"), Irish counties ("Co. Kerry"), and places named with a
settlement word ("Karaçam village", "the District of Velora", "the island of Skarvö").
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import CAP_WORD, SP

STREET = (
    r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Square|Place|Crescent|Terrace|Way|Boulevard|"
    r"Gardens|Grove|Row|Walk|Hill|Park|Parade|Mews|Strasse|Straße|straße|Allee|Platz|Rue|Via|Calle)"
)
LOCAL_STREET = r"(?:Caddesi|Cad\.|Sokak|Sokağı|Sok\.|Mahallesi|Mah\.|Bulvarı|Bulvar|Yolu|Köyü)"
# Street words written before the name, in Romance and Slavic languages: "12 Rue de la Paix", "Via
# Roma 5", "Calle Mayor 3", "ulitsa Lenina 5"; the articles and prepositions of the name may follow.
STREET_BEFORE = (r"(?:Rue|Avenue|Av\.|Boulevard|Bd\.?|Place|Chemin|Impasse|Quai|Allée|Via|Viale|Piazza|Corso|"
                 r"Calle|Avenida|Plaza|Paseo|Rua|Praça|Travessa|Strada|Bulevardul|Ulitsa|ulitsa|Prospekt|prospekt|"
                 r"Pereulok|pereulok|Ulica|Trg)")
NAME_LINK = r"(?:(?:de|du|des|la|le|les|del|della|delle|dei|di|da|do|dos|das|d'|l')\s*)"
SETTLEMENT = r"(?:village|town|city|district|province|region|county|municipality|neighbourhood|quarter|hamlet|island)"
SETTLEMENT_CAP = "(?:" + "|".join(w.capitalize() for w in SETTLEMENT[3:-1].split("|")) + ")"
NOT_PLACE = frozenset({"The", "This", "That", "Each", "Every", "Any", "Another", "Same", "Whole", "Old", "New", "Capital", "Inner", "Home", "Host"})
SPEAKER_LABEL = re.compile(r"^\s*[^\W\d_]+:\s")  # "User: i live at ...": a message after its label
HOUSE = rf"(?:{SP}+(?:[Nn]o\.?{SP}*)?\d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})?)"


@RECOGNIZERS.register("address")
class AddressRecognizer(PatternRecognizer):
    name = "address"
    entity_type = "LOC"
    patterns = (
        Pattern("street", rf"\b\d{{1,4}}[A-Za-z]?,?{SP}+(?:{CAP_WORD}{SP}+){{1,3}}{STREET}(?!\w)", 0.85),
        Pattern("named_street", rf"\b(?:{CAP_WORD}{SP}+){{1,3}}(?:{STREET}|{LOCAL_STREET}){HOUSE}(?!\w)", 0.8),
        Pattern("local_street", rf"\b(?:{CAP_WORD}{SP}+){{1,3}}{LOCAL_STREET}(?!\w){HOUSE}?", 0.8),
        Pattern("polish_street", rf"\b(?:ul\.|ulica|al\.|aleja|os\.){SP}+(?:{CAP_WORD}{SP}+){{0,2}}{CAP_WORD}{HOUSE}?", 0.85),
        Pattern("street_word_first", rf"(?:\b\d{{1,4}}[A-Za-z]?,?{SP}+)?\b{STREET_BEFORE}{SP}+{NAME_LINK}*{CAP_WORD}"
                rf"(?:{SP}+{NAME_LINK}*{CAP_WORD}){{0,2}}{HOUSE}?", 0.8),
        # in a message written in small letters: "9 hollybush mews", "41 beech row"
        Pattern("street_small", rf"\b\d{{1,4}}[a-z]?,?{SP}+(?:[a-z][a-z'-]+{SP}+){{1,3}}(?i:{STREET})(?!\w)", 0.75),
        Pattern("county", rf"\bCo\.{SP}+{CAP_WORD}", 0.85),
        Pattern("named_settlement", rf"\b{CAP_WORD}(?:{SP}+{CAP_WORD})?{SP}+{SETTLEMENT}\b", 0.6),
        Pattern("settlement_of", rf"\b(?:{SETTLEMENT}|{SETTLEMENT_CAP}){SP}+of{SP}+{CAP_WORD}(?:{SP}+{CAP_WORD})?", 0.7),
    )

    def validate(self, value: str):
        first = value.split(None, 1)[0]
        return None if first in NOT_PLACE else -1.0

    def analyze(self, text: str, doc=None):
        """The patterns' spans; one in small letters only where its whole line is in small letters (a
        message), since "42 certificate by way" in prose is no address."""
        out = []
        for s in super().analyze(text, doc):
            if s.source.endswith(":street_small"):
                line = text[text.rfind("\n", 0, s.start) + 1 : (text.find("\n", s.end) + 1 or len(text) + 1) - 1]
                if any(c.isupper() for c in SPEAKER_LABEL.sub("", line, count=1)):
                    continue
            out.append(s)
        return out
