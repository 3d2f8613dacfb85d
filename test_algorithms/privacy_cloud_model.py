"""Ianvs cloud module: sends what the router staged (raw, or sanitized at the edge), through the guard."""

from sedna.common.class_factory import ClassFactory, ClassType

from privacy_edge import system
from privacy_edge.config import CloudSettings
from privacy_edge.ianvs_glue import settings
from privacy_edge.llm.cache import CachedModel
from privacy_edge.llm.cloud import CloudModel
from privacy_edge.record import Sample, Trace
from privacy_edge.routing import CLOUD_RAW


@ClassFactory.register(ClassType.GENERAL, alias="CloudModelAPI")
class CloudModelAPI:
    def __init__(self, **kwargs):
        self.hyperparameters = dict(kwargs)
        s = settings(CloudSettings, kwargs, "CloudModelAPI")
        self.cloud = CloudModel.from_settings(s, where="the CloudModelAPI hyperparameters",
                                              embedded_ctx=max(16384, 4096 * s.concurrency),
                                              embedded_parallel=s.concurrency)  # slots share n_ctx: 4,096 tokens each
        self.concurrency = s.concurrency  # requests in flight; the router hands it to the pipeline
        self.model = CachedModel(self.cloud, system.cache_for(s.cache_dir, s.cache))
        self.pipeline = None  # attached by the router
        self._staged = {}

    def stage(self, trace):
        """The router hands over a sample it sends to the cloud, with its egress decided."""
        self._staged[trace.doc_id] = trace

    def inference(self, data, **kwargs):
        """The first call sends the whole set's cloud-bound payloads concurrently; later calls are
        served from those results (see CollaborativeInference.cloud_step)."""
        sample = Sample.from_question(data)
        trace = self._staged.pop(sample.doc_id, None)
        if trace is None:  # never send a text whose privacy nobody checked
            trace = Trace(doc_id=sample.doc_id)
            trace.fail("cloud asked for a sample the router did not stage; nothing was sent")
            return trace.to_record()
        if trace.route == CLOUD_RAW:  # nothing detected, or the cloud_only baseline: the raw text goes
            self.cloud.note_raw_egress("CloudModelAPI, route cloud_raw")
        return self.pipeline.cloud_step(trace).to_record()

    def cleanup(self):
        self.cloud.close()

    def __str__(self):
        return f"CloudModelAPI({self.cloud.identity['backend']}, {self.cloud.model})"
