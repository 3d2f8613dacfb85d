"""Ianvs dataset processor: the JSONL questions as samples, and the whole set made known to the run.

Knowing the set lets the edge model answer in batches and the cloud requests go out together.
Bad samples fail here, with the document and field named, before any model runs.
"""

import sys
from pathlib import Path

import numpy as np
from sedna.common.class_factory import ClassFactory, ClassType

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the privacy_edge package beside this folder; an installed one wins
from privacy_edge import session
from privacy_edge.record import Sample


@ClassFactory.register(ClassType.GENERAL, alias="ECHRDataProcessor")
class ECHRDataProcessor:
    def __init__(self, **kwargs):
        if kwargs:
            raise ValueError(f"ECHRDataProcessor takes no hyperparameters, got {sorted(kwargs)}")

    def __call__(self, dataset):
        samples = [Sample.from_question(x, where=f"inference dataset, sample #{i}") for i, x in enumerate(dataset.x)]
        session.join("dataset", samples)
        x = np.empty(len(samples), dtype=object)
        x[:] = samples
        dataset.x = x
        return dataset
