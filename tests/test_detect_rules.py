"""Rules for what TAB annotators mask and the NER misses: what each finds, and what it must leave alone."""

from __future__ import annotations

import pytest
from detect_support import found, nlp

from privacy_edge.detect.config import load_detector_config
import privacy_edge.detect.rules  # noqa: F401  (registers the rules)
from privacy_edge.detect.base import RECOGNIZERS

POSITIVE = [
    ("titled_person", "represented by Mr H. K. Dorvan, a lawyer", [("Mr H. K. Dorvan", "PERSON")]),
    ("titled_person", "namely Mr J.-P. Lemarque, Mrs X and Sir Alan Brackley", [("Mr J.-P. Lemarque", "PERSON"), ("Mrs X", "PERSON"), ("Sir Alan Brackley", "PERSON")]),
    ("titled_person", "the applicants, Mr and Mrs Tolland, live", [("Mr and Mrs Tolland", "PERSON")]),
    ("titled_person", "Lord Justice Peter Hallam and Lord Ainsley of Kirkbrae", [("Lord Justice Peter Hallam", "PERSON"), ("Lord Ainsley of Kirkbrae", "PERSON")]),
    ("titled_person", "Corporal G and Major J. Smith", [("Corporal G", "PERSON"), ("Major J. Smith", "PERSON")]),
    ("titled_person", "Ms Rita Vang\u2011Lindqvist of the Ministry", [("Ms Rita Vang\u2011Lindqvist", "PERSON")]),
    ("titled_person", "Dr Harlow\u2019s wife", [("Dr Harlow", "PERSON")]),
    ("judicial_name", "On 16 May 2008 Marwood J handed down judgment; Fenwick and Oldham LJJ agreed.", [("Marwood J", "PERSON"), ("Fenwick and Oldham LJJ", "PERSON")]),
    ("initials", "When M. gave evidence, W.K. and \u201cK\u201d were present.", [("M.", "PERSON"), ("W.K.", "PERSON"), ("K", "PERSON")]),
    ("introduced_name", "My name is Ivan Petrov. Surname: Kowalska. His full name was Tomas Vrel.",
     [("Ivan Petrov", "PERSON"), ("Kowalska", "PERSON"), ("Tomas Vrel", "PERSON")]),
    ("initials", "five co-accused, A, B, H, N and R, were charged", [("A, B, H, N and R", "PERSON")]),
    ("nationality", "by a Turkish national and two Polish citizens of Kurdish origin", [("Turkish national", "DEM"), ("Polish citizens", "DEM"), ("of Kurdish origin", "DEM")]),
    ("nationality", "by a German-Swiss national", [("German-Swiss national", "DEM")]),
    ("occupation", "In 1985 he was employed as a consultant psychiatrist.", [("consultant psychiatrist", "DEM")]),
    ("occupation", "The applicant, a police officer, was the owner and editor of a paper.", [("police officer", "DEM"), ("owner and editor", "DEM")]),
    ("age", "the applicants, aged sixteen and eighteen, and a 68 year-old woman", [("aged sixteen and eighteen", "DEM"), ("68 year-old", "DEM")]),
    ("age", "at the age of 65 or 60 years of age", [("the age of 65", "DEM"), ("60 years of age", "DEM")]),
    ("organisation", "officers of the Organised Crime Branch of the Northbridge Security Headquarters took him", [("Organised Crime Branch of the Northbridge Security Headquarters", "ORG")]),
    ("organisation", "appealed to the Regional Rent Tribunal (regionala hyresnämnden) in vain", [("Regional Rent Tribunal (regionala hyresnämnden)", "ORG")]),
    ("organisation", "a contract with Carrow Instruments plc and a stay in HMP Eastmoor", [("Carrow Instruments plc", "ORG"), ("HMP Eastmoor", "ORG")]),
    ("acronym", "the Harbour Transit Authority (\u201cthe HTA\u201d), which", [("HTA", "ORG"), ("Harbour Transit Authority (\u201cthe HTA\u201d)", "ORG")]),
    ("acronym", "a member of the DKSP/F and of X (hereinafter \u201cHBP\u201d)", [("DKSP/F", "ORG"), ("HBP", "ORG")]),
    ("address", "a search at 27 Old Quarry Street and in Ballyrannon village, Co. Kerry", [("27 Old Quarry Street", "LOC"), ("Ballyrannon village", "LOC"), ("Co. Kerry", "LOC")]),
    ("address", "He lives at 12 Rue de la Paix and she at Via Roma 5, then ulitsa Lenina 7.",
     [("12 Rue de la Paix", "LOC"), ("Via Roma 5", "LOC"), ("ulitsa Lenina 7", "LOC")]),
    ("address", "a house in the District of Velora", [("District of Velora", "LOC")]),
    ("health", "he suffered a brain haemorrhage and post traumatic stress disorder", [("brain haemorrhage", "DEM"), ("post traumatic stress disorder", "DEM")]),
    ("initials", "name on card R. OYELARAN-COLE, valid to 2027", [("R. OYELARAN-COLE", "PERSON")]),
    ("form_field", "Surname: Halvard\nDate of birth - 1 May 1970\nTel.: 0301 44 55\n- Lives in: Tarnby\nTEL;TYPE=cell:+45 22 33",
     [("Halvard", "PERSON"), ("1 May 1970", "DATETIME"), ("0301 44 55", "PHONE"), ("Tarnby", "LOC"), ("+45 22 33", "PHONE")]),
    ("form_field", "Nachname: Obermaier\nPrénom : Anaïs\nФамилия: Гринько", [("Obermaier", "PERSON"), ("Anaïs", "PERSON"), ("Гринько", "PERSON")]),
    ("display_name", 'Cc: "Otto Brenner" <ob@firm.example>, Ana de Souza <ana@firm.example>',
     [("Otto Brenner", "PERSON"), ("Ana de Souza", "PERSON")]),
    ("display_name", "[09:01] Ruth Abebe: hello\n09:02 - Tom Illes: hi", [("Ruth Abebe", "PERSON"), ("Tom Illes", "PERSON")]),
    ("email_name", "write to Zora at zora.mikulic@post.example; Mikulic answers", [("Zora", "PERSON"), ("Mikulic", "PERSON")]),
    ("script_name", "Вчера Пётр Сидоренко приехал в Самару. Καλά, ο Σπύρος Λάμπρου.", [("Пётр Сидоренко", "PERSON"), ("Самару", "LOC"), ("Σπύρος Λάμπρου", "PERSON")]),
    ("name_shape", 'for Ottilie Brandt-Havlicek; call "Jurek Malinowski" now', [("Brandt-Havlicek", "PERSON"), ("Jurek Malinowski", "PERSON")]),
    ("address", "user: i moved to 9 hollybush mews last year", [("9 hollybush mews", "LOC")]),
]

NEGATIVE = [
    ("titled_person", "the General Directorate and the Private Prosecutor; Judge of the Court"),
    ("judicial_name", "Part J of Schedule A"),
    ("initials", "A. The applicant\u2019s account"),  # a heading, not a person
    ("initials", "the U.K. authorities and the U.N."),
    ("introduced_name", "the name of the company, a named attorney, Name: The Applicant, named in the list"),
    ("initials", "THE LAW\n### I. ALLEGED VIOLATION\n#### A. Damage"),  # Markdown headings
    ("nationality", "The Turkish Government replied"),
    ("occupation", "represented by Mr X, a lawyer practising in Istanbul; the police officers arrived"),
    ("age", "the aged and the age limit"),
    ("organisation", "the applicant complained about the conditions"),
    ("acronym", "Fundamental Freedoms (\u201cthe Convention\u201d) and 100 Norwegian kroner (NOK)"),
    ("address", "The village was quiet"),
    ("health", "charged with causing public disorder"),
    ("initials", "I. PARTICULAR CIRCUMSTANCES OF THE CASE\nthe U.S. GOVERNMENT"),
    ("form_field", "Subject: contract\nNote: the hearing is adjourned\nThe Court notes: the applicant, Mr X, was born"),
    ("display_name", "Contact: support <help@shop.example>\nNote: one\nQuestion: two"),
    ("email_name", "mail info@court.example about the Info Desk"),
    ("script_name", "Спасибо за помощь. Καλημέρα σας."),
    ("name_shape", 'the Anti-Terrorist Branch, North-East region, a "Supreme Court" decision'),
    ("address", "The Court notes that on 42 certificate by way of appeal"),
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
    text = "composed of:\nMr T. Hallberg,\nMr A. De Vries\nRegistrar"
    assert found(RECOGNIZERS.get("titled_person")(), text) == [("Mr T. Hallberg", "PERSON"), ("Mr A. De Vries", "PERSON")]


def test_cardinal_counts_but_not_provisions():
    text = "The court held seventeen hearings with 315 other defendants under Articles 44 and 48 and Rule 21."
    spans = found(RECOGNIZERS.get("cardinal")(), text, nlp()(text))
    surfaces = [s for s, _ in spans]
    assert "seventeen" in surfaces and "315" in surfaces
    assert not {"44", "48", "21"} & set(surfaces)


def test_cardinal_needs_the_ner():
    assert RECOGNIZERS.get("cardinal")().analyze("nineteen hearings", None) == []
