"""The report's intervals, the attackers' calibration and the plots, on a hand-built workspace shaped like
the default job's (4 policies x 2 thresholds under the oracle router, and the three baselines)."""

import csv
import json

import pytest

from privacy_edge.report import (calibration, fmt, formatted, frontier_groups, leakage_by_type, markdown,
                                 read_gold, runs, table, write_plots)

# (router, policy, threshold): SELS, IAR, ASR-LLM, ASR-Link, APR
CASES = {
    ("edge_only", "mask", "0.6"): (0.0, 1.0, 0.0, 0.0, 1.0),
    ("oracle", "adaptive", "0.5"): (0.003, 0.969, 0.0, 0.062, 1.077),
    ("oracle", "pseudonymize", "0.5"): (0.003, 0.969, 0.0, 0.062, 1.077),
    ("oracle", "mask", "0.5"): (0.003, 0.969, 0.0, 0.062, 1.077),
    ("oracle", "dp", "0.5"): (0.003, 0.969, 0.0, 0.062, 1.077),
    ("oracle", "dp", "0.7"): (0.025, 0.906, 0.0, 0.188, 1.077),
    ("oracle", "adaptive", "0.7"): (0.028, 0.906, 0.0, 0.188, 1.0),
    ("oracle", "pseudonymize", "0.7"): (0.028, 0.875, 0.0, 0.25, 1.0),
    ("oracle", "mask", "0.7"): (0.028, 0.906, 0.0, 0.188, 1.0),
    ("cloud_sanitized", "mask", "0.6"): (0.037, 0.844, 0.0, 0.312, 0.462),
    ("cloud_only", "mask", "0.6"): (1.0, 0.375, 0.375, 0.875, 1.0),
}
GOLD = [{"doc_id": f"d{i}", "mentions": [
    {"start": 0, "end": 6, "span_text": f"Name{i}x", "entity_type": "PERSON", "identifier_type": "DIRECT"},
    {"start": 10, "end": 15, "span_text": "Lindgrad", "entity_type": "LOC", "identifier_type": "QUASI"},
    {"start": 20, "end": 30, "span_text": "12 May 2001", "entity_type": "DATETIME", "identifier_type": "QUASI"}]}
    for i in range(4)]


def _row(sels, iar, asr_llm, asr_link, apr):
    row = {"PDR": 0.93, "SELS": sels, "IAR": iar, "ASR-LLM": asr_llm, "ASR-Link": asr_link, "CPP": 0.8, "APR": apr,
           "Accuracy": 0.8, "LO": 0.03, "TI": 0.02, "Failed": 0.0,
           "ASR-LLM_n": 4, "ASR-Link_n": 4, "CPP_n": 4, "APR_n": 4}
    for m in ("PDR", "SELS", "IAR", "ASR-LLM", "ASR-Link", "CPP", "APR", "Accuracy", "Failed"):
        row[f"{m}_lo"], row[f"{m}_hi"] = max(0.0, row[m] - 0.05), row[m] + 0.04
    return row


def _records(router, threshold):
    out = []
    for i, g in enumerate(GOLD):
        raw = router == "cloud_only"
        sent = raw or router == "cloud_sanitized" or (router == "oracle" and float(threshold) > 0.6 and i < 2)
        egress = ("Name0x lives in Lindgrad since 12 May 2001" if raw or i == 0 else "[PERSON] in Lindgrad") \
            if sent else None
        route = "edge" if not sent else "cloud_raw" if raw else "cloud_sanitized"
        out.append({"doc_id": g["doc_id"], "route": route, "egress": egress, "error": None,
                    "timings_s": {"detect": 0.01, "sanitize": 0.01, "restore": 0.0, "edge": 0.1, "cloud": 0.2}})
    return out


def build_workspace(tmp_path, cases=CASES):
    ws = tmp_path / "ws"
    (ws / "rank").mkdir(parents=True)
    rows = []
    for k, ((router, policy, threshold), values) in enumerate(cases.items()):
        hps = {"hard_example_mining-router": router, "hard_example_mining-policy": policy,
               "hard_example_mining-threshold": threshold}
        rows.append({"rank": k + 1, "algorithm": "privacy-router" if router == "oracle" else "baselines",
                     **_row(*values), **hps, "time": "2025-01-01 00:00:00"})
        folder = ws / f"case{k}/records"
        folder.mkdir(parents=True)
        (folder / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in _records(router, threshold)))
        (folder / "r.json").write_text(json.dumps({"hyperparameters": hps, "records": "r.jsonl"}))
    with open(ws / "rank/all_rank.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["", *rows[0]])
        w.writeheader()
        for k, row in enumerate(rows):
            w.writerow({"": k, **row})
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps({"question": {"doc_id": g["doc_id"]}, "answer": g}) + "\n" for g in GOLD))
    return ws, data


def test_table_carries_the_intervals_and_the_report_shows_them(tmp_path, capsys):
    from privacy_edge.cli import main

    ws, _ = build_workspace(tmp_path)
    df = table(ws)
    assert {"SELS_lo", "SELS_hi", "APR_lo", "ASR-LLM_hi", "Failed_lo"} <= set(df.columns)
    raw = df[df["test case"] == "cloud_only"].iloc[0]
    assert raw["SELS_lo"] == pytest.approx(0.95) and raw["SELS_hi"] == pytest.approx(1.04)
    text = formatted(df)
    assert text.loc[df["test case"] == "cloud_only", "SELS"].iloc[0] == "1.000 [0.950, 1.040]"
    assert fmt(0.03, 0.01, 0.06, digits=2) == "0.03 [0.01, 0.06]" and fmt(float("nan")) == "–"
    assert "| cloud_only | 0.930 [0.880, 0.970] | 1.000 [0.950, 1.040] |" in markdown(df)
    assert main(["report", str(ws), "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "0.375 [0.325, 0.415]" in out  # ASR-LLM on raw text with its interval


def test_a_weak_attacker_is_flagged_and_a_strong_one_is_not(tmp_path, capsys):
    from privacy_edge.cli import main

    ws, _ = build_workspace(tmp_path)
    cal = calibration(runs(ws))
    assert cal["ASR-LLM"].weak and cal["ASR-LLM"].raw == pytest.approx(0.375)  # names 6 of 16: too weak
    assert cal["ASR-Link"].known and not cal["ASR-Link"].weak  # links 0.875 of raw texts
    flags = dict(zip(table(ws)["test case"], table(ws)["flags"]))
    assert "ASR-LLM attacker too weak (0.38 on raw text)" in flags["oracle mask t=0.7"]
    assert "ASR-Link" not in flags["oracle mask t=0.7"]
    assert "too weak" not in flags["cloud_only"]  # the calibration row itself
    assert main(["report", str(ws), "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "calibration: ASR-LLM: 0.375 [0.325, 0.415] on the raw texts; too weak" in out and "IAR leaves it out" in out
    assert "calibration: ASR-Link: 0.875 [0.825, 0.915] on the raw texts; strong enough" in out


def test_without_a_raw_text_row_the_attackers_are_uncalibrated(tmp_path):
    ws, _ = build_workspace(tmp_path, {k: v for k, v in CASES.items() if k[0] != "cloud_only"})
    cal = calibration(runs(ws))
    assert not cal["ASR-LLM"].known and not cal["ASR-LLM"].weak and "uncalibrated" in cal["ASR-LLM"].describe()


def test_frontier_groups_one_line_per_policy_ordered_by_threshold(tmp_path):
    ws, _ = build_workspace(tmp_path)
    policies, baselines = frontier_groups(runs(ws))
    assert sorted(policies) == ["adaptive", "dp", "mask", "pseudonymize"]
    assert [r.row["hard_example_mining-threshold"] for r in policies["dp"]] == ["0.5", "0.7"]
    assert sorted(r.label for r in baselines) == ["cloud_only", "cloud_sanitized", "edge_only"]


def test_leakage_by_entity_type_counts_gold_mentions_found_in_the_egress(tmp_path):
    ws, data = build_workspace(tmp_path)


    df = leakage_by_type(runs(ws), read_gold(data))
    assert df.loc["cloud_only", "PERSON"] == pytest.approx(0.25)  # only Name0x is in the raw egress
    assert df.loc["cloud_only", "LOC"] == 1.0 and df.loc["cloud_only", "DATETIME"] == 1.0
    assert df.loc["edge_only"].eq(0).all()
    assert df.loc["cloud_sanitized", "PERSON"] == 0.25 and df.loc["cloud_sanitized", "DATETIME"] == 0.25
    assert df.attrs["n"] == {"DATETIME": 4, "LOC": 4, "PERSON": 4}


def test_plots_are_written_with_the_leakage_by_entity_type(tmp_path):
    ws, data = build_workspace(tmp_path)
    paths = write_plots(ws, tmp_path / "plots", data)
    assert sorted(p.name for p in paths) == ["frontier.png", "latency.png", "leakage_by_type.png", "routes.png"]
    for png in paths:
        assert png.stat().st_size > 10_000, png
