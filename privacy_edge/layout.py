"""Where the example's files are: the paths of its YAML files follow the layout of Ianvs examples, so
that ``ianvs -f examples/TAB/privacy_edge/benchmarkingjob.yaml`` runs from an Ianvs checkout's root.

Ianvs reads every path of a job relative to the folder it runs in. The job, algorithm and testenv
YAML files therefore name their files as ``./examples/TAB/privacy_edge/...``: from an Ianvs root
where this folder sits at ``examples/TAB/privacy_edge``. ``make run`` gives this repository such a
root (``.cache/ianvs-root``, links to the folder's parts). The library reads a path of that form also
from the example folder itself (``resolve``): ``check`` and the metrics settings work from both.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path("examples/TAB/privacy_edge")


def resolve(path: str | Path, root: str | Path = ".") -> Path:
    """``path`` relative to the Ianvs root ``root``; where that does not exist, a path into the
    example folder is read from ``root`` as the folder itself (``check`` run from the folder)."""
    p = Path(path)
    found = Path(root) / p
    if p.is_absolute() or found.exists():
        return found
    parts = p.parts[1:] if p.parts[:1] == (".",) else p.parts
    if parts[: len(EXAMPLE.parts)] == EXAMPLE.parts:
        return Path(root).joinpath(*parts[len(EXAMPLE.parts):])
    return found
