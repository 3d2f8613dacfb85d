"""A Q8_0 copy of a GGUF, written once per machine, for the embedded llama.cpp server (opt-in:
``embedded_weights: Q8_0``).

Why: the llama.cpp CPU build on PyPI (xllamacpp, AVX2) reads prompts of SmolLM2's shipped Q4_1 weights
at about 310 tokens/s on two cores, and of the same weights in Q8_0 at about 480 (its fast matrix
kernels cover Q8_0, not Q4_1), and prompts are most of what the embedded cloud, the attacker and the
reference compute. The cost: the copy's answers are right less often (docs/performance.md, "The
embedded server's weights"), so the default stays Q4_1. Q8_0 of the de-quantized Q4_1 weights is
within half a step of 1/127 of each 32-weight block's largest weight; 1-D tensors stay as shipped.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

# The weight types this copy writes, by name, and the GGUF file-type code of each.
FILE_TYPES = {"Q8_0": 7}
WRITER_VERSION = 1  # in the copy's name: a change to how copies are written makes new ones


def requantized_path(src: str | Path, kind: str = "Q8_0", cache_dir: str | Path | None = None) -> Path:
    """``src`` re-quantized to ``kind`` under ``cache_dir`` (default ~/.cache/privacy_edge), written on
    first use (atomically: a killed run leaves no half file) and named by the source's hash and this
    writer's version, so a changed source or writer gets a new copy."""
    src = Path(src)
    if kind not in FILE_TYPES:
        raise ValueError(f"cannot re-quantize to {kind!r}; known: {', '.join(FILE_TYPES)}")
    stat = src.stat()
    folder = Path(cache_dir or os.environ.get("PRIVACY_EDGE_CACHE") or Path.home() / ".cache" / "privacy_edge")
    target = folder / f"{src.stem}.{kind}-v{WRITER_VERSION}-{_digest(str(src), stat.st_size, stat.st_mtime_ns)}.gguf"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(fd)
    try:
        write_requantized(src, Path(tmp), kind)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@functools.lru_cache(maxsize=8)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    """The file's SHA-256 (its head), read once per process for each size and time of change: every
    CloudModel of a grid asks for the copy."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()[:16]


def write_requantized(src: Path, dst: Path, kind: str) -> None:
    """Every metadata field of ``src`` as it is; each 2-D weight de-quantized and quantized to ``kind``."""
    import gguf

    qtype = getattr(gguf.GGMLQuantizationType, kind)
    reader = gguf.GGUFReader(str(src))
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(str(dst), arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name in ("general.architecture", "general.file_type", "general.alignment"):
            continue  # written by the writer itself, or below
        kind_of_value = field.types[0]
        if kind_of_value == gguf.GGUFValueType.ARRAY:
            writer.add_key_value(name, field.contents(), kind_of_value, sub_type=field.types[-1])
        else:
            writer.add_key_value(name, field.contents(), kind_of_value)
    writer.add_file_type(FILE_TYPES[kind])
    if "general.alignment" in reader.fields:  # the writer pads tensors to it
        writer.add_custom_alignment(int(reader.fields["general.alignment"].contents()))
    for tensor in reader.tensors:
        if tensor.tensor_type == qtype:
            writer.add_tensor(tensor.name, np.asarray(tensor.data), raw_shape=tensor.data.shape, raw_dtype=qtype)
            continue
        if len(tensor.shape) < 2 or tensor.tensor_type == gguf.GGMLQuantizationType.F32:
            writer.add_tensor(tensor.name, np.asarray(tensor.data))  # as shipped (norms, biases)
            continue
        weights = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        q = gguf.quants.quantize(weights, qtype)
        writer.add_tensor(tensor.name, q, raw_shape=q.shape, raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
