"""The layers of docs/architecture.md, read from the code: every import of a package module (those
inside functions too) goes to the importer's own layer or a lower one, and no modules import each
other in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "privacy_edge"
LAYERS = {  # as in docs/architecture.md, "Layers": a folder ("name/") or a module ("name.py")
    0: ("detect/", "data/", "matching.py", "spans.py", "registry.py", "settings.py", "secret_key.py", "jsonl.py",
        "progress.py", "profile.py", "layout.py", "provenance.py", "__init__.py"),
    1: ("llm/", "guard.py", "protected.py"),
    2: ("sanitize/", "policy.py", "routing.py"),
    3: ("pipeline.py", "record.py"),
    4: ("config.py", "handoff.py"),
    5: ("assemble.py", "metrics/"),
    6: ("session.py", "kubeedge/", "jobcheck.py", "report.py", "report_html.py"),
    7: ("commands/", "cli.py", "__main__.py"),
}


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of a dotted module of the package (the package itself: its ``__init__.py``)."""
    rel = module.removeprefix(PKG).lstrip(".").replace(".", "/")
    top = rel.split("/")[0]
    names = {"__init__.py"} if not top else {f"{top}/"} if (ROOT / PKG / top).is_dir() else {f"{top}.py"}
    found = [n for n, entries in LAYERS.items() if names & set(entries)]
    assert found, f"{module} is in no layer of docs/architecture.md"
    return found[0]


def package_imports() -> dict[str, set[str]]:
    """{module: the package modules it imports}, relative imports resolved, submodules named by
    ``from package import submodule`` included."""
    modules = {module_of(p): p for p in (ROOT / PKG).rglob("*.py")}
    out: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == PKG}
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                if target.split(".")[0] != PKG:
                    continue
                found.add(target)
                found |= {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules}
        out[module] = {m for m in found if m in modules and m != module}
    return out


IMPORTS = package_imports()


def test_every_import_goes_to_the_same_or_a_lower_layer():
    upward = sorted(f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})"
                    for m, targets in IMPORTS.items() for t in targets if layer(t) > layer(m))
    assert upward == []


def test_no_modules_import_each_other_in_a_circle():
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for t in sorted(IMPORTS.get(m, ())):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(IMPORTS):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_the_check_itself_sees_an_upward_import_and_a_circle():
    assert layer("privacy_edge.sanitize.dp") == 2 and layer("privacy_edge.metrics") == 5
    assert layer("privacy_edge") == 0
    assert "privacy_edge.llm.embedder" in IMPORTS["privacy_edge.sanitize.minimize"]  # a function-level import
