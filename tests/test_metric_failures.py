"""A scorer failure is never a success: a failed attacker or reference answer leaves its sample unscored
(NaN), the ``_n`` metrics say how many were scored, failures are asked again later, and a missing
background file is an error. The failing models are real HTTP servers on 127.0.0.1."""

import json
import logging
import math
import uuid

import pytest
from loopback import LoopbackServer

from privacy_edge.llm.base import build_messages, payload_text
from privacy_edge.metrics import METRICS, load_all
from privacy_edge.metrics.attacks import llm_attack
from privacy_edge.metrics.settings import Endpoint, MetricSettings

load_all()
Q = "Against which State was this application lodged?"
BASE, KEY = "PE_TEST_SCORER_BASE", "PE_TEST_SCORER_KEY"


def metric(name, records, gold, settings):
    return METRICS.get(name)(records, gold, settings)


def settings_for(tmp_path, **values) -> MetricSettings:
    """A fresh model name per test, so no answer of another test is reused; no retries, short timeouts."""
    endpoint = Endpoint(model=f"loopback-{uuid.uuid4().hex[:8]}", api_base_env=BASE, api_key_env=KEY,
                        max_retries=0, timeout_s=5)
    return MetricSettings(**{"attacker": endpoint, "reference": endpoint, "background": None,
                             "cache_dir": str(tmp_path / "cache"), **values})


def rec(doc_id, text=None, answer=None):
    return {"doc_id": doc_id, "egress": payload_text(build_messages(Q, text)) if text else None, "answer": answer}


def gold(doc_id, applicant, countries=("NOR",)):
    return {"doc_id": doc_id, "applicant": applicant, "mentions": [],
            "task": {"name": "respondent_state", "reference": list(countries)},
            "reference_input": {"question": Q, "text": f"Case {doc_id}: {applicant} complained against Norway."}}


# Five samples sent text the attacker names the applicant from, one stayed at the edge (resists), one
# has no applicant to name. The attacker answers the first 3 requests, then its connections die.
FIRST = ["Tomas", "Anna", "Erik", "Lena", "Olaf"]
RECORDS = [rec(f"d{i}", f"[PERSON_1] ({name}'s case) complained about detention.")
           for i, name in enumerate(FIRST)]
RECORDS += [rec("edge"), rec("anon", "Someone complained.")]
GOLD = [gold(f"d{i}", f"{name} Wexley") for i, name in enumerate(FIRST)] + [gold("edge", "Ida Wexley"),
                                                                           gold("anon", None)]


def test_attacker_killed_mid_metric_scores_only_the_answered_samples_and_a_rerun_retries_the_rest(
        tmp_path, monkeypatch, caplog):
    settings = settings_for(tmp_path)
    monkeypatch.setenv(KEY, "k")
    k = 3
    with LoopbackServer([("ok", "Tomas Wexley")] * k + [("reset",)]) as server:
        monkeypatch.setenv(BASE, server.base_url)
        with caplog.at_level(logging.WARNING):
            asr = metric("ASR-LLM", RECORDS, GOLD, settings)
        assert len(server.answered) == k and len(server.requests) == 5
        outcomes = llm_attack(RECORDS, GOLD, settings, fresh=False)
        assert outcomes[:3] == [True, True, True] and all(math.isnan(o) for o in outcomes[3:5])
        assert outcomes[5:] == [False, None]
        # 3 named + 1 resisted over 4 scored; a failure counted as a failed attack would give 3/6
        assert asr == pytest.approx(3 / 4)
        assert metric("ASR-LLM_n", RECORDS, GOLD, settings) == 4
        assert len(server.requests) == 5  # the count did not ask the attacker again
        failures = [r.getMessage() for r in caplog.records if "requests failed" in r.getMessage()]
        assert failures and "2 of 5 requests failed" in failures[0]
        assert not any("Wexley" in m or "detention" in m for m in failures)  # no text in the log
        # IAR needs the attacker calibrated on the raw texts: with the attacker down, it is uncalibrated,
        # so IAR is NaN and counts no attack (never resistance for free)
        assert math.isnan(metric("IAR", RECORDS, GOLD, settings))
        assert metric("IAR_attacks", RECORDS, GOLD, settings) == 0
        port = server.port

    with LoopbackServer([("ok", "Tomas Wexley")], port=port) as server:  # the attacker is back
        assert metric("ASR-LLM", RECORDS, GOLD, settings) == pytest.approx(5 / 6)
        assert len(server.requests) == 2  # only the failed samples were asked again
        assert metric("ASR-LLM_n", RECORDS, GOLD, settings) == 6
        assert len(server.requests) == 2
        # on the raw texts it names every applicant: calibrated, so IAR = 1 - ASR-LLM (linking off)
        assert metric("ASR-LLM_raw", RECORDS, GOLD, settings) == 1.0
        assert metric("IAR", RECORDS, GOLD, settings) == pytest.approx(1 / 6)
        assert metric("IAR_attacks", RECORDS, GOLD, settings) == 1


def test_attacker_down_from_the_start_gives_nan_not_full_resistance(tmp_path, monkeypatch):
    settings = settings_for(tmp_path)
    monkeypatch.setenv(KEY, "k")
    sent = [r for r in RECORDS if r["egress"]][:5]
    with LoopbackServer([("reset",)]) as server:
        monkeypatch.setenv(BASE, server.base_url)
        assert math.isnan(metric("ASR-LLM", sent, GOLD[:5], settings))
        assert metric("ASR-LLM_n", sent, GOLD[:5], settings) == 0
        assert math.isnan(metric("IAR", sent, GOLD[:5], settings))  # the old code said 1.0 here


def test_reference_model_failing_leaves_apr_paired_not_raised(tmp_path, monkeypatch):
    settings = settings_for(tmp_path)
    monkeypatch.setenv(KEY, "k")
    g = [gold(f"r{i}", f"Per{i} Holm") for i in range(4)]
    right = [{"doc_id": x["doc_id"], "egress": None, "answer": "Norway"} for x in g]
    with LoopbackServer([("ok", "Norway"), ("ok", "Sweden")] + [("reset",)]) as server:
        monkeypatch.setenv(BASE, server.base_url)
        # reference: r0 right, r1 wrong, r2 and r3 failed. Paired over r0, r1: final 2/2, reference 1/2.
        # Counting failed references as wrong answers would give 4/4 / (1/4) = 4.
        assert metric("APR", right, g, settings) == pytest.approx(2.0)
        assert metric("APR_n", right, g, settings) == 2
        assert metric("Accuracy", right, g, settings) == 1.0  # over every sample, no model involved
        # a missing final answer is the system's failure: it still scores 0
        one_missing = [{**right[0], "answer": None}, *right[1:]]
        assert metric("APR", one_missing, g, settings) == pytest.approx(1.0)
        assert len(server.requests) == 6  # the second APR asked again for the 2 failed references only
        port = server.port
    with LoopbackServer([("ok", "Norway")], port=port) as server:
        assert metric("APR", right, g, settings) == pytest.approx(4 / 3)
        assert metric("APR_n", right, g, settings) == 4 and len(server.requests) == 2


def _background(tmp_path, cases: dict) -> str:
    path = tmp_path / f"background-{len(list(tmp_path.glob('background-*')))}.json"
    path.write_text(json.dumps(cases))
    return str(path)


def test_iar_nan_rules_and_linking_switched_off(tmp_path, monkeypatch):
    monkeypatch.delenv("TAB_BACKGROUND", raising=False)
    records = [rec("d0"), rec("d1")]  # nothing left the edge: the LLM attack needs no model
    g = GOLD[:2]
    off = settings_for(tmp_path)
    assert metric("ASR-LLM", records, g, off) == 0.0 and metric("ASR-Link_n", records, g, off) == 0
    assert math.isnan(metric("ASR-Link", records, g, off))
    # the attacker (the embedded model: no endpoint set) names the applicants of the raw texts, so it
    # is calibrated and IAR counts it: nothing left the edge, full resistance
    assert metric("ASR-LLM_raw", records, g, off) == 1.0
    assert metric("IAR", records, g, off) == 1.0 and metric("IAR_attacks", records, g, off) == 1
    knows = settings_for(tmp_path, background=_background(tmp_path, {"d0": "Case d0: Tomas Wexley complained against "
                                                                     "Norway.", "zz": "Cheese."}))
    assert metric("ASR-Link_n", records, g, knows) == 1
    assert metric("ASR-Link_raw", records, g, knows) == 1.0  # the raw text links: a calibrated attack
    assert metric("IAR", records, g, knows) == 1.0 and metric("IAR_attacks", records, g, knows) == 3
    unknown = settings_for(tmp_path, background=_background(tmp_path, {"zz": "Unrelated.", "zy": "Cheese."}))
    assert math.isnan(metric("ASR-Link", records, g, unknown)) and math.isnan(metric("ASR-Link_raw", records, g, unknown))
    assert metric("IAR_attacks", records, g, unknown) == 1  # linking scored nothing: not calibrated, left out


def test_missing_background_file_at_metric_time_is_an_error_not_nan(tmp_path, monkeypatch):
    monkeypatch.delenv("TAB_BACKGROUND", raising=False)
    settings = settings_for(tmp_path, background=str(tmp_path / "gone.json"))
    for name in ("ASR-Link", "IAR"):
        with pytest.raises(FileNotFoundError, match=r"gone\.json.*`background`"):
            metric(name, [rec("d0")], GOLD[:1], settings)
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"bad\.json.*unreadable"):
        metric("ASR-Link", [rec("d0")], GOLD[:1], settings_for(tmp_path, background=str(tmp_path / "bad.json")))


def _workspace(tmp_path, row: dict, records: list[dict]):
    import csv

    ws = tmp_path / "ws"
    (ws / "rank").mkdir(parents=True)
    (ws / "case/records").mkdir(parents=True)
    hps = {"hard_example_mining-router": "cloud_only"}
    full = {"rank": 1, "algorithm": "baselines", **row, **hps, "time": "2025-01-01 00:00:00"}
    with open(ws / "rank/all_rank.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["", *full])
        w.writeheader()
        w.writerow({"": 0, **full})
    (ws / "case/records/r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (ws / "case/records/r.json").write_text(json.dumps({"hyperparameters": hps, "records": "r.jsonl"}))
    return ws


def test_report_flags_metrics_scored_on_fewer_samples_and_iar_without_linking(tmp_path, capsys):
    from privacy_edge.cli import main
    from privacy_edge.report import table

    records = [{"doc_id": f"d{i}", "route": "cloud_raw", "egress": "x" if i < 3 else None, "error": None,
                "timings_s": {}} for i in range(4)]
    row = {"IAR": 0.25, "ASR-LLM": 0.75, "ASR-Link": "", "CPP": 0.8, "APR": 1.0,
           "ASR-LLM_n": 3, "ASR-Link_n": 0, "CPP_n": 3, "APR_n": 4}
    ws = _workspace(tmp_path, row, records)
    assert table(ws)["flags"].tolist() == ["linking off: IAR = 1 - ASR-LLM; ASR-LLM on 3/4 samples"]
    assert main(["report", str(ws), "--no-plots"]) == 0
    assert "flag: cloud_only: linking off: IAR = 1 - ASR-LLM; ASR-LLM on 3/4 samples" in capsys.readouterr().out
    complete = _workspace(tmp_path / "2", {**row, "ASR-Link": 0.5, "IAR": 0.375, "ASR-LLM_n": 4, "ASR-Link_n": 4},
                          records)
    assert table(complete)["flags"].tolist() == [""]
