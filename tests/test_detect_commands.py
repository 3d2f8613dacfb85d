"""The detect and score commands end to end on an invented TAB-layout fixture, and their error messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from detect_support import INVENTED, ROOT

from privacy_edge.cli import main
from privacy_edge.data.tab import load_tab
from privacy_edge.metrics.detection import coverage, is_covered


@pytest.fixture(scope="module")
def masks_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("detect") / "masks.json"
    assert main(["detect", str(INVENTED), "--out", str(out)]) == 0
    return out


def test_detect_writes_spans_per_document(masks_path):
    masks = json.loads(masks_path.read_text())
    docs = load_tab(INVENTED)
    assert set(masks) == {d.doc_id for d in docs}
    for doc in docs:
        rows = masks[doc.doc_id]
        assert all(isinstance(r, list) and len(r) == 3 and 0 <= r[0] < r[1] <= len(doc.text) for r in rows)
        covered = coverage(len(doc.text), [{"start": r[0], "end": r[1]} for r in rows])
        direct = [m for m in doc.mentions if m.identifier_type == "DIRECT"]
        assert direct and all(is_covered(doc.text, m, covered) for m in direct)


def test_detect_types(masks_path):
    masks = json.loads(masks_path.read_text())
    doc = next(d for d in load_tab(INVENTED) if d.doc_id == "inv-002")
    types = {doc.text[s:e]: t for s, e, t in masks["inv-002"]}
    assert types["ilse.marrow@example.org"] == "EMAIL"
    assert types["+44 20 7946 0958"] == "PHONE"
    assert types["67890/09"] == "CODE"


def test_score_prints_all_figures_and_misses_by_type(masks_path, capsys, tmp_path):
    scores_json = tmp_path / "scores.json"
    assert main(["score", str(masks_path), str(INVENTED), "--json", str(scores_json)]) == 0
    out = capsys.readouterr().out
    for label in ("mention recall (PDR)", "ER_di", "ER_qi", "token recall", "token precision", "missed mentions by type"):
        assert label in out
    scores = json.loads(scores_json.read_text())
    assert scores["er_di"] == 1.0 and scores["pdr"] >= 0.9
    assert f"{scores['pdr']:.4f}" in out
    assert set(scores["missed_by_type"]) == {m.entity_type for d in load_tab(INVENTED) for m in d.mentions if m.to_mask}


def test_score_of_empty_masks_is_zero(tmp_path, capsys):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({d.doc_id: [] for d in load_tab(INVENTED)}))
    assert main(["score", str(empty), str(INVENTED), "--json", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text())["pdr"] == 0.0


def _write(tmp_path, masks_path, change):
    masks = json.loads(masks_path.read_text())
    change(masks)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(masks))
    return path


@pytest.mark.parametrize("change,message", [
    (lambda m: m.update({"no-such-doc": []}), "not in the input"),
    (lambda m: m.pop("inv-001"), "no spans for 1 input document"),
    (lambda m: m["inv-002"].append([10, 10_000, "PERSON"]), "outside its text"),
    (lambda m: m["inv-002"].append(["a", 3, "PERSON"]), "must be integers"),
    (lambda m: m["inv-002"].append([5, 2, "PERSON"]), "invalid offsets"),
])
def test_score_errors_name_the_file_and_document(tmp_path, masks_path, capsys, change, message):
    bad = _write(tmp_path, masks_path, change)
    assert main(["score", str(bad), str(INVENTED)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(bad) in err


def test_score_malformed_json(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["score", str(bad), str(INVENTED)]) == 2
    assert "malformed JSON" in capsys.readouterr().err


def test_detect_config_error_before_any_model(tmp_path, capsys):
    cfg = tmp_path / "d.yaml"
    cfg.write_text("recognizers: [email]\nbogus: 1\n")
    assert main(["detect", str(INVENTED), "--out", str(tmp_path / "m.json"), "--config", str(cfg)]) == 2
    assert "bogus: unknown key" in capsys.readouterr().err


def test_detect_duplicate_document_across_inputs(tmp_path, capsys):
    assert main(["detect", str(INVENTED), str(INVENTED), "--out", str(tmp_path / "m.json")]) == 2
    assert "inv-001" in capsys.readouterr().err


def test_cli_module_entry_point(tmp_path):
    out = tmp_path / "m.json"
    run = subprocess.run([sys.executable, "-m", "privacy_edge", "detect", str(INVENTED), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout and "detect" in run.stderr  # summary on stdout, progress bar on stderr
    scored = subprocess.run([sys.executable, "-m", "privacy_edge", "score", str(out), str(INVENTED)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert scored.returncode == 0 and "ER_qi" in scored.stdout
