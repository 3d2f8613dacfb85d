"""Routers: one decision per sample, from what the edge knows (was anything private found, how sure
is the edge model of its answer). The threshold is an argument, never router state (RouteLLM).

Routes: ``edge`` (the edge answer is final, nothing leaves), ``cloud_raw`` (the text goes to the
cloud as is), ``cloud_sanitized`` (only the sanitized text goes to the cloud).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .registry import Registry
from .settings import NoSettings, Strict

EDGE, CLOUD_RAW, CLOUD_SANITIZED = "edge", "cloud_raw", "cloud_sanitized"


@dataclass(frozen=True)
class EdgeView:
    private: bool
    level: str
    confidence: float | None  # None when the edge model did not answer


class Router:
    """Decides a sample's route from what the edge knows. A component: it declares its ``name`` and its
    ``Settings`` (set by OracleRouter hyperparameters ``<name>.<key>``, validated at load); the
    threshold is an argument of ``decide``, never a setting. Registered in ``ROUTERS`` (or by an entry
    point ``privacy_edge.routers``)."""

    name: ClassVar[str] = ""
    Settings: ClassVar[type[Strict]] = NoSettings

    def __init__(self, settings: Strict | None = None):
        self.settings = settings if settings is not None else self.Settings()

    def needs_edge_answer(self, private: bool) -> bool:
        """Whether the edge model must answer before the decision (it is skipped otherwise)."""
        raise NotImplementedError

    def decide(self, view: EdgeView, threshold: float) -> str:
        raise NotImplementedError


ROUTERS: Registry[type[Router]] = Registry("router", entry_points="privacy_edge.routers", base=Router,
                                         required=("needs_edge_answer", "decide"))
# Old names still accepted, with a deprecation message: "oracle" was this benchmark's name for the
# confidence router, but in Ianvs and RouteLLM an oracle router reads the gold answers.
RENAMED = {"oracle": "confidence"}
_WARNED: set[str] = set()


def router_name(name: str) -> str:
    """``name`` as registered: a deprecated name is mapped to its new one (with a deprecation warning,
    once per process), an unknown one raises, naming the known ones."""
    if name in RENAMED:
        if name not in _WARNED:
            import warnings

            _WARNED.add(name)
            warnings.warn(f"router {name!r} is deprecated: it is called {RENAMED[name]!r} now",
                          DeprecationWarning, stacklevel=2)
        name = RENAMED[name]
    ROUTERS.get(name)
    return name


@ROUTERS.register("confidence")
class ConfidenceRouter(Router):
    """The workflow under test: no private info -> cloud as is; else the edge answers first and keeps
    its answer when its confidence reaches the threshold; otherwise sanitize and ask the cloud."""

    name = "confidence"

    def needs_edge_answer(self, private: bool) -> bool:
        return private

    def decide(self, view: EdgeView, threshold: float) -> str:
        if not view.private:
            return CLOUD_RAW
        if view.confidence is not None and view.confidence >= threshold:
            return EDGE
        return CLOUD_SANITIZED


@ROUTERS.register("edge_only")
class EdgeOnlyRouter(Router):
    """Baseline: everything stays at the edge (no egress, the edge model's quality)."""

    name = "edge_only"

    def needs_edge_answer(self, private: bool) -> bool:
        return True

    def decide(self, view: EdgeView, threshold: float) -> str:
        return EDGE


@ROUTERS.register("cloud_only")
class CloudOnlyRouter(Router):
    """Baseline without protection: every raw text goes to the cloud (the no-privacy reference)."""

    name = "cloud_only"

    def needs_edge_answer(self, private: bool) -> bool:
        return False

    def decide(self, view: EdgeView, threshold: float) -> str:
        return CLOUD_RAW


@ROUTERS.register("cloud_sanitized")
class CloudSanitizedRouter(Router):
    """Baseline: always ask the cloud, sanitizing whatever holds private information."""

    name = "cloud_sanitized"

    def needs_edge_answer(self, private: bool) -> bool:
        return False

    def decide(self, view: EdgeView, threshold: float) -> str:
        return CLOUD_SANITIZED if view.private else CLOUD_RAW
