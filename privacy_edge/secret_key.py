"""The workspace secret: the key of the pseudonyms and of the DP noise.

Both are keyed, so that one workspace is reproducible (the same payload on every rerun keeps the
answer cache warm) while nobody else can replay them: with a public key, anyone with the code can
try candidate values until a surrogate or a noisy text matches. The secret is drawn with
``secrets`` on first use and kept beside the answer cache (``<cache_dir>/secret.key``, mode 0600),
or taken from the environment variable ``PRIVACY_EDGE_SECRET``. It is never logged nor recorded;
each use gets its own subkey (``subkey``), so no output is keyed by the secret itself.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from .settings import ConfigError

ENV_VAR = "PRIVACY_EDGE_SECRET"
FILE_NAME = "secret.key"
MIN_CHARS = 32  # a generated secret is 64 hex digits (256 bits)


def workspace_secret(cache_dir: str | Path | None) -> bytes:
    """The secret from ``PRIVACY_EDGE_SECRET``, else ``<cache_dir>/secret.key`` (created on first use)."""
    value = os.environ.get(ENV_VAR)
    if value is not None:
        return _checked(value, f"environment variable {ENV_VAR}")
    if not cache_dir:
        raise ConfigError(f"no workspace secret: set cache_dir (the secret is kept in "
                          f"<cache_dir>/{FILE_NAME}) or the environment variable {ENV_VAR}")
    path = Path(cache_dir) / FILE_NAME
    if not path.exists():
        _create(path)
    return _checked(path.read_text(encoding="utf-8"), str(path))


def subkey(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose ("pseudonymize", "dp"), so that no two uses share a key."""
    return hmac.new(secret, f"privacy-edge subkey\x1f{purpose}".encode(), hashlib.sha256).digest()


def _checked(value: str, where: str) -> bytes:
    value = value.strip()
    if len(value) < MIN_CHARS:
        raise ConfigError(f"{where}: the workspace secret is too short ({len(value)} characters, at least "
                          f"{MIN_CHARS}); generate one with: "
                          "python -c 'import secrets; print(secrets.token_hex(32))'")
    return value.encode("utf-8")


def _create(path: Path) -> None:
    """Write a fresh secret atomically: the file appears whole, mode 0600, and the first writer wins."""
    import secrets
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_hex(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails if another process got there first: then its secret is the one
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
