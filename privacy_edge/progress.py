"""Progress bars for the long whole-set steps (edge answers, cloud requests, model-backed metrics).

They write to stderr, like Ianvs's own bar. On a terminal a bar takes the next free line below
Ianvs's and disappears when done (``leave=False``), so Ianvs's bar stays the one that remains. In a
log (``make run > log``, CI) a bar is not disabled: it writes its state at most every 10 s and keeps
its final line ("edge: answers 98/98 [01:40, 1.02doc/s]"), which is what a log reader wants to know
about a step that can take minutes. A bar over fewer than two items is not shown (the per-sample path
would print one per sample). ``TQDM_DISABLE=1`` switches them all off.
"""

from __future__ import annotations

import sys
from typing import Iterable


def bar(iterable: Iterable | None = None, *, total: int | None = None, desc: str, unit: str = "doc"):
    from tqdm import tqdm

    if total is None and iterable is not None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    tty = sys.stderr.isatty()
    options: dict = {} if tty else {"position": 0}  # no cursor movement escapes in a log file
    if total is not None and total < 2:
        options["disable"] = True  # otherwise left unset, so that TQDM_DISABLE applies
    return tqdm(iterable, total=total, desc=desc, unit=unit, file=sys.stderr, leave=not tty,
                mininterval=0.2 if tty else 10.0, dynamic_ncols=True, **options)
