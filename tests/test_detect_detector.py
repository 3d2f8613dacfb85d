"""The Detector end to end with the real spaCy model: stages, public institutions, batching, config errors."""

from __future__ import annotations

import pytest
from detect_support import detector

from privacy_edge.config import ConfigError
from privacy_edge.detect.config import load_detector_config
from privacy_edge.detect import ner
from privacy_edge.detect.detector import Detector

TEXT = (
    "The case originated in an application (no. 36110/97) against the Republic of Freedonia lodged with the "
    "Court by a Freedonian national, Mr Tomas Vrel (\u201cthe applicant\u201d), on 3 April 1997. The Government "
    "were represented by their Agent. On 9 September 1998 the Northbridge District Court sentenced Mr Vrel; "
    "the Supreme Court upheld it. Tomas Vrel was then aged 41."
)


@pytest.fixture(scope="module")
def detection():
    return detector().detect(TEXT)


def test_detects_the_identifying_spans(detection):
    found = {s.text: s.entity_type for s in detection.spans}
    assert found["36110/97"] == "CODE"
    assert found["Mr Tomas Vrel"] == "PERSON"
    assert found["3 April 1997"] == "DATETIME"
    assert "Northbridge District Court" in found
    assert "aged 41" in found


def test_public_institutions_stay_unmasked(detection):
    texts = {s.text for s in detection.spans}
    assert not {"Court", "the Court", "Government", "Supreme Court", "Republic of Freedonia", "Agent"} & texts


def test_spans_are_disjoint_sorted_and_scored(detection):
    spans = detection.spans
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(0 < s.score <= 1 and s.source and s.text == TEXT[s.start : s.end] for s in spans)


def test_contact_details_written_to_slip_past_a_parser_leave_nothing_after_masking():
    """Judged by the independent oracle: no written form of any of the values survives the mask."""
    from conftest import sanitizers
    from leak_oracle import survivors

    values = ["ivan.petrov", "ivan", "petrov", "example", "020-7946-0958", "555.123.4567", "4111 1111 1111 1111",
              "3782 822463 10005", "192.168.10.23"]
    text = ("Write to ivan.petrov [at] example [dot] com or ivan dot petrov at example dot com, "
            "or ivan.petrov\uff20example.com. Call 020-7946-0958 or 555.123.4567. His card 4111 1111 1111 1111 "
            "and her card 3782 822463 10005 were used from 192.168.10.23.")
    spans = detector().detect(text).spans
    out = sanitizers()["mask"].sanitize(text, list(spans))
    assert survivors(out.text, values) == [], out.text


def test_propagation_finds_a_repeated_name_the_ner_misses():
    text = "The application was lodged by Mr Ufuk Yaran. On 3 May 2001 Ufuk Yaran, Selin Akar and Ozan Polat left."
    off = Detector(load_detector_config(None, {"propagation": {"enabled": False}})).detect(text)
    on = detector().detect(text)
    assert "Ufuk Yaran" not in [s.text for s in off.spans]  # the NER alone misses the untitled repetition
    assert [(s.text, s.source) for s in on.spans if s.text == "Ufuk Yaran"] == [("Ufuk Yaran", "propagate")]


def test_detection_api(detection):
    assert detection.private and detection.level in ("low", "medium", "high")
    assert detection.values()[0] == max(detection.values(), key=len)
    assert {"start", "end", "type", "score", "source"} <= set(detection.to_dicts()[0])


def test_nothing_private_gives_level_none():
    d = detector().detect("The Court held that there had been no violation of the Convention.")
    assert not d.private and d.level == "none" and d.score == 0.0


def test_detect_many_runs_spacy_once_per_text_in_batches(monkeypatch):
    real = ner.load_spacy()
    calls = {"pipe": 0, "texts": 0, "call": 0}

    class Counting:
        def pipe(self, texts, batch_size):
            calls["pipe"] += 1
            for t in texts:
                calls["texts"] += 1
                yield real(t)

        def __call__(self, text):
            calls["call"] += 1
            return real(text)

    monkeypatch.setattr(ner, "load_spacy", lambda model=None: Counting())
    det = Detector(load_detector_config())
    texts = [TEXT, "Mrs Ilse Marrow lives in Westmark.", TEXT]
    many = det.detect_many(texts)
    assert calls == {"pipe": 1, "texts": 3, "call": 0}
    assert [d.spans for d in many] == [detector().detect(t).spans for t in texts]


def test_ner_pipeline_keeps_only_what_ner_uses():
    assert ner.load_spacy().pipe_names == ["ner"]


def test_unknown_config_key_is_an_error_naming_it(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("recognizers: [email]\nrulez: []\n")
    with pytest.raises(ConfigError, match="rulez: unknown key"):
        load_detector_config(path)


def test_bad_ignore_pattern_is_an_error():
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        load_detector_config(None, {"ignore_patterns": ["(unclosed"]})


def test_unknown_rule_name_suggests_the_close_one():
    with pytest.raises(KeyError, match="Did you mean 'titled_person'"):
        Detector(load_detector_config(None, {"rules": ["titled_persons"]}))


def test_rules_off_find_less():
    bare = Detector(load_detector_config(None, {"rules": [], "recognizers": [], "propagation": {"enabled": False}}))
    assert len(bare.detect(TEXT).spans) < len(detector().detect(TEXT).spans)
