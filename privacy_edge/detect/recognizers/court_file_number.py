"""Case, file and register numbers of national courts and authorities, in the general shapes
they take across Council of Europe states (the ECHR's own numbers are application_number's):

- register-letter numbers: "II K 123/05", "I ACa 456/07" (Poland), "1 BvR 1234/05", "IV ZR 12/03"
  (Germany): a Roman or Arabic chamber number, a short register code, number/year;
- Turkish docket pairs: "E. 2004/123, K. 2005/456", "Esas No: 2004/123" (year/number);
- numbers after "№", "n°", "nº", "Nr." (the "no." form is application_number's file_number);
- French Court of Cassation appeals: "n° 04-12.345";
- anything after case/file/docket/reference/register words with at least one separator and a digit:
  "docket no. 97-CV-1234", "file 12-3-456/2004".

Each names one proceeding, so each is as identifying as an application number.
"""

from ..base import RECOGNIZERS, Pattern, PatternRecognizer

KEYWORD = r"(?:[Cc]ase|[Ff]ile|[Dd]ocket|[Rr]eference|[Rr]ef\.|[Rr]egist(?:er|ry|ration)|[Dd]ossier|[Pp]roceedings)"


@RECOGNIZERS.register("court_file_number")
class CourtFileNumberRecognizer(PatternRecognizer):
    name = "court_file_number"
    entity_type = "CODE"
    group = "number"
    patterns = (
        Pattern("register_letters", r"\b(?P<number>(?:[IVX]{1,4}|\d{1,2})\s?[A-Z][A-Za-z]{0,4}\s\d{1,6}/\d{2,4})\b", 0.85),
        Pattern("docket_pair", r"\b(?:E|K|Esas|Karar)\.?\s?(?:[Nn]o\.?\s?:?\s?)?(?P<number>(?:19|20)\d{2}/\d{1,6})\b", 0.85),
        Pattern("numero_sign", r"(?:№|[Nn][°º]|\b[Nn]r\.?)\s?(?P<number>(?:[A-Z]{1,4}[-.\s]?)?\d[\d./-]*\d)", 0.8),
        Pattern("cassation", r"\b(?P<number>\d{2}-\d{2}\.\d{3})\b", 0.85),
        Pattern(
            "keyword",
            rf"\b{KEYWORD}\s(?:[Nn]os?\.|[Nn]umbers?|[Nn]r\.?)?\s?:?\s?"
            r"(?P<number>(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{1,10}(?:[-./][A-Za-z0-9]{1,10})+)\b",
            0.8,
        ),
    )
