"""No shipped weight, threshold or lexicon was fitted on a document of TAB's test split.

The token tagger's weights file carries the provenance of the whole fit (``python -m privacy_edge fit``):
the train document ids, their hash, the commit and command, the CV-chosen thresholds and the
sensitivity levels; the public-bodies lexicon names the same hash in its header, and the detector
YAML holds the same levels. Each check here fails when a file was fitted elsewhere or edited by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from privacy_edge.detect.config import load_detector_config
from privacy_edge.data.splits import ids_digest, official_test_ids
from privacy_edge.detect.learned import DEFAULT_MODEL, TokenTagger
from privacy_edge.detect.lexicon import LEXICON_DIR

SHARED = Path(__file__).resolve().parents[2] / "shared" / "tab"


@pytest.fixture(scope="module")
def provenance() -> dict:
    return TokenTagger.load(DEFAULT_MODEL).provenance


def test_the_shipped_tagger_was_fitted_on_train_documents_only(provenance):
    assert provenance["split"] == "train"
    ids = provenance["doc_ids"]
    assert len(ids) == provenance["documents"] >= 50
    assert not set(ids) & official_test_ids(), "the shipped tagger was fitted on test-split documents"
    assert ids_digest(ids) == provenance["doc_ids_sha256"]
    assert provenance["command"] and provenance["commit"]


def test_the_shipped_thresholds_are_the_ones_chosen_by_cv_within_train(provenance):
    tagger = TokenTagger.load(DEFAULT_MODEL)
    cv = provenance["cv"]
    assert (tagger.drop_below, tagger.add_above) == (cv["drop_below"], cv["add_above"])
    learned = load_detector_config().learned
    assert learned.drop_below is None and learned.add_above is None, "thresholds overridden in detector.yaml"


def test_the_lexicon_and_the_levels_come_from_the_same_fit(provenance):
    header = (LEXICON_DIR / "public_bodies.txt").read_text(encoding="utf-8").split("\n", 4)[3]
    assert re.search(rf"train split, {provenance['documents']} documents \(ids sha256 {provenance['doc_ids_sha256']}\)",
                     header), header
    levels = load_detector_config().sensitivity
    assert (levels.medium, levels.high) == (provenance["sensitivity"]["medium"], provenance["sensitivity"]["high"])


def test_the_committed_test_ids_are_the_test_split():
    assert len(official_test_ids()) == 127  # echr_test.json
    for name in ("tab_test.json", "echr_test.json"):
        if (SHARED / name).exists():
            from privacy_edge.data.tab import load_tab

            assert {d.doc_id for d in load_tab(SHARED / name)} <= official_test_ids()
    if (SHARED / "tab_train.json").exists():
        from privacy_edge.data.tab import load_tab

        assert not {d.doc_id for d in load_tab(SHARED / "tab_train.json")} & official_test_ids()
