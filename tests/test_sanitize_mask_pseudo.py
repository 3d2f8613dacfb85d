"""The mask (complexity 2) and pseudonymize (complexity 1) sanitizers: consistency per value, every
occurrence replaced, restoration, shapes of structured values, keys (workspace secret, salt), and a
property test."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy_edge.sanitize.mask import MaskConfig
from privacy_edge.sanitize.pseudonymize import PseudonymizeConfig
from privacy_edge.sanitize import SANITIZERS
from leak_oracle import survivors
from privacy_edge.matching import key as normalize
from privacy_edge.sanitize.base import expand_to_all_occurrences
from privacy_edge.sanitize.mask import MaskSanitizer
from privacy_edge.sanitize.pseudonymize import PseudonymizeSanitizer
from privacy_edge.spans import Span

SECRET = b"test-workspace-secret-0123456789abcdef"  # what secret_key.workspace_secret gives a workspace

TEXT = (
    "The applicant, Mr Jonas Velkander, lodged application no. 36110/97 on 21 March 2005. "
    "Velkander lived in Ostrava; the police of OSTRAVA questioned Mr Jonas Velkander on 4 May 2006. "
    "His lawyer, Anna Kovacs, wrote to anna.kovacs@lawfirm.cz and called +420 601 234 567. "
    "The Regional Court of Ostrava dismissed the claim of Anna Kovacs on 1 June 2007."
)
DETECTED = {  # value -> type; each detected at its first occurrence only
    "Jonas Velkander": "PERSON", "36110/97": "CODE", "21 March 2005": "DATETIME", "Ostrava": "LOC",
    "4 May 2006": "DATETIME", "Anna Kovacs": "PERSON", "anna.kovacs@lawfirm.cz": "EMAIL",
    "+420 601 234 567": "PHONE", "Regional Court of Ostrava": "ORG", "1 June 2007": "DATETIME",
}


def first_spans(text: str, values: dict[str, str]) -> list[Span]:
    return [Span(text.index(v), text.index(v) + len(v), t) for v, t in values.items()]


@pytest.fixture
def spans() -> list[Span]:
    return first_spans(TEXT, DETECTED)


class TestExpansion:
    def test_when_a_value_recurs_then_every_occurrence_becomes_a_span_of_its_type(self, spans):
        out = expand_to_all_occurrences(TEXT, spans)
        ostrava = [s for s in out if normalize(TEXT[s.start : s.end]) == "ostrava"]
        assert len(ostrava) == 2 and all(s.entity_type == "LOC" for s in ostrava)  # "Ostrava", "OSTRAVA"
        assert any(TEXT[s.start : s.end] == "Regional Court of Ostrava" for s in out)  # not split
        assert sum(TEXT[s.start : s.end] == "Anna Kovacs" for s in out) == 2

    def test_when_a_span_cuts_through_a_word_then_the_whole_word_is_covered(self):
        text = "Call 0:0000 or 123456 today"
        out = expand_to_all_occurrences(text, [Span(9, 11, "CODE"), Span(17, 19, "CODE")])
        assert [text[s.start : s.end] for s in out] == ["0000", "123456"]


    @pytest.mark.parametrize("text, span, covered", [
        ("\ufb01:\ufb01", (0, 1), ["\ufb01", "\ufb01"]),  # the ligature "fi": NFKC gives "fi"
        ("\u01c5 \u01c5", (0, 1), ["\u01c5", "\u01c5"]),  # "Dž" as one character
        ("Cafe\u0301 and Caf\u00e9", (0, 5), ["Cafe\u0301", "Caf\u00e9"]),  # decomposed and composed
        ("Ｏｓｔｒａｖａ and Ostrava", (12, 19), ["Ｏｓｔｒａｖａ", "Ostrava"]),  # fullwidth
    ])
    def test_when_an_occurrence_differs_only_by_nfkc_then_it_is_covered_too(self, text, span, covered):
        out = expand_to_all_occurrences(text, [Span(*span, "PERSON")])
        assert [text[s.start : s.end] for s in out] == covered


class TestMask:
    def test_when_values_repeat_then_placeholders_are_typed_and_consistent(self, spans):
        out = MaskSanitizer().sanitize(TEXT, spans)
        # "Velkander" alone is an alias of "Jonas Velkander": the same placeholder
        assert out.text.count("[PERSON_1]") == 3 and out.text.count("[PERSON_2]") == 2
        assert out.mapping["[PERSON_1]"] == "Jonas Velkander" and out.mapping["[PERSON_2]"] == "Anna Kovacs"
        assert out.text.count("[LOC_1]") == 2  # Ostrava and OSTRAVA: one value
        assert {"[DATETIME_1]", "[DATETIME_2]", "[DATETIME_3]", "[CODE_1]", "[EMAIL_1]", "[PHONE_1]",
                "[ORG_1]"} <= set(out.mapping)
        assert out.method == "mask" and out.params == {"template": "[{type}_{n}]"}

    def test_when_masked_then_no_detected_value_survives(self, spans):
        out = MaskSanitizer().sanitize(TEXT, spans)
        assert survivors(out.text, DETECTED) == []
        assert "Velkander" not in out.text  # the bare surname is an alias of a detected name: masked too

    def test_when_the_answer_holds_placeholders_then_restore_gives_the_originals(self, spans):
        out = MaskSanitizer().sanitize(TEXT, spans)
        answer = "[PERSON_1] (represented by [PERSON_2]) complained about [ORG_1]; see [CODE_1]."
        assert out.restore(answer) == ("Jonas Velkander (represented by Anna Kovacs) complained about "
                                       "Regional Court of Ostrava; see 36110/97.")
        assert out.restore(out.text).count("Jonas Velkander") == 3  # the alias restores to the full name
        assert out.restore("[PERSON_12] stays") == "[PERSON_12] stays"  # no partial placeholder match

    def test_when_the_template_is_configured_then_it_is_used(self, spans):
        out = MaskSanitizer(MaskConfig(template="<{type}#{n}>")).sanitize(TEXT, spans)
        assert "<PERSON#1>" in out.text and out.restore("<PERSON#2>") == "Anna Kovacs"

    def test_when_items_are_listed_then_they_rebuild_the_output(self, spans):
        out = MaskSanitizer().sanitize(TEXT, spans)
        pieces, pos = [], 0
        for it in out.items:
            assert TEXT[it.start : it.end] == it.original and it.operator == "mask"
            pieces += [TEXT[pos : it.start], it.replacement]
            pos = it.end
        assert "".join(pieces) + TEXT[pos:] == out.text

    def test_when_registered_then_mask_is_the_mask_sanitizer(self):
        assert SANITIZERS.get("mask") is MaskSanitizer


class TestPseudonymize:
    def test_when_values_repeat_then_pseudonyms_are_consistent_and_distinct(self, spans):
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(TEXT, spans)
        by_original = {}
        for it in out.items:
            by_original.setdefault(normalize(it.original), set()).add(it.replacement)
        assert all(len(v) == 1 for v in by_original.values())  # one pseudonym per value
        assert len(by_original["ostrava"]) == 1
        assert set(by_original) == {normalize(v) for v in DETECTED} | {"velkander"}  # the surname alias too
        pseudonyms = [next(iter(v)) for v in by_original.values()]
        assert len({normalize(p) for p in pseudonyms}) == len(pseudonyms)  # distinct values stay distinct

    def test_when_pseudonymized_then_no_detected_value_survives_or_is_a_pseudonym(self, spans):
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(TEXT, spans)
        assert survivors(out.text, DETECTED) == []
        assert not {normalize(it.replacement) for it in out.items} & {normalize(v) for v in DETECTED}

    def test_when_the_answer_holds_pseudonyms_then_restore_gives_the_originals(self, spans):
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(TEXT, spans)
        inverse = {orig: p for p, orig in out.mapping.items()}
        answer = f"{inverse['Jonas Velkander']} wrote to {inverse['anna.kovacs@lawfirm.cz']} on {inverse['4 May 2006']}."
        assert out.restore(answer) == "Jonas Velkander wrote to anna.kovacs@lawfirm.cz on 4 May 2006."
        assert out.restore(out.text).count("Jonas Velkander") == 2

    @pytest.mark.parametrize("value, entity_type", [
        ("36110/97", "CODE"), ("+420 601 234 567", "PHONE"), ("CZ65 0800 0000 1920 0014 5399", "IBAN"),
        ("AB-123/2004", "CODE"), ("0044 20 7946 0958", "PHONE"), ("120 000 euros", "QUANTITY"),
    ])
    def test_when_a_value_is_structured_then_its_pseudonym_keeps_the_shape(self, value, entity_type):
        text = f"Reference {value} was given."
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, [Span(10, 10 + len(value), entity_type)])
        (item,) = out.items
        p = item.replacement
        assert len(p) == len(value) and p != value
        for a, b in zip(value, p):
            if a.isdigit():
                assert b.isdigit()
            elif a.isalpha():
                assert b.isalpha() and a.isupper() == b.isupper()
            else:
                assert a == b  # separators kept

    def test_when_a_value_is_an_email_or_date_then_the_pseudonym_is_one_too(self, spans):
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(TEXT, spans)
        p = {it.original: it.replacement for it in out.items}
        assert re.fullmatch(r"[a-z]{4}\.[a-z]{6}@example\.org", p["anna.kovacs@lawfirm.cz"])
        for date in ("21 March 2005", "4 May 2006", "1 June 2007"):
            assert re.fullmatch(r"\d{1,2} (January|February|March|April|May|June|July|August|September|"
                                r"October|November|December) \d{4}", p[date])
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", p["Jonas Velkander"])

    def test_when_dates_share_numbers_then_no_pseudonym_reintroduces_a_detected_value(self):
        # Years are drawn from 70 values: with many detected dates a pseudonym date often contains a
        # detected year. The egress guard matches word-bounded, so that would be a surviving value.
        years = [str(y) for y in range(1950, 2020)]
        text = " ".join(f"In {y} and on 3 May {y}." for y in years)
        spans = []
        for y in years:
            spans += [Span(text.index(f"In {y}") + 3, text.index(f"In {y}") + 7, "DATETIME"),
                      Span(text.index(f"3 May {y}"), text.index(f"3 May {y}") + 10, "DATETIME")]
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, spans)
        assert survivors(out.text, {text[s.start : s.end] for s in spans}) == []

    def test_when_a_multiword_value_would_recur_inside_a_pseudonym_then_another_is_drawn(self):
        # every "Month Year" of 1950-2019 is detected: any "d Month yyyy" pseudonym contains one
        months = ("January February March April May June July August September October November "
                  "December").split()
        text = "; ".join(f"{m} {y}" for m in months for y in range(1950, 2020)) + ". On 3 May 2006 it ended."
        spans = [Span(m.start(), m.end(), "DATETIME") for m in re.finditer(r"[A-Z][a-z]+ \d{4}|3 May 2006", text)]
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, spans)
        assert survivors(out.text, {text[s.start : s.end] for s in spans}) == []
        assert out.text.endswith("On [DATETIME] it ended.")  # no free surrogate of that shape

    def test_when_a_kept_word_of_a_surrogate_is_a_detected_value_then_it_is_not_reintroduced(self):
        text = "-000 00"  # the ORG surrogate keeps its last word, which equals the detected " 00"
        spans = [Span(4, 7, "PERSON"), Span(0, 5, "ORG")]
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, spans)
        assert survivors(out.text, {"00", "-000 "}) == []

    def test_when_the_salt_is_fixed_then_output_is_deterministic_and_another_salt_changes_it(self, spans):
        a = PseudonymizeSanitizer(PseudonymizeConfig(salt="s1")).sanitize(TEXT, spans)
        b = PseudonymizeSanitizer(PseudonymizeConfig(salt="s1"), secret=SECRET).sanitize(TEXT, spans)
        c = PseudonymizeSanitizer(PseudonymizeConfig(salt="s2")).sanitize(TEXT, spans)
        assert a == b  # a salt replaces the workspace secret
        assert a.text != c.text
        assert a.params == {"reproducible": True}  # the salt itself is never reported

    def test_when_no_salt_is_set_then_the_workspace_secret_keys_the_surrogates(self, spans):
        a = PseudonymizeSanitizer(secret=SECRET).sanitize(TEXT, spans)
        b = PseudonymizeSanitizer(secret=SECRET).sanitize(TEXT, spans)
        c = PseudonymizeSanitizer(secret=SECRET + b"x").sanitize(TEXT, spans)
        public = PseudonymizeSanitizer(PseudonymizeConfig(salt="privacy-edge")).sanitize(TEXT, spans)
        assert a == b and a.text != c.text and a.text != public.text
        assert a.params == {"reproducible": False}
        with pytest.raises(ValueError, match="workspace secret"):
            PseudonymizeSanitizer()

    def test_a_surrogate_keeps_no_word_of_the_value_in_any_script(self):
        text = "Code ΔΣ-Ω was used."  # the shape of a code kept non-ASCII letters before
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, [Span(5, 9, "CODE")])
        assert "ΔΣ" not in out.text and out.text != text
        dated = "Born 31 Jan 1972, owner Thaddeus Blackmoor."  # a date span that swallowed a name
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(dated, [Span(5, 42, "DATETIME")])
        assert "Thaddeus" not in out.text and "Blackmoor" not in out.text

    def test_when_no_surrogate_is_free_then_a_neutral_mark_is_used_and_not_restored(self, monkeypatch):
        from privacy_edge.sanitize import pseudonymize

        monkeypatch.setattr(pseudonymize, "surrogate", lambda entity_type, value, rng: value)  # every draw collides
        out = PseudonymizeSanitizer(secret=SECRET).sanitize("Code X-1 was used.", [Span(5, 8, "CODE")])
        assert out.text == "Code [CODE] was used."
        assert "[CODE]" not in out.mapping

    def test_when_a_value_holds_a_lone_surrogate_then_it_is_pseudonymized_not_a_crash(self):
        text = "Name \ud800x and more"  # json.loads accepts "\ud800": it can reach the sanitizer
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, [Span(5, 7, "PERSON")])
        assert "\ud800" not in out.text and out.text.endswith(" and more")

    def test_when_a_surrogate_forms_a_value_with_the_text_beside_it_then_that_range_is_marked(self):
        # the value starts and ends with a separator; its second occurrence overlaps the first, so
        # only the first is replaced, and the surrogate keeps the separator: "\x1b<digits>\x1b00000\x1b"
        text = "0000\x1b00000\x1b00000\x1b"
        out = PseudonymizeSanitizer(secret=SECRET).sanitize(text, [Span(4, 11, "DATETIME")])
        assert survivors(out.text, ["\x1b00000\x1b"]) == []
        assert out.text.startswith("0000") and "[...]" in out.text
        assert "[...]" not in out.mapping

    def test_when_registered_then_pseudonymize_is_the_pseudonymize_sanitizer(self):
        assert SANITIZERS.get("pseudonymize") is PseudonymizeSanitizer


WORDS = ["Anna", "anna", "ANNA", "Ostrava", "0", "00", "12", "-", "/", " ", "\n", ".", "'s", "_", "é",
         "ı", "İ", "ß", "σ", "ς", "ﬁ", "ǅ", "\u0301", "\ud800", "[", "]", "Mr", "March", "2005", "@", "x.y@z.cz", "\x1b", "Ｏ"]


@st.composite
def text_and_spans(draw):
    text = "".join(draw(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=30)))
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        if not text:
            break
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, min(len(text), a + 10)))
        spans.append(Span(a, b, draw(st.sampled_from(["PERSON", "LOC", "ORG", "DATETIME", "CODE", "EMAIL"]))))
    return text, spans


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_spans(), st.sampled_from(["mask", "pseudonymize"]))
def test_when_text_and_spans_are_arbitrary_then_no_crash_no_survivor_and_restore_round_trips(data, name):
    text, spans = data
    sanitizer = PseudonymizeSanitizer(secret=SECRET) if name == "pseudonymize" else MaskSanitizer()
    out = sanitizer.sanitize(text, spans)
    assert survivors(out.text, {text[s.start : s.end] for s in spans}) == []
    if name == "mask":  # restoring the egress text itself gives the text back, up to case variants
        expected, pos = [], 0
        for it in out.items:
            expected += [text[pos : it.start], out.mapping[it.replacement]]
            pos = it.end
        assert out.restore(out.text) == "".join(expected) + text[pos:]
