"""The detector on the one official TAB test document beside this checkout (skipped where it is absent)."""

from __future__ import annotations

import pytest
from detect_support import OFFICIAL_DOC, detector

from privacy_edge.data.tab import load_tab
from privacy_edge.metrics.detection import score_documents


@pytest.fixture(scope="module")
def doc_and_detection():
    if not OFFICIAL_DOC.exists():
        pytest.skip(f"{OFFICIAL_DOC} not present (the official TAB document lives beside the checkout)")
    (doc,) = load_tab(OFFICIAL_DOC)
    return doc, detector().detect(doc.text)


def test_every_direct_identifier_and_most_mentions_covered(doc_and_detection):
    doc, detection = doc_and_detection
    scores = score_documents([(doc.text, doc.mentions, detection.spans)])
    assert scores.er_di == 1.0
    assert scores.pdr >= 0.9 and scores.er_qi >= 0.9
    assert scores.token_recall >= 0.9 and scores.token_precision >= 0.6


def test_the_official_document_is_highly_sensitive(doc_and_detection):
    _, detection = doc_and_detection
    assert detection.private and detection.level == "high"
