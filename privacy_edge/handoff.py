"""One sample's trace as Sedna carries it from the edge estimator to the router and on: the hand-off
both the Ianvs modules (session.py) and the KubeEdge edge worker give Sedna."""

from __future__ import annotations

from .record import Trace
from .routing import EDGE


class EdgeHandoff:
    """One sample's trace as Sedna carries it from the edge module to the router and into ``y_pred``.

    Sedna deep-copies the edge result before the router sees it: a copy would separate the router's
    decision from the trace the cloud step and the record read, so a deep copy returns the object
    itself. Ianvs counts a sample as answered at the edge when the edge result is truthy, so it is
    truthy only when the edge answer is final.
    """

    __slots__ = ("trace",)

    def __init__(self, trace: Trace):
        self.trace = trace

    def __deepcopy__(self, memo) -> "EdgeHandoff":
        return self

    def __bool__(self) -> bool:
        return self.trace.route == EDGE

    def record(self) -> dict:
        return self.trace.to_record()

    def __repr__(self) -> str:
        return f"EdgeHandoff({self.trace.doc_id}, route={self.trace.route})"
