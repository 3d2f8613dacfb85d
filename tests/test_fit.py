"""Fitting on the train split: the protocol (data/splits.py), the public-bodies lexicon and the
``fit`` command that writes every fitted file with its provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privacy_edge.data.splits import SplitError, check_fittable, folds, ids_digest, load_split, sources, official_test_ids
from privacy_edge.data.tab import Mention, TabDocument, load_tab
from privacy_edge.detect.public_bodies import fit_public_bodies

SHARED_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "tab" / "tab_train.json"


def doc(doc_id: str, orgs: list[tuple[str, str]], places: tuple[str, ...] = (), dataset_type="train") -> TabDocument:
    text, mentions = "", []
    for surface, itype in [*orgs, *((p, "QUASI") for p in places)]:
        start = len(text)
        text += surface + ". "
        etype = "ORG" if (surface, itype) in orgs else "LOC"
        mentions.append(Mention(start, start + len(surface), etype, itype, f"{doc_id}-{start}", surface, "a1"))
    return TabDocument(doc_id, text, tuple(mentions), dataset_type=dataset_type)


def test_a_test_split_document_is_never_fitted_on():
    some_test_id = sorted(official_test_ids())[0]
    with pytest.raises(SplitError, match=f"file.json: 1 document.*{some_test_id}.*train split only"):
        check_fittable([doc("train-1", []), doc(some_test_id, [])], "file.json")
    with pytest.raises(SplitError, match="labelled-test"):
        check_fittable([doc("labelled-test", [], dataset_type="test")])
    check_fittable([doc("train-1", []), doc("dev-1", [], dataset_type="dev")])


def test_folds_depend_on_the_ids_alone():
    ids = [f"001-{i}" for i in range(23)]
    split = folds(ids)
    assert sorted(d for f in split for d in f) == sorted(ids) and len(split) == 5
    assert max(map(len, split)) - min(map(len, split)) <= 1
    assert folds(list(reversed(ids))) == split
    assert ids_digest(ids) == ids_digest(reversed(ids)) != ids_digest(ids[1:])


def test_sources_come_from_the_arguments_then_the_split_variable(tmp_path, monkeypatch):
    train = tmp_path / "mine.json"
    train.write_text(json.dumps([{"doc_id": "t1", "text": "x", "annotations": {}}]))
    assert sources([str(train)], "train") == [train]
    monkeypatch.setenv("TAB_TRAIN", str(tmp_path))
    assert sources(None, "train") == [train]  # a folder without the official names: its first file
    (tmp_path / "echr_train.json").write_text(train.read_text())
    (tmp_path / "echr_dev.json").write_text(train.read_text())
    assert [p.name for p in sources(None, "train")] == ["echr_train.json", "echr_dev.json"]
    with pytest.raises(ValueError, match="'dev'"):
        sources(None, "dev")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"doc_id": sorted(official_test_ids())[3], "text": "x", "annotations": {}}]))
    with pytest.raises(SplitError):
        load_split([str(bad)], "train")


def test_public_bodies_are_generic_words_left_unmasked_in_several_documents():
    docs = [
        doc("d1", [("the Supreme Court", "NO_MASK"), ("the Ministry of Justice", "NO_MASK"),
                   ("the Dorvale Court", "QUASI"), ("Acme Holdings", "NO_MASK")], places=("Dorvale",)),
        doc("d2", [("the Supreme Court", "NO_MASK"), ("the Ministry of Justice", "NO_MASK"),
                   ("Dorvale Court", "NO_MASK"), ("the Regional Office", "QUASI")], places=("Dorvale",)),
        doc("d3", [("the Regional Office", "QUASI"), ("the Regional Court", "NO_MASK"),
                   ("the Regional Board", "NO_MASK")]),
        doc("d4", [("the Regional Office", "NO_MASK"), ("the Regional Board", "NO_MASK")]),
    ]
    words = fit_public_bodies(docs)
    assert {"Supreme", "Court", "Ministry", "Justice"} <= set(words)
    assert "Dorvale" not in words  # a place alone in the annotations: a name, never generic
    assert "Acme" not in words and "Holdings" not in words  # unmasked in one document only
    # "Office" is masked in 2 of its 3 all-generic mentions: pruned, and "Regional" keeps its majority
    assert "Office" not in words and "Regional" in words and "Board" in words


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_TRAIN.exists(), reason="needs ../shared/tab/tab_train.json")
def test_fit_writes_every_fitted_file_with_its_provenance(tmp_path):
    """The fit command on 12 train documents: lexicon, weights with CV thresholds, levels, provenance."""
    from privacy_edge.cli import main
    from privacy_edge.detect.config import load_detector_config
    from privacy_edge.detect.learned import TokenTagger

    raw = json.loads(SHARED_TRAIN.read_text(encoding="utf-8"))[:12]
    small = tmp_path / "train12.json"
    small.write_text(json.dumps(raw), encoding="utf-8")
    out = tmp_path / "fitted"
    assert main(["fit", str(small), "--out", str(out), "--folds", "3", "--command", "test"]) == 0
    tagger = TokenTagger.load(out / "token_tagger.npz")
    prov = tagger.provenance
    assert prov["doc_ids"] == sorted(d["doc_id"] for d in raw) and prov["command"] == "test"
    assert (tagger.drop_below, tagger.add_above) == (prov["cv"]["drop_below"], prov["cv"]["add_above"])
    assert prov["doc_ids_sha256"] in (out / "public_bodies.txt").read_text(encoding="utf-8")
    levels = load_detector_config(out / "detector.yaml").sensitivity
    assert (levels.medium, levels.high) == (prov["sensitivity"]["medium"], prov["sensitivity"]["high"])
    assert 0 < levels.medium <= levels.high <= 1

    test_doc = dict(raw[0], doc_id=sorted(official_test_ids())[0])
    leaky = tmp_path / "leaky.json"
    leaky.write_text(json.dumps([test_doc, *raw[1:]]), encoding="utf-8")
    assert main(["fit", str(leaky), "--out", str(tmp_path / "no")]) == 2
    assert not (tmp_path / "no").exists()
