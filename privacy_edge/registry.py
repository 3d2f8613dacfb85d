"""A small name -> object registry per kind (recognizers, sanitizers, routers, LLM backends, metrics).

Duplicate names raise; unknown names raise with the known ones listed. Entries may be lazy
``"module:attr"`` strings so that naming a heavy backend does not import it. A registry with an
entry-point group also holds what other installed packages declare there (``[project.entry-points.
"privacy_edge.sanitizers"] my_method = "my_package.module:MyMethod"``): a researcher's method is
added by installing its package, without editing this one (docs/extending.md).
"""

from __future__ import annotations

import difflib
import importlib
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, entry_points: str | None = None, base: type | None = None,
                 required: tuple[str, ...] = ()):
        """``entry_points``: the group of installed packages' entries; ``base``: the class every entry
        must derive from, and ``required`` the methods of it each must define (checked when an entry is
        registered or resolved, so a half-made component fails when it is named, not per sample)."""
        self.kind = kind
        self.group = entry_points
        self.base = base
        self.required = required
        self._entries: dict[str, Any] = {}
        self._plugins_read = entry_points is None

    def register(self, name: str, target: Any = None) -> Callable:
        """Register ``target`` under ``name``; used bare it is a decorator."""

        def add(obj):
            current = self._entries.get(name)
            if current is not None and not (isinstance(current, str) and current == _path_of(obj)):
                raise ValueError(f"{self.kind} {name!r} is already registered")
            self._check(name, obj)
            self._entries[name] = obj  # a plug-in module that registers itself replaces its own lazy entry
            return obj

        return add(target) if target is not None else add

    def _read_plugins(self) -> None:
        if self._plugins_read:
            return
        self._plugins_read = True
        from importlib.metadata import entry_points

        for ep in entry_points(group=self.group):
            current = self._entries.get(ep.name)
            if current is not None and _path_of(current) == ep.value:  # its module was imported already
                continue
            if current is not None:
                raise ValueError(f"{self.kind} {ep.name!r} is already registered: the entry point {ep.value!r} "
                                 f"of group {self.group!r} cannot replace it (rename it)")
            self._entries[ep.name] = ep.value

    def get(self, name: str) -> T:
        self._read_plugins()
        if name not in self._entries:
            close = difflib.get_close_matches(name, self._entries, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"unknown {self.kind} {name!r}; known: {', '.join(sorted(self._entries))}.{hint}")
        entry = self._entries[name]
        if isinstance(entry, str):
            module, _, attr = entry.partition(":")
            try:
                obj = importlib.import_module(module)
                for part in attr.split(".") if attr else ():
                    obj = getattr(obj, part)
            except (ImportError, AttributeError) as err:
                raise RuntimeError(f"{self.kind} {name!r}: {entry!r} cannot be loaded ({type(err).__name__}: {err})") from None
            self._check(name, obj)
            entry = self._entries[name] = obj
        return entry

    def _check(self, name: str, obj: Any) -> None:
        if self.base is None:
            return
        if not (isinstance(obj, type) and issubclass(obj, self.base)):
            raise RuntimeError(f"{self.kind} {name!r}: {_path_of(obj)} is not a {self.base.__name__}")
        missing = [m for m in self.required if getattr(obj, m, None) is getattr(self.base, m, None)]
        if missing:
            raise RuntimeError(f"{self.kind} {name!r}: {_path_of(obj)} does not define {', '.join(missing)}")

    def names(self) -> list[str]:
        self._read_plugins()
        return sorted(self._entries)

    def __contains__(self, name: str) -> bool:
        self._read_plugins()
        return name in self._entries


def _path_of(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '')}:{getattr(obj, '__qualname__', '')}"
