"""What Sedna's inference-then-mining does with the three steps, one sample at a time: edge, router,
cloud when the router asks. Shared by the concurrency tests and bench/bench_cloud_concurrency.py."""

from __future__ import annotations


def sedna_sequence(pipe, samples) -> list[dict]:
    """The records of ``samples`` run through ``pipe`` as Sedna calls it, in input order."""
    records = []
    for s in samples:
        trace = pipe.edge_step(s)
        if pipe.route(trace):
            pipe.cloud_step(trace)
        records.append(trace.to_record())
    return records
