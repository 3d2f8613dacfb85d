"""Which protection method a sample gets: by its sensitivity level, or one fixed method for all."""

from __future__ import annotations

from .config import MINIMIZE, PolicyConfig


ADAPTIVE = "adaptive"


def policy_name(name: str) -> str:
    """``adaptive`` or a registered sanitizer's name; an unknown one raises, naming the known ones."""
    from .config import method_name

    return name if name == ADAPTIVE else method_name(name)


class Policy:
    def __init__(self, config: PolicyConfig | None = None):
        self.config = config or PolicyConfig()

    @property
    def name(self) -> str:
        return self.config.fixed or ADAPTIVE

    @property
    def minimizes(self) -> bool:
        """Whether some sample may be minimized before its method (a ``minimize+METHOD`` choice)."""
        methods = [self.config.fixed] if self.config.fixed else list(self.config.by_level.values())
        return any(m.startswith(MINIMIZE) for m in methods)

    def method_for(self, level: str) -> str:
        if self.config.fixed:
            return self.config.fixed
        if level not in self.config.by_level:
            raise ValueError(f"no protection method for sensitivity level {level!r}")
        return self.config.by_level[level]

    @classmethod
    def from_name(cls, name: str, by_level: dict | None = None) -> "Policy":
        """``adaptive`` (by level) or a method name (fixed): the form the algorithm YAML uses."""
        from .config import PolicyConfig, build

        data = {"by_level": by_level} if by_level else {}
        if policy_name(name) != ADAPTIVE:
            data["fixed"] = name
        return cls(build(PolicyConfig, data, f"policy {name!r}"))
