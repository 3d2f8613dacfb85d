"""E-mail addresses."""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer


@RECOGNIZERS.register("email")
class EmailRecognizer(PatternRecognizer):
    name = "email"
    entity_type = "EMAIL"
    patterns = (Pattern("address", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b", 0.95),)
