"""The TAB loader: the official layout unchanged, and one clear error per kind of bad input."""

import json

import pytest

from privacy_edge.data.tab import TabFormatError, load_tab


def test_official_document_loads_with_every_mention(official_doc):
    docs = load_tab(official_doc)
    assert [d.doc_id for d in docs] == ["001-61807"]
    doc = docs[0]
    raw = json.loads(official_doc.read_text())[0]
    assert len(doc.mentions) == len(raw["annotations"]["annotator1"]["entity_mentions"])
    assert doc.applicant == "Galip Yalman" and doc.countries == ("TUR",) and doc.year == 2004
    assert doc.articles == ("6", "41")
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.span_text
    assert any(m.identifier_type == "DIRECT" and m.entity_type == "CODE" for m in doc.mentions)


def test_invented_fixture_pools_annotations_and_keeps_null_meta(invented_tab):
    docs = load_tab(invented_tab)
    assert [d.doc_id for d in docs] == ["900-00001", "900-00002", "900-00003"]
    assert docs[1].year is None and docs[1].articles is None  # null meta is unknown, not an error
    assert docs[1].countries == ("SWE",)
    assert {m.identifier_type for m in docs[0].masked_mentions()} == {"DIRECT", "QUASI"}
    assert all(not m.to_mask for m in docs[0].mentions if m.entity_type == "LOC" and "Republic" in m.span_text)


def _write(tmp_path, payload) -> str:
    p = tmp_path / "bad.json"
    p.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return str(p)


def _doc(**over):
    doc = {"doc_id": "d1", "text": "Mr Smith lives in Paris.", "annotations": {"a1": {"entity_mentions": [
        {"entity_type": "PERSON", "start_offset": 3, "end_offset": 8, "span_text": "Smith",
         "identifier_type": "DIRECT", "entity_id": "e1"}]}}}
    doc.update(over)
    return doc


@pytest.mark.parametrize(
    "payload, doc, field, words",
    [
        ("[{", None, None, "malformed JSON"),
        ({"not": "a list"}, None, None, "expected a JSON list"),
        ([_doc(text="")], "d1", "text", "empty text"),
        ([{k: v for k, v in _doc().items() if k != "text"}], "d1", "text", "missing"),
        ([_doc(doc_id=None)], "#0", "doc_id", "expected"),
        ([_doc(annotations={"a1": {"entity_mentions": [{"entity_type": "PERSON", "start_offset": 3, "end_offset": 99,
                                                         "span_text": "x", "identifier_type": "DIRECT"}]}})],
         "d1", "annotations.a1.entity_mentions[0].start_offset", "outside the text"),
        ([_doc(annotations={"a1": {"entity_mentions": [{"entity_type": "PERSON", "start_offset": 3, "end_offset": 8,
                                                         "span_text": "Jones", "identifier_type": "DIRECT"}]}})],
         "d1", "annotations.a1.entity_mentions[0].span_text", "does not match"),
        ([_doc(annotations={"a1": {"entity_mentions": [{"entity_type": "PERSON", "start_offset": 3, "end_offset": 8,
                                                         "span_text": "Smith", "identifier_type": "SECRET"}]}})],
         "d1", "annotations.a1.entity_mentions[0].identifier_type", "is not one of"),
        ([_doc(), _doc()], "d1", "doc_id", "duplicate"),
        ([_doc(meta={"year": "soon"})], "d1", "meta.year", "not a year"),
    ],
)
def test_bad_input_names_file_document_and_field(tmp_path, payload, doc, field, words):
    path = _write(tmp_path, payload)
    with pytest.raises(TabFormatError) as err:
        load_tab(path)
    assert err.value.file == path
    assert err.value.doc == doc
    assert err.value.field == field
    assert words in str(err.value)
    assert path in str(err.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TabFormatError, match="file not found"):
        load_tab(tmp_path / "nope.json")


def test_huge_text_is_rejected_before_any_model(tmp_path):
    path = _write(tmp_path, [_doc(text="x" * 2_000_001, annotations={})])
    with pytest.raises(TabFormatError, match="more than"):
        load_tab(path)
