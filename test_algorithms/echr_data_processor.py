"""Ianvs dataset processor: turns the JSONL questions into samples that know their inference set.

Knowing the whole set lets the edge model answer in batches on its first call (see EdgeModel).
Bad samples fail here, with the document and field named, before any model runs.
"""

import numpy as np
from sedna.common.class_factory import ClassFactory, ClassType

from privacy_edge.record import Sample


@ClassFactory.register(ClassType.GENERAL, alias="ECHRDataProcessor")
class ECHRDataProcessor:
    def __init__(self, **kwargs):
        if kwargs:
            raise ValueError(f"ECHRDataProcessor takes no hyperparameters, got {sorted(kwargs)}")

    def __call__(self, dataset):
        samples = [Sample.from_question(x, where=f"inference dataset, sample #{i}") for i, x in enumerate(dataset.x)]
        cohort = tuple(samples)
        for s in samples:
            s.cohort = cohort
        x = np.empty(len(samples), dtype=object)
        x[:] = samples
        dataset.x = x
        return dataset
