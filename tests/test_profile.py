"""The job's stage profile: own times that add up to the wall time, counted once where threads overlap."""

from __future__ import annotations

import json

from privacy_edge import profile


def e(stage, start, end, parent=None):
    return {"stage": stage, "parent": parent, "start": start, "end": end, "pid": 1}


def test_a_nested_stage_is_taken_out_of_its_parent_and_the_rest_is_what_no_stage_covers():
    entries = [e("metrics", 0, 10), e("metrics: attacker", 2, 6, "metrics"), e("metrics", 20, 25),
               e("edge answers", 30, 40)]
    times = {t.stage: t.seconds for t in profile.summary(entries, wall_s=50)}
    assert times == {"metrics": 11, "metrics: attacker": 4, "edge answers": 10, "Ianvs and the rest": 25}
    assert sum(times.values()) == 50


def test_overlapping_stages_of_two_threads_count_once():
    entries = [e("cloud requests", 0, 10), e("cloud requests", 5, 12)]
    (t,) = profile.summary(entries)
    assert (t.seconds, t.calls) == (12, 2)
    times = {x.stage: x.seconds for x in profile.summary(entries, wall_s=20)}
    assert times["Ianvs and the rest"] == 8


def test_the_job_adds_the_stages_outside_ianvs(tmp_path, monkeypatch):
    path = tmp_path / "profile.jsonl"
    monkeypatch.setenv(profile.ENV, str(path))
    with profile.stage("data preparation"):
        pass
    with profile.stage("edge answers"):
        with profile.stage("inner"):
            pass
    entries = profile.read(path)
    assert [x["stage"] for x in entries] == ["data preparation", "inner", "edge answers"]
    assert entries[1]["parent"] == "edge answers" and entries[2]["parent"] is None
    fake = [e("data preparation", 0, 3), e("edge answers", 10, 14), e("report and plots", 100, 102)]
    times, total = profile.job(fake, ianvs_s=60)
    assert total == 65 and {t.stage: t.seconds for t in times}["Ianvs and the rest"] == 56
    rows = profile.table(times, total)
    assert rows[2].startswith("| Ianvs and the rest | 56.0 | 86% |")


def test_nothing_is_written_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(profile.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with profile.stage("x"):
        pass
    assert not list(tmp_path.iterdir())
    assert json.dumps(profile.summary([])) == "[]"
