"""Amounts of money, percentages and measures (EUR 5,000; 3,000 Turkish liras; 45,000 Danish kroner
(DKK); 25%; 412 sq. m; 4 tons).

Amounts paid, awarded or evaded, and the size of a plot or a load, are specific enough to identify a
case, so TAB masks them.
"""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer
from ..lexicon import alternation, words

CODE = r"(?:EUR|USD|GBP|CHF|TRY|TRL|YTL|PLN|SEK|DKK|NOK|ISK|RUB|UAH|HUF|CZK|RON|BGN|HRK|GEL|AMD|AZN|MDL|BAM|RSD|MKD|ALL|CYP|IEP|ITL|FRF|DEM|ATS|NLG|BEF|ESP|PTE|GRD|FIM|LTL|LVL|EEK|SKK|SIT)"
NAME = (
    r"(?:euros?|pounds?(?: sterling)?|dollars?|francs?|marks?|liras?|lire|zlot(?:y|ys|ies)|kron(?:a|e|er|or)|"
    r"roubles?|rubles?|hryvnias?|forints?|korunas?|lei|leva|kunas?|lari|drams?|manats?|dinars?|denars?|"
    r"pesetas?|escudos?|drachmas?|schillings?|guilders?|litai|litas|lats|pence)"
)
ADJ = rf"(?:(?:new|old)\s+)?(?:{alternation(words('demonyms'))}\s+)?"
AMOUNT = r"\d{1,3}(?:[,\s.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
SCALE = r"(?:\s(?:million|billion|thousand|m|bn))?"
LEAD = r"(?:(?:approximately|approx\.|about|around|some|over|nearly|almost|more than|less than|at least|up to)\s+)?"
TAIL = rf"(?:\s*\({CODE}\))?"
UNIT = (
    r"(?:sq\.\s?m\b\.?|sq\.\s?km\b\.?|m2\b|m²|square\s+(?:met(?:re|er)s?|kilomet(?:re|er)s?|feet|foot)\b|hectares?\b|"
    r"ha\b|acres?\b|km\b|kilomet(?:re|er)s?\b|met(?:re|er)s\b|cm\b|kg\b|kilo(?:gram)?s?\b|grams?\b|tons?\b|tonnes?\b|"
    r"lit(?:re|er)s?\b|miles?\b|km/h\b|mph\b)"
)


@RECOGNIZERS.register("quantity")
class QuantityRecognizer(PatternRecognizer):
    name = "quantity"
    entity_type = "QUANTITY"
    patterns = (
        Pattern("currency_first", rf"{LEAD}(?:\b{CODE}|[€$£])\s?(?:{AMOUNT}){SCALE}\b", 0.9),
        Pattern("currency_last", rf"{LEAD}\b(?:{AMOUNT}){SCALE}\s{ADJ}(?:{NAME}\b|{CODE}\b){TAIL}", 0.9),
        # An unknown three-letter code before a grouped amount is still money ("XYZ 1,503,301.80").
        Pattern("code_amount", r"\b[A-Z]{3}\s\d{1,3}(?:,\d{3})+(?:\.\d{2})?\b", 0.7),
        Pattern("percent", rf"{LEAD}\b(?:{AMOUNT})\s?(?:%|per\s?cent\b|percent\b)", 0.7, re.IGNORECASE),
        Pattern("measure", rf"{LEAD}\b(?:{AMOUNT})\s?{UNIT}", 0.7),
    )
