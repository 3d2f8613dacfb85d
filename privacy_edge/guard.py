"""The egress guard: nothing the detector found in a sample may leave the edge in that sample's payload.

The cloud client calls ``check`` on the text it is about to send (and again on the exact request
body, in the HTTP layer). Matching is ``privacy_edge.matching``, the one the sanitizers use to cover
every occurrence of a detected value. Only the fixed prompt template is exempt.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import matching
from .detect.view import reader
from .protected import protected_values
from .spans import Span


class EgressRefused(RuntimeError):
    """A payload still holds detected values; it was not sent. The message never quotes the values."""

    def __init__(self, leaked: list[Span] | list[str], types: Iterable[str] = ()):
        self.count = len(leaked)
        self.types = sorted(set(types))
        kinds = f" ({', '.join(self.types)})" if self.types else ""
        super().__init__(f"egress refused: {self.count} detected value(s){kinds} would have left the edge; nothing was sent")


def leaked_values(text: str, values: Iterable[str]) -> list[str]:
    """Detected values that occur in ``text`` (their ``matching.key``s, each once)."""
    return sorted({o.key for o in matching.occurrences(text, values)})


@dataclass(frozen=True)
class Forbidden:
    """What the current block refuses: detected values with their types, and the public text the
    system itself sends with every sample (the fixed prompt template), which alone is exempt."""

    values: tuple[tuple[str, str], ...] = ()
    public: tuple[str, ...] = ()


_forbidden: contextvars.ContextVar[Forbidden] = contextvars.ContextVar("forbidden", default=Forbidden())
# Seconds the checks of the current block took (the HTTP layer's too): privacy work, not cloud time.
_seconds: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("guard_seconds", default=None)


def seconds() -> float:
    """Seconds spent checking payloads in the current ``forbid`` block so far."""
    spent = _seconds.get()
    return spent[0] if spent else 0.0


def _timed(fn):
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = _seconds.get()
            if spent is not None:
                spent[0] += time.perf_counter() - started

    run.__name__, run.__doc__ = fn.__name__, fn.__doc__
    return run


def as_shown(text: str, spans: Iterable[Span]) -> list[Span]:
    """The spans detected in ``text``, each also with its value as a screen or a reader shows it
    where that differs: a name stored backwards under a right-to-left override ("vorteP navI"), run
    together ("IvanPetrov") or in markup ("Iv&#97;n") is forbidden as "Ivan Petrov" too, and so is
    its surname (``forbid`` sees values, not the text around them)."""
    spans = list(spans)
    read = reader(text)
    if read is None:
        return spans
    shown = [s.with_(text=read(s.start, s.end)) for s in spans]
    return spans + [s for s, orig in zip(shown, spans) if s.text.strip() and s.text != (orig.text or text[orig.start : orig.end])]


@contextlib.contextmanager
def forbid(spans: Iterable[Span], public: Iterable[str] = ()) -> Iterator[None]:
    """Within the block, any request body carrying one of these spans' values is refused.

    ``public`` are the exact pieces of the fixed prompt template ("Against which State was the
    application lodged?" for a task's own question). They are cut out of a payload before it is
    checked, and nothing else is exempt: a value that also occurs in the template is still refused
    anywhere else in the payload.
    """
    protected = protected_values("", [s for s in spans if s.text])  # values and their aliases (a surname)
    pieces = tuple(sorted({p for p in public if p}, key=len, reverse=True))
    token = _forbidden.set(Forbidden(tuple((v, t) for v, t, _ in protected.values()), pieces))
    clock = _seconds.set([0.0])
    try:
        yield
    finally:
        _forbidden.reset(token)
        _seconds.reset(clock)


@_timed
def check(text: str, forbidden: Forbidden | None = None) -> None:
    """Raise EgressRefused when ``text`` carries a forbidden value (default: the current block's)."""
    rules = _forbidden.get() if forbidden is None else forbidden
    if not rules.values:
        return
    for piece in rules.public:
        text = text.replace(piece, "\n")
    leaked = set(leaked_values(text, [v for v, _ in rules.values]))
    if leaked:
        types = Counter(t for v, t in rules.values if matching.key(v) in leaked)
        raise EgressRefused(sorted(leaked), types)


@_timed
def check_request_body(body: bytes) -> None:
    """Check the exact bytes of a JSON request: every string it carries, decoded as the server will."""
    if not _forbidden.get().values or not body:
        return
    try:
        payload = json.loads(body)
    except ValueError:
        check(body.decode("utf-8", "replace"))
        return
    check("\n".join(_strings(payload.get("messages", payload) if isinstance(payload, dict) else payload)))


def _strings(obj) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)
