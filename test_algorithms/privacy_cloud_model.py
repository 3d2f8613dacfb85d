"""Ianvs cloud module: sends what the router decided (raw, or sanitized at the edge), through the guard."""

import sys
from pathlib import Path

from sedna.common.class_factory import ClassFactory, ClassType

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the privacy_edge package beside this folder; an installed one wins
from privacy_edge import session


@ClassFactory.register(ClassType.GENERAL, alias="CloudModelAPI")
class CloudModelAPI:
    def __init__(self, **kwargs):
        self.part = session.CloudPart(kwargs)
        self.run = session.join("cloud", self.part, kwargs)

    def inference(self, data, **kwargs):
        """The first call sends the whole set's cloud-bound payloads concurrently; later calls are
        served from those results (see CollaborativeInference.cloud_step)."""
        return self.run.cloud_step(data)

    def cleanup(self):
        self.part.close()

    def __str__(self):
        return str(self.part)
