"""The prepare step: question = what the system sees, answer = the gold; texts cut at paragraphs."""

import json

from privacy_edge.data.prepare import cut_text, prepare
from privacy_edge.data.tasks import articles_from_text, get_task


def test_cut_text_stops_at_a_paragraph_boundary():
    text = "First paragraph here.\n\nSecond paragraph is longer than the first.\n\nThird."
    cut = cut_text(text, 50)
    assert cut == "First paragraph here."
    assert cut_text(text, 0) == text and cut_text(text, 10_000) == text


def test_prepare_writes_questions_without_gold_and_clips_mentions(tmp_path, invented_tab):
    out = tmp_path / "d.jsonl"
    path, n = prepare([str(invented_tab)], out, max_chars=300)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == 3 and len(rows) == 3
    q, a = rows[0]["question"], rows[0]["answer"]
    assert set(q) == {"doc_id", "text", "task", "question"}  # nothing of the gold reaches the system
    assert len(q["text"]) <= 300 and q["text"].endswith(".")
    assert all(m["end"] <= len(q["text"]) for m in a["mentions"])
    assert any(m["span_text"] == "Tomas Wexley" for m in a["mentions"])
    assert not any(m["span_text"] == "Lindgrad Regional Court" for m in a["mentions"])  # beyond the cut
    assert a["task"] == {"name": "respondent_state", "reference": ["RUR"]}
    assert a["applicant"] == "Tomas Wexley"


def test_prepare_respects_max_docs(tmp_path, invented_tab):
    _, n = prepare([str(invented_tab)], tmp_path / "d.jsonl", max_docs=2)
    assert n == 2


def test_respondent_state_scoring_accepts_names_and_adjectives():
    task = get_task("respondent_state")
    assert task.score("It was lodged against the Republic of Turkey.", ["TUR"]) == 1.0
    assert task.score("The Turkish Government", ["TUR"]) == 1.0
    assert task.score("Against Sweden.", ["TUR"]) == 0.0
    assert task.score("", ["TUR"]) == 0.0


def test_articles_rule_keeps_convention_rights_and_protocols_only():
    text = ("He relied on Articles 6 § 1 and 13 of the Convention and on Article 1 of Protocol No. 1. "
            "The application was lodged under Article 34 of the Convention.")
    assert articles_from_text(text) == ["6", "13", "P1-1"]
    task = get_task("articles")
    assert task.score("Article 6 and Article 13", ["6", "13"]) == 1.0
    assert 0 < task.score("Article 6", ["6", "13"]) < 1


def test_prepare_writes_the_linking_background_whole_texts_of_every_case_read(tmp_path, invented_tab):
    from privacy_edge.cli import main

    docs = {d["doc_id"]: d["text"] for d in json.loads(invented_tab.read_text())}
    out = tmp_path / "data/tab/test_data.jsonl"
    assert main(["prepare", str(invented_tab), "--out", str(out), "--max-docs", "1", "--max-chars", "100"]) == 0
    background = json.loads((tmp_path / "data/tab/background.json").read_text())
    assert background == docs  # every case of the file, its whole text: neither --max-docs nor --max-chars cut it
    assert len(out.read_text().splitlines()) == 1
    other = tmp_path / "elsewhere/bg.json"
    prepare([str(invented_tab)], tmp_path / "d.jsonl", background=other)
    assert json.loads(other.read_text()) == docs and not (tmp_path / "background.json").exists()
