"""The dp sanitizer: CusText's epsilon bound (exactly and statistically), determinism, masking first,
what passes through unchanged, restoration, and a property test on arbitrary Unicode.

Uses the real MiniLM vocabulary (built once per process, under a second).
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from privacy_edge.config import ConfigError, build
from privacy_edge.sanitize.dp import DPConfig
from privacy_edge.sanitize.mask import MaskConfig
from privacy_edge.sanitize import SANITIZERS
import leak_oracle
from privacy_edge.sanitize.custext import CusText
from privacy_edge.sanitize.dp import DPSanitizer
from privacy_edge.sanitize.dp_vocabulary import gguf_tokens, load_custext, minilm_wordpieces, vocabulary
from privacy_edge.sanitize.mask import MaskSanitizer
from privacy_edge.spans import Span

SECRET = b"test-workspace-secret-0123456789abcdef"  # what secret_key.workspace_secret gives a workspace

EPSILONS = [0.1, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 50.0]

PARAGRAPH = (
    "The applicant, Mr Jonas Velkander, was born in 1961 and lives in Ostrava. On 12 March 2004 he was "
    "arrested by the police at his house and taken to the station, where officers beat him and refused to "
    "let him contact his lawyer or his wife. He complained to the public prosecutor that he had been beaten "
    "and threatened during the interrogation. The prosecutor dismissed the complaint, finding that the "
    "injuries were caused when he resisted arrest. Mr Velkander was detained for three months and later "
    "sentenced to four years of imprisonment by the Regional Court of Ostrava."
)
VALUES = {"Jonas Velkander": "PERSON", "Velkander": "PERSON", "1961": "DATETIME", "Ostrava": "LOC",
          "12 March 2004": "DATETIME", "three months": "DATETIME", "Regional Court": "ORG"}


def spans_of(text: str, values: dict[str, str]) -> list[Span]:
    """One span per value, at its last occurrence (masking must find the others itself)."""
    return [Span(text.rindex(v), text.rindex(v) + len(v), t) for v, t in values.items()]


def survivors(out: str, text: str, spans) -> list[str]:
    """Detected values that occur in ``out`` (an oracle written apart from the guard's matcher)."""
    return leak_oracle.survivors(out, [text[s.start : s.end] for s in spans])


def small_group(epsilon: float) -> CusText:
    """One group of five real words with their MiniLM vectors."""
    words = ["prison", "jail", "court", "judge", "lawyer"]
    tokens, matrix = minilm_wordpieces()
    return CusText(words, matrix[[tokens.index(w) for w in words]], 5, epsilon)


@pytest.fixture(scope="module")
def sanitizer() -> DPSanitizer:
    return DPSanitizer(DPConfig(epsilon=4.0), secret=SECRET)


class TestEpsilonBound:
    @pytest.mark.parametrize("epsilon", EPSILONS)
    def test_when_tables_are_built_then_every_ratio_is_within_e_to_the_epsilon(self, epsilon):
        for mech in (small_group(epsilon), load_custext(8000, 20, epsilon)):
            logp = np.log(mech.prob)  # (group, x, y)
            worst = (logp[:, :, None, :] - logp[:, None, :, :]).max()  # over groups, x, x', y
            assert worst <= epsilon + 1e-9
            assert worst == pytest.approx(mech.max_log_ratio())

    @pytest.mark.parametrize("epsilon", EPSILONS)
    def test_when_tables_are_built_then_the_bound_is_at_least_half_used(self, epsilon):
        # Let a, b be the least similar pair of a group: u(a, b) = u(b, a) = 0 and u(a, a) = u(b, b) = 1.
        # ln P(a|a)/P(a|b) + ln P(b|b)/P(b|a) = eps/2 + eps/2 (the normalisers cancel), so one of
        # the two is >= eps/2. A mechanism that spent only a quarter of the budget would fail here.
        for mech in (small_group(epsilon), load_custext(8000, 20, epsilon)):
            assert mech.max_log_ratio() >= epsilon / 2 - 1e-9

    @pytest.mark.parametrize("epsilon", [1.0, 4.0, 16.0])
    def test_when_the_exponent_dropped_the_half_then_the_bound_would_fail(self, epsilon):
        # exp(eps * u) is the mechanism at 2 * eps: its tables break e^eps, so the bound test above
        # distinguishes the correct eps/2 from that mistake.
        assert load_custext(8000, 20, 2 * epsilon).max_log_ratio() > epsilon
        assert small_group(2 * epsilon).max_log_ratio() > epsilon

    @pytest.mark.parametrize("epsilon", [1.0, 4.0])
    def test_when_sampled_then_empirical_ratios_stay_within_e_to_the_epsilon(self, epsilon):
        mech = small_group(epsilon)
        n, g = 20_000, mech.group_size
        rng = np.random.default_rng(12345)
        counts = {}
        for w in mech.words:
            out = mech.sample(np.full(n, mech.index[w]), rng)
            counts[w] = np.bincount(out, minlength=g)
        # Clopper-Pearson bounds, Bonferroni over every (input, output) pair, 1e-4 overall
        alpha = 1e-4 / (g * g)
        lo = {w: beta.ppf(alpha, np.maximum(c, 1e-12), n - c + 1) * (c > 0) for w, c in counts.items()}
        hi = {w: np.where(c < n, beta.ppf(1 - alpha, c + 1, np.maximum(n - c, 1e-12)), 1.0)
              for w, c in counts.items()}
        bound = math.exp(epsilon)
        for x in mech.words:
            # the sampler draws from the tables the bound was proven for
            p = np.array([mech.probabilities(x)[mech.words[j]] for j in range(g)])
            assert np.all(lo[x] <= p) and np.all(p <= hi[x]), x
            for x2 in mech.words:
                # the data must not show Pr[y|x] > e^eps Pr[y|x'] beyond sampling error
                assert np.all(lo[x] <= bound * hi[x2]), (x, x2)
        # and the samples do show the mechanism's effect: the input is the most likely output
        for x in mech.words:
            assert counts[x].argmax() == mech.index[x]

    def test_when_epsilon_grows_then_every_word_is_kept_at_least_as_often(self):
        stay = [np.diagonal(load_custext(8000, 20, e).prob, axis1=1, axis2=2) for e in EPSILONS]
        for a, b in zip(stay, stay[1:]):
            assert np.all(b >= a - 1e-12)
        assert stay[0].mean() < 0.1 < 0.9 < stay[-1].mean()


class TestVocabulary:
    def test_when_built_then_words_are_common_lowercase_alphabetic_and_groups_partition_them(self):
        mech = load_custext(8000, 20, 4.0)
        assert len(mech) == 8000
        assert all(re.fullmatch(r"[a-z]{3,}", w) for w in mech.words)
        assert sorted(mech.groups.ravel().tolist()) == list(range(8000))
        for name in ("paris", "london", "john", "turkish", "november", "the", "and", "which"):
            assert name not in mech.index
        for word in ("court", "prison", "wife", "police"):
            assert word in mech.index

    def test_when_grouped_then_neighbours_are_semantically_close(self):
        mech = load_custext(8000, 20, 4.0)
        assert {"courts", "judge", "tribunal"} <= set(mech.group("court"))
        assert "husband" in mech.group("wife") or "bride" in mech.group("wife")

    def test_when_requested_larger_than_available_then_all_available_words_are_used(self):
        words, vectors = vocabulary(10**6)
        assert 10_000 < len(words) == len(vectors) < 20_000

    def test_when_the_cased_vocabulary_is_read_then_names_are_left_out_and_common_words_kept(self):
        from privacy_edge.llm.huggingface import embedded_gguf
        from privacy_edge.sanitize.dp_vocabulary import common_lowercase_words

        tokens = gguf_tokens(embedded_gguf())
        assert len(tokens) == 49152 and "\u0120court" in tokens and "\u0120Paris" in tokens
        words = common_lowercase_words()
        assert {"court", "prison", "wife"} <= words and not {"paris", "john", "november"} & words

    def test_when_built_then_it_takes_seconds_and_sanitizing_milliseconds(self):
        t0 = time.perf_counter()
        load_custext(8000, 20, 3.21)
        sanitizer = DPSanitizer(DPConfig(epsilon=3.21), secret=SECRET)
        text = (PARAGRAPH + " ") * 4
        text = text[:2500]
        spans = spans_of(text, {k: v for k, v in VALUES.items() if k in text})
        sanitizer.sanitize(text, spans)
        assert time.perf_counter() - t0 < 10
        t1 = time.perf_counter()
        for _ in range(10):
            sanitizer.sanitize(text, spans)
        assert (time.perf_counter() - t1) / 10 < 0.05


class TestSanitizer:
    def test_when_registered_then_dp_is_built_from_its_config(self):
        cls = SANITIZERS.get("dp")
        assert cls is DPSanitizer
        s = cls(build(DPConfig, {"epsilon": 2.5, "seed": 7}, "test"))
        out = s.sanitize("The court dismissed it.", [])
        assert out.method == "dp"
        assert out.params == {"mechanism": "custext", "epsilon": 2.5, "group_size": 20,
                              "vocabulary_size": 8000, "reproducible": True}  # never the seed itself

    def test_when_config_is_wrong_then_it_is_an_error(self):
        with pytest.raises(ConfigError, match="exceeds vocabulary_size"):
            build(DPConfig, {"group_size": 500, "vocabulary_size": 100}, "test")
        with pytest.raises(ConfigError, match="unknown key"):
            build(DPConfig, {"epsilonn": 1}, "test")
        with pytest.raises(ConfigError, match="epsilon"):
            build(DPConfig, {"epsilon": 0}, "test")

    def test_when_same_input_and_seed_then_same_output(self, sanitizer):
        spans = spans_of(PARAGRAPH, VALUES)
        a = sanitizer.sanitize(PARAGRAPH, spans)
        b = DPSanitizer(DPConfig(epsilon=4.0), secret=SECRET).sanitize(PARAGRAPH, spans)
        assert a == b

    def test_when_seed_differs_then_output_differs(self):
        spans = spans_of(PARAGRAPH, VALUES)
        outs = {DPSanitizer(DPConfig(epsilon=4.0, seed=s)).sanitize(PARAGRAPH, spans).text for s in range(5)}
        assert len(outs) == 5

    def test_when_seed_is_null_then_the_workspace_secret_keys_the_noise(self, sanitizer):
        spans = spans_of(PARAGRAPH, VALUES)
        a = sanitizer.sanitize(PARAGRAPH, spans)
        assert a.params["reproducible"] is False and "seed" not in a.params
        other_workspace = DPSanitizer(DPConfig(epsilon=4.0), secret=SECRET + b"x")
        assert other_workspace.sanitize(PARAGRAPH, spans).text != a.text
        assert DPSanitizer(DPConfig(epsilon=4.0, seed=0)).sanitize(PARAGRAPH, spans).text != a.text
        with pytest.raises(ValueError, match="workspace secret"):
            DPSanitizer(DPConfig(epsilon=4.0))

    def test_when_documents_differ_then_their_shared_text_gets_different_noise(self, sanitizer):
        a = sanitizer.sanitize("First document. " + PARAGRAPH, []).text
        b = sanitizer.sanitize("Second document. " + PARAGRAPH, []).text
        assert a.split(". ", 1)[1] != b.split(". ", 1)[1]

    def test_when_epsilon_grows_then_more_words_are_kept_on_average(self):
        text = PARAGRAPH
        kept = []
        for eps in (1.0, 4.0, 16.0):
            counts = []
            for seed in range(20):
                out = DPSanitizer(DPConfig(epsilon=eps, seed=seed)).sanitize(text, [])
                counts.append(len([r for r in out.items if r.operator == "dp"]))
            kept.append(np.mean(counts))
        assert kept[0] > kept[1] > kept[2]  # fewer replaced words as epsilon grows

    def test_when_spans_are_detected_then_none_survives(self, sanitizer):
        spans = spans_of(PARAGRAPH, VALUES)
        for seed in range(10):
            out = DPSanitizer(DPConfig(epsilon=0.5, seed=seed)).sanitize(PARAGRAPH, spans)
            assert survivors(out.text, PARAGRAPH, spans) == []

    def test_when_mask_placeholders_are_made_then_they_pass_through_and_restore(self, sanitizer):
        spans = spans_of(PARAGRAPH, VALUES)
        masked = MaskSanitizer().sanitize(PARAGRAPH, spans)
        out = sanitizer.sanitize(PARAGRAPH, spans)
        assert out.mapping == masked.mapping
        for ph in masked.mapping:
            assert out.text.count(ph) == masked.text.count(ph)
        answer = "[PERSON_1] was detained in [LOC_1] on [DATETIME_2]."
        assert out.restore(answer) == "Jonas Velkander was detained in Ostrava on 12 March 2004."
        mask_items = [it for it in out.items if it.operator == "mask"]
        assert mask_items == list(masked.items)

    def test_when_the_template_spells_a_vocabulary_word_then_placeholders_still_pass_through(self):
        assert "person" in load_custext(8000, 20, 0.1).index
        s = DPSanitizer(DPConfig(epsilon=0.1), MaskConfig(template="<{type} {n}>"), secret=SECRET)
        text = "The person named Anna Kovacs met the person named Piotr Nowak."
        spans = spans_of(text, {"Anna Kovacs": "person", "Piotr Nowak": "person"})
        out = s.sanitize(text, spans)
        assert out.text.count("<PERSON 1>") == 1 and out.text.count("<PERSON 2>") == 1
        assert out.restore("<PERSON 2> and <PERSON 1>") == "Piotr Nowak and Anna Kovacs"

    def test_when_tokens_are_outside_the_vocabulary_then_they_and_the_layout_are_kept(self, sanitizer):
        text = ("The applicant's café-naïve claim (no. 36110/97), filed 3 times:\n"
                "\tiPhone, McDonald, antidisestablishmentarianism, Paris; court, Court, COURT!")
        out = sanitizer.sanitize(text, []).text
        assert re.findall(r"\W+", out) == re.findall(r"\W+", text)  # punctuation and whitespace
        for token in ("The", "applicant", "s", "café", "naïve", "no", "36110", "97", "3", "iPhone",
                      "McDonald", "antidisestablishmentarianism", "Paris"):
            assert re.search(rf"(?<!\w){re.escape(token)}(?!\w)", out), token
        in_vocab = [t for t in re.findall(r"\w+", text) if t.lower() in sanitizer.mechanism.index]
        assert {t.lower() for t in in_vocab} >= {"claim", "filed", "court"}

    def test_when_a_word_is_capitalised_then_its_replacement_is_too(self):
        s = DPSanitizer(DPConfig(epsilon=0.1, seed=3))
        text = " ".join(["Court court COURT"] * 30)
        words = s.sanitize(text, []).text.split()
        group = set(s.mechanism.group("court"))
        assert len(words) == 90
        for i, w in enumerate(words):
            assert w.lower() in group
            assert w == (w.capitalize(), w.lower(), w.upper())[i % 3]
        assert len({w.lower() for w in words}) > 5  # at eps 0.1 the words do change

    def test_when_noise_recreates_a_detected_value_then_it_is_masked_again(self):
        tokens, matrix = minilm_wordpieces()
        words = ["supreme", "high", "tribunal", "court"]
        mech = CusText(words, matrix[[tokens.index(w) for w in words]], 2, 1.0,
                       groups=np.array([[0, 1], [2, 3]]))
        other = {0: 1, 1: 0, 2: 3, 3: 2}
        mech.sample = lambda ids, rng: np.array([other[i] for i in ids.tolist()], dtype=np.int64)
        s = DPSanitizer(DPConfig(epsilon=1.0), secret=SECRET)
        s._mechanism = mech  # noise that always moves to the other word of the group
        text = "The Supreme Tribunal ruled. The High Court agreed, and the high tribunal too."
        spans = spans_of(text, {"High Court": "ORG"})
        out = s.sanitize(text, spans)
        assert out.text == "The [ORG_1] ruled. The [ORG_1] agreed, and the supreme court too."
        assert survivors(out.text, text, spans) == []
        remasked = [it for it in out.items if it.original == "Supreme Tribunal"]
        assert len(remasked) == 1
        assert remasked[0].replacement == "[ORG_1]" and remasked[0].entity_type == "ORG"
        assert [it.start for it in out.items] == sorted(it.start for it in out.items)
        assert out.restore("[ORG_1] ruled.") == "High Court ruled."

    def test_when_items_are_listed_then_they_describe_the_output(self, sanitizer):
        spans = spans_of(PARAGRAPH, VALUES)
        out = sanitizer.sanitize(PARAGRAPH, spans)
        rebuilt, pos = [], 0
        for it in out.items:
            assert it.start >= pos and PARAGRAPH[it.start : it.end] == it.original
            rebuilt += [PARAGRAPH[pos : it.start], it.replacement]
            pos = it.end
        assert "".join(rebuilt) + PARAGRAPH[pos:] == out.text
        assert any(it.operator == "dp" and it.entity_type == "WORD" for it in out.items)

    def test_when_text_is_empty_or_has_no_words_then_it_is_returned(self, sanitizer):
        assert sanitizer.sanitize("", []).text == ""
        assert sanitizer.sanitize("12/03 -- ?!", []).text == "12/03 -- ?!"


WORDS = ["court", "Court", "prison", "wife", "police", "judge", "the", "high", "Anna", "ı", "İ", "ß", "ǅ",
         "\u0301", "\ud800", "ﬁ", "K", "σ", "ς", " ", "  ", "\n", ".", "-", "'s", "12", "[", "]", "_", "é",
         "\x1b", "0"]


@st.composite
def text_and_spans(draw):
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=40))
    text = "".join(parts)
    n = draw(st.integers(0, 6))
    spans = []
    for _ in range(n):
        if not text:
            break
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, min(len(text), a + 12)))
        spans.append(Span(a, b, draw(st.sampled_from(["PERSON", "LOC", "ORG", "DATETIME", "CODE"]))))
    return text, spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_spans(), st.sampled_from([0.1, 4.0, 50.0]), st.integers(0, 3))
def test_when_text_and_spans_are_arbitrary_then_dp_never_crashes_and_no_span_survives(data, epsilon, seed):
    text, spans = data
    out = DPSanitizer(DPConfig(epsilon=epsilon, seed=seed)).sanitize(text, spans)
    assert isinstance(out.text, str)
    assert survivors(out.text, text, spans) == []
