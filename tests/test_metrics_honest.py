"""Metrics that cannot be flattered: crafted records with hand-computed expectations (half a name in
the egress, a list of States for an answer, one sent document), each against the figure a careless
definition would give."""

from __future__ import annotations

import math

import pytest

from privacy_edge.data.tasks import get_task
from privacy_edge.metrics.privacy import sels, sels_mention, sels_sent
from privacy_edge.metrics.settings import MetricSettings

TEXT = ("Mr Tomas Wexley lodged application no. 36110/97 against Ruritania. "
        "The Court of Dorvale heard Mr Wexley on 3 May 2001.")


def mention(surface, itype="DIRECT", etype="PERSON", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "span_text": surface, "identifier_type": itype,
            "entity_type": etype}


GOLD = [{"doc_id": "d", "mentions": [mention("Tomas Wexley"), mention("36110/97", etype="CODE"),
                                     mention("Wexley", nth=1), mention("3 May 2001", "QUASI", "DATETIME")],
         "reference_input": {"question": "Q?", "text": TEXT}}]


def record(case_text: str | None) -> dict:
    egress = None if case_text is None else f"Q?\n\nCase text:\n{case_text}\n\nQuestion: Q?\nAnswer:"
    return {"doc_id": "d", "egress": egress, "route": "cloud_sanitized" if egress else "edge"}


def test_half_a_name_leaks_half_not_nothing():
    # "Wexley" of the first mention went out; "Tomas", the number and the date did not
    egress = ("Mr [PERSON_1] Wexley lodged application no. [CODE_1] against Ruritania. "
              "The Court of Dorvale heard Mr [PERSON_1] on [DATETIME_1].")
    settings = MetricSettings()
    # "wexley" stands in 2 mentions and once in the egress beyond the original's other text: each of its
    # occurrences leaks 1/2. Tomas Wexley: (0 + 1/2) / 2 = 1/4; 36110/97: 0; Wexley: 1/2; the date: 0.
    # Weighted (DIRECT 1, QUASI 0.5): (1/4 + 0 + 1/2 + 0) / (1 + 1 + 1 + 0.5) = 0.75 / 3.5
    assert sels([record(egress)], GOLD, settings) == pytest.approx(0.75 / 3.5)
    # the whole-mention rate sees only the mention "Wexley" (its whole form went out), not half of the other
    assert sels_mention([record(egress)], GOLD, settings) == pytest.approx(1 / 3.5)


def test_a_code_cut_in_two_leaks_its_identifying_part():
    egress = TEXT.replace("36110/97", "36110/[CODE_1]").replace("Tomas Wexley", "[PERSON_1]").replace(
        "Wexley", "[PERSON_1]").replace("3 May 2001", "[DATETIME_1]")
    # 36110 is the application's identifying number (97 is two digits, no more identifying than a day)
    assert sels([record(egress)], GOLD, MetricSettings()) == pytest.approx(1.0 / 3.5)


def test_raw_text_leaks_everything_and_nothing_sent_leaks_nothing():
    settings = MetricSettings()
    assert sels([record(TEXT)], GOLD, settings) == 1.0 == sels_mention([record(TEXT)], GOLD, settings)
    assert sels([record(None)], GOLD, settings) == 0.0
    assert sels_sent([record(TEXT), record(None)], GOLD * 2, settings) == 1.0  # only the sent sample counts
    assert math.isnan(sels_sent([record(None)], GOLD, settings))


def test_a_list_of_states_or_a_neighbouring_adjective_does_not_score():
    score = get_task("respondent_state").score
    assert score("Turkey", ["TUR"]) == 1.0 and score("the Republic of Türkiye", ["TUR"]) == 1.0
    assert score("Turkey, Greece and Cyprus", ["TUR"]) == 0.0  # a list guesses
    assert score("A Turkish national lodged it against Greece", ["TUR"]) == 0.0
    assert score("the United Kingdom of Great Britain and Northern Ireland", ["GBR"]) == 1.0
    articles = get_task("articles").score
    assert articles("Article 6 and Article 13", ["6", "13"]) == 1.0
    assert articles("In 1998 he relied on 6 and 13", ["6", "13"]) == 0.0  # numbers that are no articles
    assert articles("6, 13", ["6", "13"]) == 1.0 and articles("Article 6", ["6", "13"]) == pytest.approx(2 / 3)


def test_apr_is_no_more_than_1_when_the_protected_path_answers_a_list(monkeypatch):
    from privacy_edge.metrics import utility

    gold = [{"doc_id": f"d{i}", "task": {"name": "respondent_state", "reference": ["TUR"]},
             "reference_input": {"question": "Q?", "text": "t"}, "mentions": []} for i in range(2)]
    monkeypatch.setattr(utility, "references", lambda g, s, fresh=True: ["Turkey", "Greece"])
    records = [{"doc_id": "d0", "answer": "Turkey, Greece"}, {"doc_id": "d1", "answer": "Turkey"}]
    # reference: 1 + 0; protected: 0 (a list) + 1 -> APR 1/1 = 1, not 2/1 as "names it anywhere" gave
    assert utility.apr(records, gold, MetricSettings()) == pytest.approx(1.0)


def test_one_sent_document_shows_its_n_and_no_interval(tmp_path):
    import csv
    import json

    from privacy_edge.report import formatted, table

    ws = tmp_path / "ws"
    (ws / "rank").mkdir(parents=True)
    (ws / "case" / "records").mkdir(parents=True)
    row = {"algorithm": "a", "hard_example_mining-router": "confidence", "hard_example_mining-policy": "mask",
           "hard_example_mining-threshold": "0.5", "CPP": 0.913, "CPP_lo": 0.913, "CPP_hi": 0.913, "CPP_n": 1,
           "SELS": 0.0, "SELS_lo": 0.0, "SELS_hi": 0.0, "time": "2026-12-06 00:00:00"}
    with open(ws / "rank" / "all_rank.csv", "w", newline="") as f:  # as Ianvs writes it: an index column first
        w = csv.DictWriter(f, fieldnames=["", *row])
        w.writeheader()
        w.writerow({"": 0, **row})
    manifest = {"hyperparameters": {k: v for k, v in row.items() if k.startswith("hard_example_mining-")},
                "records": "k.jsonl"}
    (ws / "case" / "records" / "k.json").write_text(json.dumps(manifest))
    recs = [{"doc_id": f"d{i}", "route": "edge" if i else "cloud_sanitized", "egress": None if i else "x",
             "timings_s": {}} for i in range(16)]
    (ws / "case" / "records" / "k.jsonl").write_text("\n".join(json.dumps(r) for r in recs))
    cell = formatted(table(ws))["CPP"].iloc[0]
    assert cell == "0.913 (n=1)"  # one document: its n shown, no zero-width interval
