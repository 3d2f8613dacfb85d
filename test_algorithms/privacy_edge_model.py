"""Ianvs edge module: detection, the edge model's answer and sanitization, run by the library's session.

The first sample detects over the whole inference set and lets the edge model answer, in batches,
every sample that needs an answer (YAML: batching); later samples are served from that.
"""

import os
import sys
from pathlib import Path

from sedna.common.class_factory import ClassFactory, ClassType

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the privacy_edge package beside this folder; an installed one wins
from privacy_edge import session

os.environ["BACKEND_TYPE"] = "TORCH"  # Sedna's torch backend calls load() without copying model files


@ClassFactory.register(ClassType.GENERAL, alias="EdgeModel")
class EdgeModel:
    def __init__(self, **kwargs):
        part = session.EdgePart(kwargs)
        os.environ["model_path"] = part.model_directory or os.getcwd()  # Sedna checks that it exists
        self.run = session.join("edge", part, kwargs)
        self.name = str(part)

    def load(self, **kwargs):
        """Weights load lazily, once per process, on the first answer."""

    def predict(self, data, **kwargs):
        return self.run.edge_step(data)

    def __str__(self):
        return self.name
