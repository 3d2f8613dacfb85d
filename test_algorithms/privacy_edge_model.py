"""Ianvs edge module: detection, the edge model's answer, and (when the router asks) sanitization.

On its first call it detects over the whole inference set and lets the edge model answer every
sample that needs an answer, in batches; later calls are served from that (YAML: batching).
"""

import os

from sedna.common.class_factory import ClassFactory, ClassType

from privacy_edge import system
from privacy_edge.config import EdgeSettings
from privacy_edge.ianvs_glue import EdgeHandoff, settings
from privacy_edge.pipeline import EdgeSide
from privacy_edge.record import Sample
from privacy_edge.sanitize.minimize import Minimizer

os.environ["BACKEND_TYPE"] = "TORCH"  # Sedna's torch backend calls load() without copying model files


@ClassFactory.register(ClassType.GENERAL, alias="EdgeModel")
class EdgeModel:
    def __init__(self, **kwargs):
        self.hyperparameters = dict(kwargs)
        self.settings = s = settings(EdgeSettings, kwargs, "EdgeModel")
        model = system.edge_model(s, system.cache_for(s.cache_dir, s.cache))  # served when $EDGE_API_BASE is set
        source = getattr(model.model, "source", None)
        os.environ["model_path"] = source.directory if source else os.getcwd()  # Sedna checks that it exists
        self.edge = EdgeSide(
            detector=system.detector(s.detector_config, s.detector or None),
            model=model,
            # keyed by the workspace secret in cache_dir unless the YAML sets salt or seed
            sanitizers=system.sanitizers(epsilon=s.epsilon, salt=s.salt, seed=s.seed, cache_dir=s.cache_dir),
            minimizer=Minimizer.from_settings(s.minimize_unit, s.minimize_share, s.minimize_max_tokens),
        )
        self.edge.warm_up()  # a missing spaCy or MiniLM model fails here, before any sample runs
        self.pipeline = None  # attached by the router, which Ianvs gives both models
        self._prefetched = False

    def load(self, **kwargs):
        """Weights load lazily, once per process, on the first answer."""

    def predict(self, data, **kwargs):
        if self.pipeline is None:
            raise RuntimeError("EdgeModel needs the hard_example_mining module named OracleRouter (it wires the pipeline)")
        sample = Sample.from_question(data)
        if self.settings.batching and not self._prefetched:
            self._prefetched = True
            self.pipeline.prefetch(list(sample.cohort) or [sample])
        return EdgeHandoff(self.pipeline.edge_step(sample))

    def __str__(self):
        identity = self.edge.model.identity
        return f"EdgeModel({identity['backend']}, {identity['model']})"
