"""Shared fixtures: real models, loaded once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED_TAB = ROOT.parent / "shared" / "tab"


_SESSION_CACHE: list[Path] = []


def session_cache_dir() -> Path:
    """A cache folder for this test session (removed at exit): its workspace secret keys the sanitizers."""
    if not _SESSION_CACHE:
        _SESSION_CACHE.append(Path(tempfile.mkdtemp(prefix="privacy-edge-cache-")))
        atexit.register(shutil.rmtree, _SESSION_CACHE[0], True)
    return _SESSION_CACHE[0]


def sanitizers(**settings) -> dict:
    """``assemble.sanitizers`` keyed by the session's workspace secret, as the edge module builds them."""
    from privacy_edge import assemble

    return assemble.sanitizers(settings, cache_dir=str(session_cache_dir()))


@pytest.fixture(scope="session")
def invented_tab() -> Path:
    return FIXTURES / "tab_invented.json"


@pytest.fixture(scope="session")
def official_doc() -> Path:
    path = SHARED_TAB / "echr_test_001-61807.json"
    if not path.exists():
        pytest.skip(f"{path} not present (the official TAB test document is only beside this checkout)")
    return path


@pytest.fixture(scope="session")
def detector():
    from privacy_edge import assemble

    return assemble.detector()


@pytest.fixture(scope="session")
def llama_server():
    from privacy_edge.llm.huggingface import embedded_gguf
    from privacy_edge.llm.llama_server import LlamaServer

    server = LlamaServer(embedded_gguf(), n_ctx=8192, n_parallel=1).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def edge_chat():
    from privacy_edge.llm.huggingface import EMBEDDED, HuggingFaceChat

    return HuggingFaceChat(EMBEDDED, max_new_tokens=12, batch_size=4)


def ianvs_executable() -> str | None:
    venv_bin = Path(os.sys.executable).parent / "ianvs"
    return str(venv_bin) if venv_bin.exists() else shutil.which("ianvs")
