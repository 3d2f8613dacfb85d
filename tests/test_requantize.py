"""The embedded server's Q8_0 weights: a faithful copy of the shipped Q4_1 GGUF, written once.

The checks read both files with the gguf library's own reader and de-quantizer (not with the code under
test) and bound each weight's change by what Q8_0 can represent: half a step of 1/127 of its block's
largest weight.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

gguf = pytest.importorskip("gguf")

from privacy_edge.llm.huggingface import embedded_gguf  # noqa: E402
from privacy_edge.llm.requantize import requantized_path  # noqa: E402


@pytest.fixture(scope="module")
def q8(tmp_path_factory):
    return requantized_path(embedded_gguf(), "Q8_0", tmp_path_factory.mktemp("q8"))


def test_every_weight_within_half_a_q8_step_of_the_shipped_one(q8):
    shipped, copy = gguf.GGUFReader(str(embedded_gguf())), gguf.GGUFReader(str(q8))
    by_name = {t.name: t for t in copy.tensors}
    assert sorted(by_name) == sorted(t.name for t in shipped.tensors)
    requantized = 0
    for t in shipped.tensors:
        c = by_name[t.name]
        before = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        after = gguf.quants.dequantize(c.data, c.tensor_type).astype(np.float32)
        assert after.shape == before.shape, t.name
        if len(t.shape) < 2 or t.tensor_type == gguf.GGMLQuantizationType.F32:
            assert c.tensor_type == t.tensor_type and np.array_equal(after, before), t.name
            continue
        assert c.tensor_type == gguf.GGMLQuantizationType.Q8_0, t.name
        blocks = before.reshape(-1, 32)
        # half a step, plus the step stored in fp16 (relative error 2^-11, times up to 127 steps)
        step = np.abs(blocks).max(axis=1, keepdims=True) / 127
        bound = step * (0.5 + 127 * 2.0**-11) + 1e-7
        assert np.all(np.abs(after.reshape(-1, 32) - blocks) <= bound), t.name
        requantized += 1
    assert requantized >= 200  # the model's weight matrices, not just a few


def test_metadata_and_tokenizer_are_kept(q8):
    shipped, copy = gguf.GGUFReader(str(embedded_gguf())), gguf.GGUFReader(str(q8))
    for name, field in shipped.fields.items():
        if name.startswith("GGUF.") or name == "general.file_type":
            continue
        assert name in copy.fields, name
        assert copy.fields[name].contents() == field.contents(), name
    assert copy.fields["general.file_type"].contents() == 7  # LLAMA_FTYPE_MOSTLY_Q8_0


def test_written_once_and_renamed_when_the_source_changes(q8, tmp_path):
    written = q8.stat().st_mtime_ns, q8.stat().st_ino
    again = requantized_path(embedded_gguf(), "Q8_0", q8.parent)
    assert again == q8 and len(list(q8.parent.glob("*.gguf"))) == 1
    assert (again.stat().st_mtime_ns, again.stat().st_ino) == written  # not written a second time
    assert not list(q8.parent.glob("*.part"))  # no half-written file left behind
    # A different source (one more byte) gets its own copy, never the old one.
    other = tmp_path / embedded_gguf().name
    shutil.copyfile(embedded_gguf(), other)
    with other.open("ab") as f:
        f.write(b"\0" * 32)
    assert requantized_path(other, "Q8_0", q8.parent) != q8


def test_unknown_weights_are_refused():
    from pydantic import ValidationError

    from privacy_edge.llm.endpoint import EndpointSettings

    with pytest.raises(ValueError, match="Q5_K"):
        requantized_path(embedded_gguf(), "Q5_K")
    with pytest.raises(ValidationError, match="embedded_weights"):
        EndpointSettings(embedded_weights="Q5_K")


def test_the_weights_are_part_of_the_answer_cache_identity(q8, monkeypatch):
    from privacy_edge.llm.cloud import CloudModel

    monkeypatch.delenv("CLOUD_API_BASE", raising=False)
    monkeypatch.setenv("PRIVACY_EDGE_CACHE", str(q8.parent))
    q8_id = CloudModel(embedded_weights="Q8_0").identity
    shipped_id = CloudModel().identity
    assert q8_id["weights"] == "Q8_0" and "weights" not in shipped_id  # the default keeps its cached answers
    assert {k: v for k, v in q8_id.items() if k != "weights"} == shipped_id
    assert CloudModel(embedded_weights="Q4_1").server.gguf == embedded_gguf()
    assert CloudModel(embedded_weights="Q8_0").server.gguf == q8


def test_the_copy_answers_through_llama_cpp(q8):
    import httpx

    from privacy_edge.llm.llama_server import LlamaServer

    with LlamaServer(q8, n_ctx=2048, n_parallel=1) as server:
        r = httpx.post(server.base_url + "/chat/completions", timeout=60, json={
            "model": server.alias, "max_tokens": 16, "temperature": 0,
            "messages": [{"role": "user", "content": "What is the capital of France? One word."}]})
    assert r.status_code == 200
    assert "paris" in r.json()["choices"][0]["message"]["content"].lower()
