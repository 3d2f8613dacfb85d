"""The egress guard: nothing the detector found in a sample may leave the edge in that sample's payload.

The cloud client calls ``check`` on the text it is about to send (and again on the exact request
body, in the HTTP layer). Matching is word-bounded, case-insensitive and Unicode-normalized, the
same matching the sanitizers use to cover every occurrence of a detected value.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import unicodedata
from collections import Counter
from typing import Iterable, Iterator

from .sanitize.base import normalize, occurrence_pattern, protected_values
from .spans import Span


class EgressRefused(RuntimeError):
    """A payload still holds detected values; it was not sent. The message never quotes the values."""

    def __init__(self, leaked: list[Span] | list[str], types: Iterable[str] = ()):
        self.count = len(leaked)
        self.types = sorted(set(types))
        kinds = f" ({', '.join(self.types)})" if self.types else ""
        super().__init__(f"egress refused: {self.count} detected value(s){kinds} would have left the edge; nothing was sent")


def leaked_values(text: str, values: Iterable[str]) -> list[str]:
    """Detected values that occur in ``text`` (normalized forms, each once)."""
    values = [unicodedata.normalize("NFKC", v) for v in values]
    rx = occurrence_pattern(values)
    if rx is None:
        return []
    wanted = {normalize(v) for v in values}
    found = {normalize(m.group(0)) for m in rx.finditer(unicodedata.normalize("NFKC", text))}
    return sorted(found & wanted)


_forbidden: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar("forbidden", default=())


@contextlib.contextmanager
def forbid(spans: Iterable[Span], public_text: str = "") -> Iterator[None]:
    """Within the block, any request body carrying one of these spans' values is refused.

    ``public_text`` is what the system itself sends with every sample (system prompt, question):
    a detected value that also occurs there ("State" in "Against which State...") is no leak.
    """
    protected = protected_values("", [s for s in spans if s.text])  # values and their aliases (a surname)
    public = set(leaked_values(public_text, [v for v, *_ in protected.values()])) if public_text else set()
    token = _forbidden.set(tuple((v, t) for key, (v, t, _) in protected.items() if key not in public))
    try:
        yield
    finally:
        _forbidden.reset(token)


def check(text: str, forbidden: Iterable[tuple[str, str]] | None = None) -> None:
    """Raise EgressRefused when ``text`` carries a forbidden value (default: the current block's)."""
    pairs = list(_forbidden.get() if forbidden is None else forbidden)
    if not pairs:
        return
    leaked = leaked_values(text, [v for v, _ in pairs])
    if leaked:
        types = Counter(t for v, t in pairs if normalize(v) in set(leaked))
        raise EgressRefused(leaked, types)


def check_request_body(body: bytes) -> None:
    """Check the exact bytes of a JSON request: every string it carries, decoded as the server will."""
    if not _forbidden.get() or not body:
        return
    try:
        payload = json.loads(body)
    except ValueError:
        check(body.decode("utf-8", "replace"))
        return
    check("\n".join(_strings(payload)))


def _strings(obj) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)
