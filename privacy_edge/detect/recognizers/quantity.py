"""Amounts of money and other quantities that help identify a case (EUR 5,000; 3,000 Turkish liras; 25%)."""

import re

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

CURRENCY = r"(?:EUR|USD|GBP|CHF|TRY|TRL|PLN|SEK|DKK|NOK|RUB|UAH|euros?|pounds?(?: sterling)?|dollars?|francs?|(?:new )?(?:Turkish )?liras?|zlotys?|kroner?|kronor|roubles?|rubles?|hryvnias?)"
NUMBER = r"\d{1,3}(?:[,\s]\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"


@RECOGNIZERS.register("quantity")
class QuantityRecognizer(PatternRecognizer):
    name = "quantity"
    entity_type = "QUANTITY"
    patterns = (
        Pattern("currency_first", rf"(?:{CURRENCY}|[€$£])\s?(?:{NUMBER})(?:\s(?:million|billion))?", 0.9),
        Pattern("currency_last", rf"\b(?:{NUMBER})(?:\s(?:million|billion))?\s{CURRENCY}\b", 0.9),
        Pattern("percent", rf"\b(?:{NUMBER})\s?(?:%|per cent)", 0.7),
    )
