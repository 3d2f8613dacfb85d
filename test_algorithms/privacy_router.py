"""Ianvs hard-example-mining module: the library's router decides; records are written at cleanup.

Its `router` hyperparameter picks the decision: `confidence` (the workflow under test), or a
baseline: `edge_only`, `cloud_only` (raw, no protection) or `cloud_sanitized`. It is registered as
OracleRouter because that is the one name for which Ianvs hands the HEM both models: the session
needs none of them, but it checks that they belong to the same test case as this router.
"""

import sys
from pathlib import Path

from core.common.log import LOGGER
from sedna.common.class_factory import ClassFactory, ClassType

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the privacy_edge package beside this folder; an installed one wins
from privacy_edge import session


@ClassFactory.register(ClassType.HEM, alias="OracleRouter")
class OracleRouter:
    def __init__(self, **kwargs):
        edge, cloud = kwargs.pop("edgemodel", None), kwargs.pop("cloudmodel", None)
        self.part = session.RouterPart(kwargs)
        self.run = session.join("router", self.part, kwargs)
        if any(getattr(m, "run", self.run) is not self.run for m in (edge, cloud)):
            raise RuntimeError("OracleRouter: the edge and cloud modules belong to another test case")

    def __call__(self, edge_result, **kwargs):
        return self.run.route(edge_result)

    def cleanup(self):
        path = self.run.finish(write=self.part.write_records)
        if path:
            LOGGER.info("records: %s", path)
