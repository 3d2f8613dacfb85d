"""Names by which ECHR texts and answers refer to the States that can be respondents (ISO 3166 alpha-3)."""

from __future__ import annotations

import re

# Council of Europe member States (and Russia, a respondent until 2022): short names, long names, adjectives.
RESPONDENT_STATES: dict[str, tuple[str, ...]] = {
    "ALB": ("Albania", "Albanian"),
    "AND": ("Andorra", "Andorran"),
    "ARM": ("Armenia", "Armenian"),
    "AUT": ("Austria", "Austrian"),
    "AZE": ("Azerbaijan", "Azerbaijani"),
    "BEL": ("Belgium", "Belgian"),
    "BIH": ("Bosnia and Herzegovina", "Bosnian"),
    "BGR": ("Bulgaria", "Bulgarian"),
    "HRV": ("Croatia", "Croatian"),
    "CYP": ("Cyprus", "Cypriot"),
    "CZE": ("Czech Republic", "Czechia", "Czech"),
    "DNK": ("Denmark", "Danish"),
    "EST": ("Estonia", "Estonian"),
    "FIN": ("Finland", "Finnish"),
    "FRA": ("France", "French"),
    "GEO": ("Georgia", "Georgian"),
    "DEU": ("Germany", "German"),
    "GRC": ("Greece", "Greek", "Hellenic"),
    "HUN": ("Hungary", "Hungarian"),
    "ISL": ("Iceland", "Icelandic"),
    "IRL": ("Ireland", "Irish"),
    "ITA": ("Italy", "Italian"),
    "LVA": ("Latvia", "Latvian"),
    "LIE": ("Liechtenstein",),
    "LTU": ("Lithuania", "Lithuanian"),
    "LUX": ("Luxembourg",),
    "MLT": ("Malta", "Maltese"),
    "MDA": ("Moldova", "Moldovan"),
    "MCO": ("Monaco", "Monegasque"),
    "MNE": ("Montenegro", "Montenegrin"),
    "NLD": ("Netherlands", "Dutch"),
    "MKD": ("North Macedonia", "Macedonia", "Macedonian"),
    "NOR": ("Norway", "Norwegian"),
    "POL": ("Poland", "Polish"),
    "PRT": ("Portugal", "Portuguese"),
    "ROU": ("Romania", "Romanian"),
    "RUS": ("Russia", "Russian Federation", "Russian"),
    "SMR": ("San Marino",),
    "SRB": ("Serbia", "Serbian"),
    "SVK": ("Slovakia", "Slovak Republic", "Slovak"),
    "SVN": ("Slovenia", "Slovenian"),
    "ESP": ("Spain", "Spanish"),
    "SWE": ("Sweden", "Swedish"),
    "CHE": ("Switzerland", "Swiss"),
    "TUR": ("Turkey", "Türkiye", "Turkish"),
    "UKR": ("Ukraine", "Ukrainian"),
    "GBR": ("United Kingdom", "Great Britain", "UK", "British", "Northern Ireland", "Scotland", "England", "Wales"),
}


def states_named(text: str) -> set[str]:
    """The codes of the States a text names (longest names first, so "Northern Ireland" is the United
    Kingdom, not Ireland; whole words, any case)."""
    return {_CODE_OF[m.group(0).casefold()] for m in _NAMES.finditer(text)}


def names_of(code: str) -> tuple[str, ...]:
    """Names of a State by its alpha-3 code; an unknown code is its own only name."""
    return RESPONDENT_STATES.get(code.upper(), (code,))


_CODE_OF = {name.casefold(): code for code, names in RESPONDENT_STATES.items() for name in names}
_NAMES = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(_CODE_OF, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE)
