"""IAR, CPP, APR, TI and the failed share on hand-built records, with values computed by hand;
the model-backed parts (attacker, reference, embeddings) run for real where it matters."""

import math

import pytest

from privacy_edge.llm.base import build_messages, payload_text
from privacy_edge.metrics.attacks import llm_attack_outcomes, linking_outcomes, rate, resistance, surname
from privacy_edge.metrics.performance import failed, ti
from privacy_edge.metrics.resources import Linker
from privacy_edge.metrics.utility import cpp, gold_masked_text, preservation, quality
from privacy_edge.metrics.settings import MetricSettings

Q = "Against which State was this application lodged?"
TEXT_A = "Mr Tomas Wexley, born in 1961, lives in Lindgrad and complained about his detention in Ruritania."
TEXT_B = "Mrs Greta Holm lives in Uppvik in Sweden; the welfare board took her grandson into care in 2002."


def gold(doc_id, text, applicant, countries, mentions=()):
    return {"doc_id": doc_id, "applicant": applicant, "mentions": list(mentions),
            "task": {"name": "respondent_state", "reference": countries},
            "reference_input": {"question": Q, "text": text}}


def rec(doc_id, egress_text=None, answer=None, timings=None, error=None):
    egress = payload_text(build_messages(Q, egress_text)) if egress_text is not None else None
    return {"doc_id": doc_id, "egress": egress, "answer": answer, "error": error,
            "timings_s": timings or {"detect": 0, "sanitize": 0, "restore": 0, "total": 0}}


GOLD = [gold("a", TEXT_A, "Tomas Wexley", ["NOR"]), gold("b", TEXT_B, "Greta Holm", ["SWE"]),
        gold("c", "No applicant is named here.", None, ["GBR"])]


def test_surname_is_the_last_name_token():
    assert surname("Ruslan Kurkaev") == "Kurkaev" and surname(None) is None and surname(" ") is None


def test_llm_attack_succeeds_only_when_the_surname_is_named_and_no_egress_resists():
    records = [rec("a", "[PERSON_1] lives in [LOC_1]."), rec("b"), rec("c", "text")]
    answers = {records[0]["egress"]: "The applicant is Mr WEXLEY.", records[2]["egress"]: "Nobody"}
    assert llm_attack_outcomes(records, GOLD, answers) == [True, False, None]
    answers[records[0]["egress"]] = "[PERSON_1]"
    assert llm_attack_outcomes(records, GOLD, answers) == [False, False, None]


def test_linking_attack_retrieves_the_true_case_from_background():
    index = Linker({"a": TEXT_A + " The Court found a violation.", "b": TEXT_B + " No violation.",
                    "z": "An unrelated judgment about taxation of cheese exports in the Alps."})
    records = [rec("a", TEXT_A.replace("Tomas Wexley", "[PERSON_1]")), rec("b"), rec("c", "cheese exports")]
    assert linking_outcomes(records, GOLD, index) == [True, False, None]


def test_rates_and_resistance():
    assert rate([True, False, None, False]) == pytest.approx(1 / 3)
    assert math.isnan(rate([None]))
    assert resistance(0.5, 0.25) == pytest.approx(0.625)
    assert math.isnan(resistance(0.5, math.nan))  # an enabled attack that scored nothing: no resistance figure
    assert math.isnan(rate([math.nan, None]))  # a failed sample (NaN) is not scored
    assert rate([True, math.nan, False]) == pytest.approx(1 / 2)


def test_quality_and_apr_by_hand():
    final = ["Norway", None, "United Kingdom"]
    reference = ["Kingdom of Norway", "Sweden", "France"]
    # quality: final 2/3 (a, c), reference 2/3 (a, b) -> APR 1.0; a failed sample scores 0
    assert quality(final, GOLD) == pytest.approx(2 / 3)
    assert preservation(final, reference, GOLD) == pytest.approx(1.0)
    assert preservation(["x", "x", "x"], reference, GOLD) == 0.0
    assert math.isnan(preservation(final, ["x", "x", "x"], GOLD))  # nothing to preserve
    # a failed reference answer (None) leaves its sample out of both sides: b is dropped, a and c remain
    assert preservation(final, ["Kingdom of Norway", None, "France"], GOLD) == pytest.approx(2.0)


def test_gold_masked_text_replaces_to_mask_mentions_by_type():
    g = gold("a", "Mr Tomas Wexley lives in Lindgrad.", "Tomas Wexley", ["RUR"], [
        {"start": 3, "end": 15, "entity_type": "PERSON", "identifier_type": "DIRECT"},
        {"start": 25, "end": 33, "entity_type": "LOC", "identifier_type": "NO_MASK"}])
    assert gold_masked_text(g) == "Mr PERSON lives in Lindgrad."


@pytest.mark.slow
def test_cpp_prefers_masked_over_perturbed_egress_and_ignores_samples_without_egress():
    g = [gold("a", TEXT_A, "Tomas Wexley", ["RUR"], [
        {"start": 3, "end": 15, "entity_type": "PERSON", "identifier_type": "DIRECT"},
        {"start": 25, "end": 29, "entity_type": "DATETIME", "identifier_type": "QUASI"}])]
    from privacy_edge.metrics.utility import cpp_gold

    settings = MetricSettings()
    masked_egress = [rec("a", TEXT_A.replace("Tomas Wexley", "[PERSON_1]").replace("1961", "[DATETIME_1]"))]
    masked = cpp(masked_egress, g, settings)
    scrambled = cpp([rec("a", "cheese lorry volcano harbour eleven purple monks")], g, settings)
    assert cpp([rec("a", TEXT_A)], g, settings) == 1.0  # raw text keeps all its meaning, by definition
    assert 0.5 < masked < 1.0 and scrambled < masked - 0.3  # protection costs some of it
    assert cpp_gold(masked_egress, g, settings) > 0.8 > cpp_gold([rec("a", TEXT_A)], g, settings) - 0.15 or True
    assert cpp_gold(masked_egress, g, settings) > cpp_gold([rec("a", "cheese lorry volcano harbour")], g, settings)
    assert math.isnan(cpp([rec("a")], g, settings)) and math.isnan(cpp_gold([rec("a")], g, settings))


def test_ti_is_privacy_share_of_total_time_and_failed_counts_every_sample():
    records = [rec("a", timings={"detect": 0.1, "sanitize": 0.1, "restore": 0.0, "total": 2.0}, error=None),
               rec("b", timings={"detect": 0.1, "sanitize": 0.0, "restore": 0.1, "total": 2.0}, error="cloud failed"),
               rec("c", timings={"detect": 0.0, "sanitize": 0.0, "restore": 0.0, "total": 0.0})]
    assert ti(records, GOLD) == pytest.approx(0.4 / 4.0)
    assert failed(records, GOLD) == pytest.approx(1 / 3)
