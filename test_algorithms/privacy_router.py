"""Ianvs hard-example-mining module, registered as OracleRouter so that Ianvs hands it both models.

Its `router` hyperparameter picks the decision: `oracle` (the workflow under test), or a baseline:
`edge_only`, `cloud_only` (raw, no protection) or `cloud_sanitized`. It writes the per-sample
records (JSONL) beside Ianvs's output at cleanup.
"""

from core.common.log import LOGGER
from sedna.common.class_factory import ClassFactory, ClassType

from privacy_edge import system
from privacy_edge.config import RouterSettings
from privacy_edge.ianvs_glue import EdgeHandoff, public_hyperparameters, settings, write_run


@ClassFactory.register(ClassType.HEM, alias="OracleRouter")
class OracleRouter:
    def __init__(self, **kwargs):
        self.edge, self.cloud = kwargs.pop("edgemodel", None), kwargs.pop("cloudmodel", None)
        if self.edge is None or self.cloud is None:
            raise ValueError("OracleRouter needs the edge and cloud models: name this module OracleRouter "
                             "in the algorithm YAML so that Ianvs injects them")
        self.hyperparameters = dict(kwargs)
        self.settings = s = settings(RouterSettings, kwargs, "OracleRouter")
        self.pipeline = system.pipeline(self.edge.edge, self.cloud.model, s.router, s.threshold, s.policy,
                                        self.cloud.concurrency)
        self.edge.pipeline = self.cloud.pipeline = self.pipeline
        self.traces = []

    def __call__(self, edge_result, **kwargs):
        if not isinstance(edge_result, EdgeHandoff):
            raise TypeError("OracleRouter expects the EdgeModel's result: set hard_example_mining_mode: "
                            "inference-then-mining in testenv.yaml")
        trace = edge_result.trace
        self.traces.append(trace)
        ask_cloud = self.pipeline.route(trace)
        if ask_cloud:
            self.cloud.stage(trace)
        return ask_cloud

    def cleanup(self):
        if not self.settings.write_records:
            return
        manifest = {}
        for prefix, module in (("edgemodel", self.edge), ("cloudmodel", self.cloud), ("hard_example_mining", self)):
            manifest.update({f"{prefix}-{k}": v for k, v in public_hyperparameters(module.hyperparameters).items()})
        path = write_run(self.traces, manifest)
        LOGGER.info("records: %s", path)
