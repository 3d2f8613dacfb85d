"""Data minimization (issue #15): what is kept and what is left out, judged by oracles written by hand
(expected units, expected egress) or from the original text alone (word counts, unique words), never
from the minimizer's own bookkeeping; then the pipeline around it: masking, restoring, the guard,
the record, and the attacks on a marker-only egress.
"""

import re

import pytest

from conftest import sanitizers
from loopback import LoopbackServer

from privacy_edge import assemble
from privacy_edge.config import ConfigError, RouterSettings, build
from privacy_edge.sanitize.minimize import MinimizeConfig
from privacy_edge.llm.base import case_text_of
from privacy_edge.llm.openai_chat import OpenAIChat
from privacy_edge.metrics.attacks import linking_outcomes
from privacy_edge.metrics.privacy import kept
from privacy_edge.metrics.resources import Linker
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample
from privacy_edge.protected import protected_values
from privacy_edge.sanitize.base import Sanitized, Sanitizer
from privacy_edge.sanitize.minimize import Minimizer, split_units
from privacy_edge.spans import Span

QUESTION = "Against which State was this application lodged?"

# Four sentences, one about the question; each holds a word no other sentence holds.
GOATS = "The applicant keeps three goats on a hillside farm."
STATE = "The application was lodged against the Republic of Ruritania by Mr Tomas Wexley."
RAIN = "It rained heavily in the valley during that spring."
MUSIC = "Wexley later played the violin at a village concert."
TEXT = f"{GOATS} {STATE}\n\n{RAIN} {MUSIC}"
UNIQUE = {GOATS: "goats", STATE: "Ruritania", RAIN: "rained", MUSIC: "violin"}


@pytest.mark.parametrize("text, unit, expected", [
    ("The case originated in an application (no. 12345/67) against Ruritania. Mr. H. K. Elban represented "
     "him.\n\nTHE FACTS\nHe was born in 1961. It rained.", "sentence",
     ["The case originated in an application (no. 12345/67) against Ruritania.",
      "Mr. H. K. Elban represented him.", "THE FACTS", "He was born in 1961.", "It rained."]),
    ("He relied on Art. 6 of the Convention (“the Convention”). The Government disagreed.", "sentence",
     ["He relied on Art. 6 of the Convention (“the Convention”).", "The Government disagreed."]),
    ("  First paragraph. Still first.\n\n\nSecond one.  \n", "paragraph",
     ["First paragraph. Still first.", "Second one."]),
])
def test_when_a_text_is_cut_then_units_end_at_sentences_not_at_abbreviations_or_initials(text, unit, expected):
    assert [text[a:b] for a, b in split_units(text, unit)] == expected


def test_when_the_budget_fits_one_sentence_then_only_the_relevant_one_is_kept_between_markers():
    words = len(STATE.split())  # 13 of the text's 40 words
    m = Minimizer(MinimizeConfig(share=1.0, max_tokens=words))
    out = m.minimize(TEXT, QUESTION, [])
    assert out.text == f"[...]\n{STATE}\n[...]"  # written by hand: the oracle
    assert out.params["kept_units"] == 1 and out.units == 4
    assert out.share == pytest.approx(len(STATE) / (len(TEXT) - 4))  # the 4 whitespace characters between units


@pytest.mark.parametrize("share", [0.05, 0.2, 0.35, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("unit", ["sentence", "paragraph"])
def test_whatever_the_budget_kept_units_are_whole_in_order_and_within_it_and_the_rest_is_absent(share, unit):
    m = Minimizer(MinimizeConfig(share=share, unit=unit))
    out = m.minimize(TEXT, QUESTION, [])
    pieces = [p for p in re.split(r"\n?\[\.\.\.\]\n?", out.text) if p]
    positions = [TEXT.find(p) for p in pieces]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)  # verbatim, in text order
    assert sum(len(p.split()) for p in pieces) <= int(share * len(TEXT.split()))  # the budget, in words
    for sentence, word in UNIQUE.items():  # each sentence is there whole or not at all
        assert (sentence in out.text) == (word in out.text)
    if share == 1.0:
        assert out.text == TEXT and "[...]" not in out.text
    gaps = (len(pieces) - 1 if pieces else 0) + (not pieces or not TEXT.startswith(pieces[0])) \
        + bool(pieces and not TEXT.endswith(pieces[-1]))  # before, between and after the kept runs
    assert out.text.count("[...]") == gaps


def test_when_nothing_fits_the_budget_then_the_text_is_a_marker_only():
    out = Minimizer(MinimizeConfig(share=0.01)).minimize(TEXT, QUESTION, [])
    assert out.text == "[...]" and out.share == 0 and out.kept == ()


def test_a_detected_value_is_never_cut_by_a_unit_boundary():
    text = "The firm was Foo Bar S.A. Quux Holdings. Then he left. It rained."
    start = text.index("Foo")
    span = Span(start, text.index(". Then"), "ORG", text=text[start : text.index(". Then")])
    cut = [(a, b) for a, b in split_units(text)]
    assert any(span.start < b < span.end for a, b in cut)  # the splitter alone would cut the name
    for words in range(1, len(text.split()) + 1):
        out = Minimizer(MinimizeConfig(share=1.0, max_tokens=words)).minimize(text, QUESTION, [span])
        assert ("Foo" in out.text) == ("Quux" in out.text)
        if "Foo" in out.text:  # and its span is re-based onto the kept text, whole
            assert [out.text[s.start : s.end] for s in out.spans] == [span.text]

def test_a_value_detected_only_in_a_left_out_sentence_is_still_covered_where_it_recurs():
    words = len(MUSIC.split())
    m = Minimizer(MinimizeConfig(share=1.0, max_tokens=words))
    # the detector found the full name in STATE only; MUSIC (kept for a music question) has the surname
    start = TEXT.index("Mr Tomas Wexley")
    spans = [Span(start, start + 15, "PERSON", text="Mr Tomas Wexley")]
    out = m.minimize(TEXT, "Which instrument did he play at the concert?", spans)
    assert MUSIC in out.text and STATE not in out.text
    masked = sanitizers()["mask"].sanitize(out.text, out.spans)
    assert "Wexley" not in masked.text and "[PERSON_1]" in masked.text
    assert masked.restore("[PERSON_1] played.") == "Wexley played."
    # the values the sanitizer is told to avoid are all the whole text's, those left out included
    assert set(protected_values(out.text, out.spans)) == set(protected_values(TEXT, spans))
    for name, sanitizer in sanitizers().items():  # an empty span replaces nothing
        assert "violin" in sanitizer.sanitize(out.text, out.spans).text or name == "dp"


def test_minimize_settings_are_validated_and_name_where():
    assert build(RouterSettings, {"policy": "minimize+dp"}, "x").policy == "minimize+dp"
    with pytest.raises(ConfigError, match="OracleRouter hyperparameters: policy"):
        build(RouterSettings, {"policy": "minimize+nothing"}, "OracleRouter hyperparameters")
    with pytest.raises(ConfigError, match="minimize.share: Input should be less than or equal to 1"):
        assemble.minimizer({"minimize_share": 1.5})  # the older flat name
    with pytest.raises(ConfigError, match="minimize.share"):
        assemble.minimizer({"minimize.share": 1.5})
    assert assemble.minimizer({"minimize.share": 0.5, "minimize.unit": "paragraph"}).config.unit == "paragraph"
    with pytest.raises(ConfigError, match="marker"):
        build(MinimizeConfig, {"marker": "[PERSON]"}, "minimize")
    with pytest.raises(ConfigError, match="policy: .*unknown sanitizer 'minimize'"):
        assemble.pipeline(EdgeSide(assemble.detector(), None, sanitizers()), None, "confidence", 0.5, "minimize")


def _edge(sanitizer_map=None, share=0.5):
    return EdgeSide(assemble.detector(), None, sanitizer_map or sanitizers(), Minimizer(MinimizeConfig(share=share)))


def test_the_pipeline_sends_the_minimized_masked_text_restores_and_records_the_kept_share():
    with LoopbackServer([("ok", "It was [PERSON_1]'s case against Ruritania.")]) as server:
        cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)
        pipe = assemble.pipeline(_edge(), cloud, "cloud_sanitized", 0.5, "minimize+mask")
        record = pipe.run([Sample("d1", TEXT, QUESTION)])[0]
        sent = server.requests[0]["messages"][0]["content"]
    assert record["error"] is None and record["egress"] == sent
    assert record["method"]["name"] == "minimize+mask"
    case = case_text_of(sent)
    assert "[...]" in case and "Ruritania" in case and "goats" not in case and "rained" not in case
    assert "Wexley" not in sent and "[PERSON_1]" in case
    assert "placeholders such as [PERSON_1]" in sent  # the mask prompt note still goes with masked text
    assert "Wexley" in record["answer"]  # restored at the edge
    share = record["method"]["params"]["minimize"]["kept_share"]
    assert 0 < share < 1
    assert kept([record], [{"doc_id": "d1"}]) == pytest.approx(share)


class PassThrough(Sanitizer):
    """Deliberately broken: sends what it is given, so only the guard stands between it and the cloud."""

    def sanitize(self, text, spans):
        return Sanitized(text, "mask", {})


def test_the_guard_still_refuses_every_value_detected_in_the_whole_text():
    with LoopbackServer() as server:
        cloud = OpenAIChat(server.base_url, "none", "loopback", max_retries=0)
        broken = {"mask": PassThrough(), "pseudonymize": PassThrough(), "dp": PassThrough()}
        pipe = assemble.pipeline(_edge(broken, share=1.0), cloud, "cloud_sanitized", 0.5, "minimize+mask")
        record = pipe.run([Sample("d1", TEXT, QUESTION)])[0]
        assert server.requests == []
    assert record["error"].startswith("egress refused") and record["egress"] is None


def test_a_marker_only_egress_is_counted_by_the_linking_attack_never_dropped_nor_linked():
    background = {"a": "The applicant keeps goats on a farm. " * 5, "b": "It rained in the valley. " * 5}
    index = Linker(background, chunk_words=40)
    records = [{"doc_id": "a", "egress": "Q\n\nCase text:\n[...]\n\nQuestion: Q"},
               {"doc_id": "b", "egress": "Q\n\nCase text:\n[...]\n\nQuestion: Q"}]
    gold = [{"doc_id": "a"}, {"doc_id": "b"}]
    assert index.top1(["[...]", "goats farm"]) == [None, "a"]  # no shared term: no first case
    outs = linking_outcomes(records, gold, index)
    assert all(o is not None for o in outs)  # scored
    assert sum(outs) <= 1  # the dense retriever may guess one of the two; TF-IDF links neither
