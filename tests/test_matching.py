"""Privacy against an informed adversary: every written variant of a detected value is found, replaced
by every method and refused by the egress guard. Leaks are judged by ``leak_oracle``, written apart
from ``privacy_edge.matching``; the matcher's own answers are only compared with it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from leak_oracle import occurs, survivors
from conftest import sanitizers
from loopback import LoopbackServer

from privacy_edge import assemble, guard, matching
from privacy_edge.llm.openai_chat import OpenAIChat
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample
from privacy_edge.spans import Span

METHODS = ("mask", "pseudonymize", "dp")
_BUILT: list[dict] = []


def _sanitizers() -> dict:
    """The three methods keyed by the test session's workspace secret, built once."""
    if not _BUILT:
        _BUILT.append(sanitizers())
    return _BUILT[0]

# (detected value, how the same value is written elsewhere in the document)
VARIANTS = [
    ("Kemal Inan", "Kemal İnan"),  # dotted capital I
    ("Kemal Inan", "KEMAL İNAN"),  # all caps, dotted
    ("Kemal İnan", "Kemal Inan"),  # the other way round
    ("Kılıç", "Kilic"),  # dotless i and cedilla dropped
    ("Kemal Inan", "KEMAL INAN"),  # all caps
    ("Kemal Inan", "kemal inan"),
    ("Kemal Inan", "Kemal In\u00adan"),  # soft hyphen
    ("Kemal Inan", "Kemal In\u200ban"),  # zero-width space
    ("Kemal Inan", "Kemal In\u200dan"),  # zero-width joiner
    ("Kemal Inan", "\ufeffKemal Inan"),  # byte order mark
    ("Kemal Inan", "Kemal\u00a0Inan"),  # no-break space
    ("Kemal Inan", "Kemal\nInan"),  # line break
    ("Kemal Inan", "Kemal\r\n  Inan"),
    ("Kemal Inan", "Kemal\tInan"),  # tab
    ("Kemal Inan", "Kemal  Inan"),  # double space
    ("Kemal Inan", "Ｋｅｍａｌ Ｉｎａｎ"),  # full-width letters
    ("Şahin", "S\u0327ahin"),  # decomposed accent
    ("S\u0327ahin", "Şahin"),  # precomposed accent
    ("Şahin", "Sahin"),  # no accent
    ("Brennholt", "Brennholt's"),  # possessive
    ("Brennholt", "Brennholt\u2019s"),
    ("O'Leary", "O\u2019Leary"),  # typographic apostrophe
    ("36110/97", "36110 / 97"),  # spaced numbers
    ("36110 / 97", "36110/97"),
    ("Kemal Inan", "Kemal In\u0430n"),  # a Cyrillic a
    ("Kemal Inan", "KEMAL \u0406NAN"),  # a Cyrillic I
    ("Popov", "\u0420\u043e\u0440ov"),  # Cyrillic P, o, p
    ("Kemal Inan", "\u039aemal \u0399nan"),  # Greek K and I
    ("Kemal Inan", "\u03baemal inan"),  # Greek small kappa
    ("Kemal Inan", "KEMAL I\u039dAN"),  # Greek capital nu (its small letter reads as a v)
    ("Yilmaz", "\u03a5ilmaz"),  # Greek capital upsilon (its small letter reads as a u)
    ("Novak", "\u039do\u03bdak"),  # Greek capital nu and small nu in one word: N, v
    ("Yilmaz", "\u03abilmaz"),  # Greek capital upsilon with diaeresis
    ("Novak", "\U0001d6b4ovak"),  # mathematical bold capital nu
    ("\u041a\u043e\u0432\u0430\u043b\u044c", "\u041a\u041e\u0412\u0410\u041b\u042c"),  # a Cyrillic name in capitals
    ("\u041a\u043e\u0432\u0430\u043b\u044c", "\u043a\u043e\u0432\u0430\u043b\u044c"),  # and in small letters
    ("Kemal Inan", "\u1d0b\u1d07\u1d0d\u1d00\u029f \u026a\u0274\u1d00\u0274"),  # small capitals
    ("Kemal Inan", "Kemal In\u3164an"),  # a Hangul filler (a letter that shows nothing)
    ("Kemal Inan", "Ke\uffa0mal Inan"),  # its half-width form
    ("Kemal Inan", "Kemal In\ufe0fan"),  # a variation selector
    ("Kemal Inan", "Kemal In\u2800an"),  # a blank braille cell
    ("Kemal Inan", "Kemal\u2800Inan"),  # the same cell between the names, where a reader sees a space
    ("Kemal Inan", "KEMAL IN\u2800AN"),  # and inside a name in capitals, where it hides nothing
    ("36110/97", "application\u280036110/97"),  # and between a word and a number
    ("Ivan Petrov", "\u202evorteP navI\u202c"),  # stored backwards under a right-to-left override
    ("Kemal Inan", "\u202eKemal Inan"),  # stored forwards under one: a model reads it as stored
    ("Kemal Inan", "KEMAL\u2800INAN"),  # a blank cell between two names in capitals
    ("Kemal Inan", "Kemal \U0001f158\U0001f15d\U0001f150\U0001f15d"),  # capitals in black circles
    ("Mr Kemal Inan", "Inan"),  # the surname alone after the full name was detected
    ("Mr Kemal Inan", "İNAN"),
]
FILLER = "The case was examined on the merits. "


def document(value: str, variant: str) -> tuple[str, list[Span]]:
    """A text that names the value once (detected there) and the variant later (not detected)."""
    head = f"The applicant, {value}, complained. "
    text = head + FILLER + f"Later {variant} was summoned again. " + FILLER
    start = head.index(value)
    return text, [Span(start, start + len(value), "PERSON" if value[0].isalpha() else "CODE", 1.0)]


class TestVariantTable:
    @pytest.mark.parametrize(("value", "variant"), VARIANTS)
    def test_the_oracle_and_the_matcher_both_see_the_variant(self, value, variant):
        text, _ = document(value, variant)
        surname = value.split()[-1]
        looked_for = value if occurs(value, variant) else surname
        assert occurs(looked_for, text.replace(value, "", 1)), "the table itself is wrong"
        assert matching.occurrences(text.replace(value, "", 1), [looked_for])

    @pytest.mark.parametrize("method", METHODS)
    @pytest.mark.parametrize(("value", "variant"), VARIANTS)
    def test_when_a_variant_recurs_then_no_method_lets_it_through(self, method, value, variant):
        text, spans = document(value, variant)
        out = _sanitizers()[method].sanitize(text, spans)
        # A name's last word alone still names the person; a number's last part alone ("97" of
        # "36110 / 97") is no identifier, and a random surrogate number may share it by chance.
        alone = [value.split()[-1]] if value[:1].isalpha() else []
        assert survivors(out.text, [value, variant, *alone]) == []
        assert "summoned again" in out.text or method == "dp"  # the rest of the text is kept

    @pytest.mark.parametrize(("value", "variant"), VARIANTS)
    def test_when_a_payload_holds_a_variant_then_the_guard_refuses_it(self, value, variant):
        text, spans = document(value, variant)
        payload = f"Case text:\nLater {variant} was summoned again."
        with guard.forbid([s.with_(text=text[s.start : s.end]) for s in spans]):
            with pytest.raises(guard.EgressRefused):
                guard.check(payload)
            guard.check("Case text:\nLater [PERSON_1] was summoned again.")  # a clean payload passes

    def test_replacements_cover_exactly_the_original_characters(self):
        text = "Kemal In\u00adan met S\u0327ahin at Ｉｎａｎ's house."
        found = matching.occurrences(text, ["Inan", "Şahin"])
        assert [text[o.start : o.end] for o in found] == ["In\u00adan", "S\u0327ahin", "Ｉｎａｎ"]

    def test_a_value_inside_a_longer_word_is_not_an_occurrence(self):
        assert matching.occurrences("financial Inanna", ["Inan"]) == []
        assert not occurs("Inan", "financial Inanna")


CYRILLIC_AND_GREEK = st.text(alphabet="\u0410\u0412\u0415\u041a\u041b\u041e\u0420\u0421\u042c\u0430\u0432\u0435"
                                      "\u043b\u043e\u0440\u044c\u0391\u039a\u039d\u03a3\u03b1\u03ba\u03bd\u03c3\u03c2"
                                      "abcKOP", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(CYRILLIC_AND_GREEK)
def test_property_folding_ignores_case_in_every_script(value):
    assert matching.key(value) == matching.key(value.upper()) == matching.key(value.lower())


# -- random values and random variants of them, in random text -----------------------------------------

def _capitalised(draw_word: str) -> str:
    return draw_word[:1].upper() + draw_word[1:]


WORDS = st.text(alphabet="abcdefghiklmnoprstuvyz", min_size=4, max_size=9).map(_capitalised)
NAMES = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
NUMBERS = st.builds(lambda a, b: f"{a}/{b:02d}", st.integers(1000, 99999), st.integers(0, 99))
TRANSFORMS = {
    "upper": str.upper,
    "lower": str.lower,
    "dotted": lambda v: v.replace("I", "İ").replace("i", "i\u0307"),
    "dotless": lambda v: v.replace("i", "ı"),
    "soft_hyphen": lambda v: v[:2] + "\u00ad" + v[2:],
    "zero_width": lambda v: v[:3] + "\u200b" + v[3:],
    "nbsp": lambda v: v.replace(" ", "\u00a0"),
    "newline": lambda v: v.replace(" ", "\n"),
    "double_space": lambda v: v.replace(" ", "  "),
    "fullwidth": lambda v: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in v),
    "spaced_slash": lambda v: v.replace("/", " / "),
    "possessive": lambda v: v + "'s",
    # letters drawn like Latin ones: Cyrillic a c e o p x y A E K M H O P C T X, Greek A B E I K M N O P T o
    "cyrillic": lambda v: v.translate(str.maketrans(
        "aceopxyAEKMHOPCTX", "\u0430\u0441\u0435\u043e\u0440\u0445\u0443\u0410\u0415\u041a\u041c\u041d"
                             "\u041e\u0420\u0421\u0422\u0425")),
    "greek": lambda v: v.translate(str.maketrans(
        "ABEIKMNOPTo", "\u0391\u0392\u0395\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03bf")),
}
FILL = st.lists(st.sampled_from(["the", "court", "held", "that", "on", "appeal", "it", "was", "decided", ",", ".",
                                 "applicant", "lawyer", "filed", "in", "2003"]), min_size=3, max_size=30).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.one_of(NAMES, NUMBERS), transforms=st.lists(st.sampled_from(sorted(TRANSFORMS)), min_size=1, max_size=3),
       before=FILL, between=FILL, after=FILL, method=st.sampled_from(METHODS))
def test_property_no_variant_of_a_detected_value_survives_any_method(value, transforms, before, between, after, method):
    variant = value
    for name in transforms:
        variant = TRANSFORMS[name](variant)
    head = f"{before} {value} "
    text = f"{head}{between} {variant} {after}"
    spans = [Span(len(before) + 1, len(head) - 1, "PERSON" if value[0].isalpha() else "CODE", 1.0)]
    # Transformations can compose into something no reader takes for the value (Greek "Ν" then
    # lower case is "ν", a v): the oracle decides what is a variant, and such draws test nothing.
    assume(occurs(value, variant))
    out = _sanitizers()[method].sanitize(text, spans)
    assert survivors(out.text, [value, variant]) == []


# -- through the pipeline, to a real HTTP server ---------------------------------------------------------

EXAMPLE = ("The applicant, Mr Kemal Inan, lives in Istanbul. The prosecutor summoned İnan twice; the "
           "İstanbul court later acquitted KEMAL İNAN of all charges.")
QUESTION = "Against which State was the application lodged?"


def _pipeline(server, policy: str, router: str = "cloud_sanitized"):
    edge = EdgeSide(assemble.detector(), None, _sanitizers())
    return assemble.pipeline(edge, OpenAIChat(server.base_url, "none", "loopback", max_retries=0), router, 0.5, policy)


@pytest.mark.parametrize("policy", METHODS)
def test_the_dotted_i_example_reaches_the_cloud_without_any_form_of_the_name(policy):
    with LoopbackServer() as server:
        record = _pipeline(server, policy).run([Sample("d1", EXAMPLE, QUESTION, task="respondent_state")])[0]
        sent = [m["content"] for r in server.requests for m in r["messages"]]
    assert record["error"] is None and record["route"] == "cloud_sanitized" and len(sent) == 1
    assert survivors(sent[0], ["Kemal Inan", "İnan", "KEMAL İNAN", "Inan", "Istanbul", "İstanbul"]) == []


def test_a_users_question_holding_a_detected_value_is_protected_and_the_answer_restored():
    question = "Where does Mr Kemal Inan live?"
    with LoopbackServer([("ok", "[PERSON_1] lives in [LOC_1].")]) as server:
        record = _pipeline(server, "mask").run([Sample("d1", EXAMPLE, question)])[0]
        sent = server.requests[0]["messages"][0]["content"]
    assert record["error"] is None
    assert survivors(sent, ["Kemal Inan", "Inan", "Istanbul"]) == []
    assert sent.startswith("Where does [PERSON_1] live?")  # the same placeholder as in the text
    assert record["answer"] == "Mr Kemal Inan lives in Istanbul."


def test_only_the_fixed_template_is_exempt_not_a_value_that_also_occurs_in_it():
    text = "The State Prosecutor of the State of Lindgrad wrote to the applicant, who lives in Lindgrad."
    spans = [Span(text.index("State of Lindgrad"), text.index("State of Lindgrad") + 17, "ORG", text="State of Lindgrad"),
             Span(4, 9, "ORG", text="State")]
    template = ("Against which State was the application lodged?\n\nCase text:\n", "\n\nQuestion: Against which State")
    with guard.forbid(spans, public=template):
        guard.check(template[0] + "The [ORG_2] Prosecutor of [ORG_1]" + template[1])  # template alone: fine
        with pytest.raises(guard.EgressRefused):
            guard.check(template[0] + "The State Prosecutor of [ORG_1]" + template[1])  # "State" in the text


def test_a_refusal_in_the_http_layer_is_not_retried_and_nothing_is_sent(monkeypatch):
    calls = []
    real = guard.check_request_body
    monkeypatch.setattr(guard, "check_request_body", lambda body: calls.append(1) or real(body))
    with LoopbackServer() as server:
        chat = OpenAIChat(server.base_url, "none", "loopback", max_retries=3)
        with guard.forbid([Span(0, 10, "PERSON", text="Kemal Inan")]):
            with pytest.raises(guard.EgressRefused):
                chat.generate([[{"role": "user", "content": "About KEMAL İNAN."}]])
        assert server.requests == []
    assert len(calls) == 1


def test_a_failed_cloud_call_records_its_time_and_sanitizing_is_timed_once():
    with LoopbackServer([("stall", 1.0)]) as server:
        edge = EdgeSide(assemble.detector(), None, _sanitizers())
        cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=0, timeout_s=0.3)
        pipe = assemble.pipeline(edge, cloud, "cloud_sanitized", 0.5, "mask")
        record = pipe.run([Sample("d1", EXAMPLE, QUESTION, task="respondent_state")])[0]
    assert record["error"].startswith("cloud failed")
    assert 0.25 <= record["timings_s"]["cloud"] < 5
    assert 0 < record["timings_s"]["sanitize"] < 1


def test_a_users_question_naming_someone_the_text_does_not_name_is_never_sent_raw():
    text = "The court dismissed the appeal on 3 May 2001 and ordered the costs to be paid by the parties."
    question = "Did the court hear Mr Tarkan Vellor before it dismissed the appeal?"
    with LoopbackServer([("ok", "No.")]) as server:
        record = _pipeline(server, "mask", router="confidence").run([Sample("d1", text, question)])[0]
        sent = [m["content"] for r in server.requests for m in r["messages"]]
    assert record["private"] is True and record["route"] != "cloud_raw"
    assert all(survivors(s, ["Tarkan Vellor", "Vellor"]) == [] for s in sent)


def test_a_name_the_question_gives_is_covered_in_the_text_too():
    text = "The applicant said that vellor had been beaten, and the police denied that VELLOR was there."
    question = "What did the police say about Mr Tarkan Vellor?"
    with LoopbackServer([("ok", "They denied it.")]) as server:
        record = _pipeline(server, "mask").run([Sample("d1", text, question)])[0]
        sent = server.requests[0]["messages"][0]["content"] if server.requests else ""
    assert record["error"] is None and sent
    assert survivors(sent, ["Tarkan Vellor", "Vellor"]) == []


def test_occurrences_never_overlap_in_the_original_text():
    """"½" folds to "1/2": the values "1" and "2" are both in one original character, which is one
    occurrence (sanitizers replace each occurrence once)."""
    from privacy_edge.matching import occurrences

    hits = occurrences("x \u00bd y and 2", ["1", "2"])
    assert [(o.start, o.end) for o in hits] == [(2, 3), (10, 11)]


def test_a_name_under_an_override_protects_its_surname_as_shown():
    """The value detected under a right-to-left override is the name a screen shows: its surname
    elsewhere is covered too, as for a name written plainly."""
    text = "The applicant, Mr \u202evorteP navI\u202c, was arrested. Later ivan.petrov wrote to Petrov."
    start = text.index("Mr")
    span = Span(start, text.index(",", start), "PERSON", 1.0, "test", text[start : text.index(",", start)])
    for name, sanitizer in sanitizers().items():
        out = sanitizer.sanitize(text, [span])
        assert survivors(out.text, ["Ivan Petrov", "Petrov"]) == [], (name, out.text)
