"""Rules for what TAB annotators mask and the NER misses: what each finds, and what it must leave alone."""

from __future__ import annotations

import pytest
from detect_support import found, nlp

from privacy_edge.config import load_detector_config
import privacy_edge.detect.rules  # noqa: F401  (registers the rules)
from privacy_edge.detect.base import RECOGNIZERS

POSITIVE = [
    ("titled_person", "represented by Mr H. K. Elban, a lawyer", [("Mr H. K. Elban", "PERSON")]),
    ("titled_person", "namely Mr L.-E. Pettiti, Mrs X and Sir John Freeland", [("Mr L.-E. Pettiti", "PERSON"), ("Mrs X", "PERSON"), ("Sir John Freeland", "PERSON")]),
    ("titled_person", "the applicants, Mr and Mrs Robins, live", [("Mr and Mrs Robins", "PERSON")]),
    ("titled_person", "Lord Justice Simon Brown and Lord Rodger of Earlsferry", [("Lord Justice Simon Brown", "PERSON"), ("Lord Rodger of Earlsferry", "PERSON")]),
    ("titled_person", "Corporal G and Major J. Smith", [("Corporal G", "PERSON"), ("Major J. Smith", "PERSON")]),
    ("titled_person", "Ms Nina Holst\u2011Christensen of the Ministry", [("Ms Nina Holst\u2011Christensen", "PERSON")]),
    ("titled_person", "Dr Price\u2019s wife", [("Dr Price", "PERSON")]),
    ("judicial_name", "On 16 May 2008 Tugendhat J handed down judgment; Mance and Buxton LJJ agreed.", [("Tugendhat J", "PERSON"), ("Mance and Buxton LJJ", "PERSON")]),
    ("initials", "When M. gave evidence, W.K. and \u201cK\u201d were present.", [("M.", "PERSON"), ("W.K.", "PERSON"), ("K", "PERSON")]),
    ("initials", "five co-accused, A, B, H, N and R, were charged", [("A, B, H, N and R", "PERSON")]),
    ("nationality", "by a Turkish national and two Polish citizens of Kurdish origin", [("Turkish national", "DEM"), ("Polish citizens", "DEM"), ("of Kurdish origin", "DEM")]),
    ("nationality", "by a Norwegian-Swiss national", [("Norwegian-Swiss national", "DEM")]),
    ("occupation", "In 1977 he was employed as a consultant psychiatrist.", [("consultant psychiatrist", "DEM")]),
    ("occupation", "The applicant, a police officer, was the owner and editor of a paper.", [("police officer", "DEM"), ("owner and editor", "DEM")]),
    ("age", "the applicants, aged sixteen and eighteen, and a 75 year-old woman", [("aged sixteen and eighteen", "DEM"), ("75 year-old", "DEM")]),
    ("age", "at the age of 65 or 60 years of age", [("the age of 65", "DEM"), ("60 years of age", "DEM")]),
    ("organisation", "officers of the Anti-Terrorist Branch of the Istanbul Security Headquarters took him", [("Anti-Terrorist Branch of the Istanbul Security Headquarters", "ORG")]),
    ("organisation", "appealed to the Joint Municipal Tax Court (mellankommunala skatterätten) in vain", [("Joint Municipal Tax Court (mellankommunala skatterätten)", "ORG")]),
    ("organisation", "a contract with Ferranti plc and a stay in HMP Stocken", [("Ferranti plc", "ORG"), ("HMP Stocken", "ORG")]),
    ("acronym", "the Royal Ulster Constabulary (\u201cthe RUC\u201d), which", [("RUC", "ORG"), ("Royal Ulster Constabulary (\u201cthe RUC\u201d)", "ORG")]),
    ("acronym", "a member of the DHKP/C and of X (hereinafter \u201cHADEP\u201d)", [("DHKP/C", "ORG"), ("HADEP", "ORG")]),
    ("address", "a search at 19 New Henderson Street and in Adare village, Co. Limerick", [("19 New Henderson Street", "LOC"), ("Adare village", "LOC"), ("Co. Limerick", "LOC")]),
    ("address", "a house in the District of Famagusta", [("District of Famagusta", "LOC")]),
    ("health", "he suffered a brain haemorrhage and post traumatic stress disorder", [("brain haemorrhage", "DEM"), ("post traumatic stress disorder", "DEM")]),
]

NEGATIVE = [
    ("titled_person", "the General Directorate and the Private Prosecutor; Judge of the Court"),
    ("judicial_name", "Part J of Schedule A"),
    ("initials", "A. The applicant\u2019s account"),  # a heading, not a person
    ("initials", "the U.K. authorities and the U.N."),
    ("initials", "THE LAW\n### I. ALLEGED VIOLATION\n#### A. Damage"),  # Markdown headings
    ("nationality", "The Turkish Government replied"),
    ("occupation", "represented by Mr X, a lawyer practising in Istanbul; the police officers arrived"),
    ("age", "the aged and the age limit"),
    ("organisation", "the applicant complained about the conditions"),
    ("acronym", "Fundamental Freedoms (\u201cthe Convention\u201d) and 100 Norwegian kroner (NOK)"),
    ("address", "The village was quiet"),
    ("health", "charged with causing public disorder"),
]


def test_every_rule_in_the_tables():
    rules = set(load_detector_config().rules) - {"cardinal"}  # cardinal needs the NER: its own test below
    assert rules <= {name for name, *_ in POSITIVE}
    assert rules <= {name for name, _ in NEGATIVE}


@pytest.mark.parametrize("name,text,expected", POSITIVE, ids=[f"{p[0]}-{i}" for i, p in enumerate(POSITIVE)])
def test_when_rule_applies_then_found(name, text, expected):
    spans = found(RECOGNIZERS.get(name)(), text)
    for item in expected:
        assert item in spans, f"{name} missed {item} in {text!r}; found {spans}"


@pytest.mark.parametrize("name,text", NEGATIVE, ids=[f"{n[0]}-{i}" for i, n in enumerate(NEGATIVE)])
def test_when_rule_does_not_apply_then_nothing(name, text):
    assert found(RECOGNIZERS.get(name)(), text) == []


def test_names_do_not_run_across_lines():
    text = "composed of:\nMr R. Macdonald,\nMr J. De Meyer\nRegistrar"
    assert found(RECOGNIZERS.get("titled_person")(), text) == [("Mr R. Macdonald", "PERSON"), ("Mr J. De Meyer", "PERSON")]


def test_cardinal_counts_but_not_provisions():
    text = "The court held nineteen hearings with 722 other defendants under Articles 44 and 48 and Rule 21."
    spans = found(RECOGNIZERS.get("cardinal")(), text, nlp()(text))
    surfaces = [s for s, _ in spans]
    assert "nineteen" in surfaces and "722" in surfaces
    assert not {"44", "48", "21"} & set(surfaces)


def test_cardinal_needs_the_ner():
    assert RECOGNIZERS.get("cardinal")().analyze("nineteen hearings", None) == []
