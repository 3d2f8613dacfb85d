"""The embedded cloud: llama.cpp's OpenAI-compatible server (PyPI ``xllamacpp``, prebuilt, no compiler)
serving a GGUF on 127.0.0.1 inside this process, started on demand and stopped at cleanup.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

MODEL_ALIAS = "smollm2-135m-instruct"


class LlamaServer:
    """One llama.cpp server; ``base_url`` is its OpenAI endpoint (``http://127.0.0.1:PORT/v1``)."""

    def __init__(self, gguf: str | Path, n_ctx: int = 16384, n_parallel: int = 2, threads: int | None = None,
                 alias: str = MODEL_ALIAS):
        self.gguf, self.n_ctx, self.n_parallel, self.alias = Path(gguf), n_ctx, n_parallel, alias
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

    def restart(self) -> "LlamaServer":
        self.stop()
        return self.start()

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
