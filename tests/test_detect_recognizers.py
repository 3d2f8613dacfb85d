"""Pattern recognizers for structured information: a table of texts, what each must find, and what it must not."""

from __future__ import annotations

import pytest
from detect_support import found

from privacy_edge.detect.config import load_detector_config
import privacy_edge.detect.recognizers  # noqa: F401  (registers the recognizers)
from privacy_edge.detect.base import RECOGNIZERS
from privacy_edge.detect.recognizers.iban import iban_is_valid

# (recognizer, text, expected (surface, type) spans in text order)
POSITIVE = [
    ("spelled_number", "call me on oh seven seven double oh nine hundred, four one two.",
     [("oh seven seven double oh nine hundred, four one two", "PHONE")]),
    ("email", "Write to jane.doe+echr@mail.example.co.uk today.", [("jane.doe+echr@mail.example.co.uk", "EMAIL")]),
    ("email", "Write to ivan.petrov [at] example [dot] com or ivan(at)mail.example.org.",
     [("ivan.petrov [at] example [dot] com", "EMAIL"), ("ivan(at)mail.example.org", "EMAIL")]),
    ("email", "or to ivan dot petrov at example dot com, or ivan.petrov at example.com.",
     [("ivan dot petrov at example dot com", "EMAIL"), ("ivan.petrov at example.com", "EMAIL")]),
    ("email", "or ivan.petrov @ example . com, ivan dot petrov at example.com, ivan.petrov [@] example.com.",
     [("ivan.petrov @ example . com", "EMAIL"), ("ivan dot petrov at example.com", "EMAIL"),
      ("ivan.petrov [@] example.com", "EMAIL")]),
    ("payment_card", "card 4111 1111 1111 1111, Amex 3782 822463 10005 and 5555555555554444 were used.",
     [("4111 1111 1111 1111", "CODE"), ("3782 822463 10005", "CODE"), ("5555555555554444", "CODE")]),
    ("payment_card", "cards 4111.1111.1111.1111, 4111_1111_1111_1111, 4111\u20131111\u20131111\u20131111 and 4111 1111\n1111 1111",
     [("4111.1111.1111.1111", "CODE"), ("4111_1111_1111_1111", "CODE"), ("4111\u20131111\u20131111\u20131111", "CODE"),
      ("4111 1111\n1111 1111", "CODE")]),
    ("ip_address", "He logged in from 192.168.10.23 and 2001:db8::8a2e:370:7334.",
     [("192.168.10.23", "CODE"), ("2001:db8::8a2e:370:7334", "CODE")]),
    ("ip_address", "then from 192.168.001.010 and fe80::1%eth0.", [("192.168.001.010", "CODE"), ("fe80::1%eth0", "CODE")]),
    ("username", "Follow @ivan_petrov; his login: ipetrov61 and user ivan_petrov_1961.",
     [("@ivan_petrov", "CODE"), ("ipetrov61", "CODE"), ("ivan_petrov_1961", "CODE")]),
    ("national_id", "SSN 123-45-6789 and NHS number 943 476 5919.", [("123-45-6789", "CODE"), ("943 476 5919", "CODE")]),
    ("url", "See https://example.org/case?id=7, then www.example.com/a.", [("https://example.org/case?id=7", "URL"), ("www.example.com/a", "URL")]),
    ("phone", "Call +44 20 7946 0958 or tel. 020 7946 0000.", [("+44 20 7946 0958", "PHONE"), ("020 7946 0000", "PHONE")]),
    ("phone", "Call 020-7946-0958, (555) 123-4567 or 555.123.4567 today.",
     [("020-7946-0958", "PHONE"), ("(555) 123-4567", "PHONE"), ("555.123.4567", "PHONE")]),
    ("phone", "or 8 912 345 67 89, 095 123 45 67, 0 532 123 45 67, 1-555-123-4567, 030/12345678 or (020)79460958",
     [("8 912 345 67 89", "PHONE"), ("095 123 45 67", "PHONE"), ("0 532 123 45 67", "PHONE"),
      ("1-555-123-4567", "PHONE"), ("030/12345678", "PHONE"), ("(020)79460958", "PHONE")]),
    ("phone", "or 00 44 20 7946 0958, +7\u2011912\u2011345\u20116789 and (0)20 7946 0958",
     [("00 44 20 7946 0958", "PHONE"), ("+7\u2011912\u2011345\u20116789", "PHONE"), ("(0)20 7946 0958", "PHONE")]),
    ("iban", "Account GB82 WEST 1234 5698 7654 32 was frozen.", [("GB82 WEST 1234 5698 7654 32", "IBAN")]),
    ("postcode", "He lived at 10 Downing Street, London SW1A 2AA.", [("SW1A 2AA", "LOC")]),
    ("postcode", "The postcode 75001 was wrong.", [("75001", "LOC")]),
    ("id_number", "His passport no. U1234567 had expired.", [("U1234567", "CODE")]),
    ("id_number", "identity card number 12345678901 was seized", [("12345678901", "CODE")]),
    ("application_number", "application (no. 36110/97) and nos. 51234/01 and 51235/01", [("36110/97", "CODE"), ("51234/01", "CODE"), ("51235/01", "CODE")]),
    ("application_number", "under file no. 2001/123 of the prosecutor", [("2001/123", "CODE")]),
    ("case_code", "judgment ([2011] EWHC 1234 (Admin)) and Case no. 45/1995/551/637", [("[2011] EWHC 1234 (Admin)", "CODE"), ("45/1995/551/637", "CODE")]),
    ("case_code", "see CPT/Inf (2004) 12 of the Committee", [("CPT/Inf (2004) 12", "CODE")]),
    ("national_id", "T.C. no 10000000146, PESEL 44051401359 and CNP 1800101221144.",
     [("10000000146", "CODE"), ("44051401359", "CODE"), ("1800101221144", "CODE")]),
    ("national_id", "HETU 131052-308T, personnummer 811218-9876, NI number AB 12 34 56 C.",
     [("131052-308T", "CODE"), ("811218-9876", "CODE"), ("AB 12 34 56 C", "CODE")]),
    ("national_id", "DNI 12345678Z, NIE X1234567L, codice fiscale RSSMRA85T10A562S.",
     [("12345678Z", "CODE"), ("X1234567L", "CODE"), ("RSSMRA85T10A562S", "CODE")]),
    ("court_file_number", "cases II K 123/05, 1 BvR 1234/05 and IV ZR 12/03",
     [("II K 123/05", "CODE"), ("1 BvR 1234/05", "CODE"), ("IV ZR 12/03", "CODE")]),
    ("court_file_number", "decision E. 2004/123, K. 2005/456 of the Court of Cassation", [("2004/123", "CODE"), ("2005/456", "CODE")]),
    ("court_file_number", "docket no. 97-CV-1234 and Nr. 17/2003", [("97-CV-1234", "CODE"), ("17/2003", "CODE")]),
    ("date", "On 21 March 2005 and on March 21, 2005.", [("21 March 2005", "DATETIME"), ("March 21, 2005", "DATETIME")]),
    ("date", "hearings on 12, 19 and 26 May 1994 were", [("12, 19 and 26 May 1994", "DATETIME")]),
    ("date", "sat between 3 May and 9 May 1991 in", [("between 3 May and 9 May 1991", "DATETIME")]),
    ("date", "memorials of 27 January and 4 February 1993", [("27 January and 4 February 1993", "DATETIME")]),
    ("date", "in autumn 2002 and the tax years 1996/7", [("autumn 2002", "DATETIME"), ("1996/7", "DATETIME")]),
    ("date", "between 10.05 a.m. and 10.40 a.m. on 12 August 1999", [("between 10.05 a.m. and 10.40 a.m. on 12 August 1999", "DATETIME")]),
    ("date", "signed on 03/09/2004.", [("03/09/2004", "DATETIME")]),
    ("duration", "sentenced to twelve years and six months’ imprisonment", [("twelve years and six months’", "DATETIME")]),
    ("duration", "Over 120 hours of recordings", [("Over 120 hours", "DATETIME")]),
    ("quantity", "fined 45,000 Danish kroner (DKK) and EUR 5,000", [("45,000 Danish kroner (DKK)", "QUANTITY"), ("EUR 5,000", "QUANTITY")]),
    ("quantity", "approximately SEK 9.3 million, or 25 per cent", [("approximately SEK 9.3 million", "QUANTITY"), ("25 per cent", "QUANTITY")]),
    ("quantity", "The plot measured 412 sq. m and the load 4 tons.", [("412 sq. m", "QUANTITY"), ("4 tons", "QUANTITY")]),
    ("count", "He had three children and faced thirty-two other defendants.", [("three children", "QUANTITY"), ("thirty-two other defendants", "QUANTITY")]),
    ("count", "a total of 64 letters, visits three times a year", [("64 letters", "QUANTITY"), ("three times a year", "QUANTITY")]),
]

# (recognizer, text): nothing may be found.
NEGATIVE = [
    ("spelled_number", "one or two hearings, then three or four more, five in all"),
    ("email", "an @ sign alone, or user@localhost"),
    ("url", "the www of it"),
    ("phone", "paragraph 12 and tel. 123"),
    ("phone", "a sum of 1 234 567, Articles 3-5-8, application no. 36110/97, born on 12.03.1961, 2004/0123/456"),
    ("email", "look at it dot by dot; he arrived at bbc.co.uk at noon; visit us at example dot com"),
    ("email", "decided on 12.03.2001 at hudoc.echr.coe.int"),
    ("payment_card", "4111 1111 1111 1112 fails the check digit, 1234567890123 starts as no card does"),
    ("payment_card", "in the years 2004, 2005, 2006, 2007 and 2008"),
    ("ip_address", "at 10:30:00 under paragraph 1.2.3 in version 999.1.1.1"),
    ("ip_address", "under point 3.1.2.1, Rule 1.2.3.4, clause 10.1.1.2 and version 2.4.1.0"),
    ("username", "write to ivan@example.com or a.b@c.de; the user guide; at @ 5 pm"),
    ("national_id", "SSN 000-12-3456, 666-12-3456, 123-00-4567 and NHS 943 476 5918"),  # never issued; check fails
    ("iban", "GB82 WEST 1234 5698 7654 33"),  # checksum fails
    ("postcode", "in 1990 the 75001 documents"),
    ("id_number", "the identity of the case"),
    ("application_number", "under Law no. 3713 and Protocol No. 11, Series A no. 174"),
    ("case_code", "[2008] was a year"),
    ("national_id", "a sum of 12345678901 euros, 12345678A and 811218-9875"),  # check digits fail
    ("national_id", "the reference AB 12 34 56 and QQ 12 34 56 C"),  # no suffix letter; QQ is not issued
    ("court_file_number", "Article 6 § 1, the case of Smith v. UK, the file was lost on 5 May 2003"),
    ("date", "Jan Kowalski and Article 5"),
    ("duration", "within the six-month time-limit"),
    ("quantity", "Article 6 § 1 of the Convention and its 12 members"),
    ("count", "Article 6 violations, section 23 powers and 1998 elections"),
    ("count", "112 was the number"),
]


def test_every_recognizer_in_the_tables():
    in_yaml = set(load_detector_config().recognizers)
    assert in_yaml <= {name for name, *_ in POSITIVE}
    assert in_yaml <= {name for name, _ in NEGATIVE}


@pytest.mark.parametrize("name,text,expected", POSITIVE, ids=[f"{p[0]}-{i}" for i, p in enumerate(POSITIVE)])
def test_when_pattern_present_then_found(name, text, expected):
    spans = found(RECOGNIZERS.get(name)(), text)
    for item in expected:
        assert item in spans, f"{name} missed {item} in {text!r}; found {spans}"


@pytest.mark.parametrize("name,text", NEGATIVE, ids=[f"{n[0]}-{i}" for i, n in enumerate(NEGATIVE)])
def test_when_lookalike_then_nothing(name, text):
    assert found(RECOGNIZERS.get(name)(), text) == []


@pytest.mark.parametrize("name", sorted({p[0] for p in POSITIVE}))
def test_scores_in_unit_interval_and_source_named(name):
    rec = RECOGNIZERS.get(name)()
    for _, text, _ in (p for p in POSITIVE if p[0] == name):
        for span in rec.analyze(text, None):
            assert 0 < span.score <= 1
            assert span.source.startswith(f"{name}:")


def test_date_in_a_citation_is_only_the_date():
    text = "see X v. Y, no. 13621/08, §§ 49-56, 17 April 2012, and § 27, 2 February 2006"
    dates = [s for s, _ in found(RECOGNIZERS.get("date")(), text) if not s.isdigit()]
    assert dates == ["17 April 2012", "2 February 2006"]


def test_iban_checksum():
    assert iban_is_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_is_valid("GB82 WEST 1234 5698 7654 31")
