"""What Ianvs and Sedna do with this benchmark's modules, written out so that it runs without them.

``joint_inference`` is Sedna's ``JointInference.inference`` in ``inference-then-mining`` mode, as the
Sedna wheel bundled with Ianvs has it (edge ``predict``, a deep copy, the hard-example-mining call,
``cloud.inference(data, post_process=..., mining_mode=...)`` when it says so, the result list
``[is_hard, res, edge_result, cloud_result]``); ``ianvs_test_case`` is the order in which Ianvs's
joint-inference paradigm builds and calls the modules of one test case (modules in YAML order, the
dataset processor, the router with both models injected, every sample, then cleanup). Where Sedna
and Ianvs are not installed (CI), ``load_ianvs_modules`` gives the modules the two names they import
from them: a registry decorator and a logger, nothing that takes part in the flow.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import types
from copy import deepcopy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE_FILES = {"processor": "echr_data_processor.py", "edge": "privacy_edge_model.py",
                "cloud": "privacy_cloud_model.py", "router": "privacy_router.py"}


def sedna_sequence(pipe, samples) -> list[dict]:
    """The records of ``samples`` run through a pipeline as the session drives it under Sedna, one
    sample at a time (edge, router, cloud when the router asks), the whole set known beforehand."""
    pipe.inference_set = tuple(samples)
    records = []
    for s in samples:
        trace = pipe.edge_step(s)
        if pipe.route(trace):
            pipe.cloud_step(pipe.routed(s.doc_id))
        records.append(trace.to_record())
    return records


def _stand_ins() -> None:
    """Sedna's ClassFactory and Ianvs's LOGGER, only where the real ones are missing."""
    try:
        import sedna.common.class_factory  # noqa: F401
    except ImportError:
        class ClassType:
            GENERAL, HEM = "general", "hard_example_mining"

        class ClassFactory:
            registry: dict = {}

            @classmethod
            def register(cls, type_name=ClassType.GENERAL, alias=None):
                def add(t_cls):
                    cls.registry.setdefault(type_name, {})[alias or t_cls.__name__] = t_cls
                    return t_cls
                return add

        for name in ("sedna", "sedna.common"):
            sys.modules.setdefault(name, types.ModuleType(name))
        module = types.ModuleType("sedna.common.class_factory")
        module.ClassFactory, module.ClassType = ClassFactory, ClassType
        sys.modules["sedna.common.class_factory"] = module
    try:
        import core.common.log  # noqa: F401
    except ImportError:
        for name in ("core", "core.common"):
            sys.modules.setdefault(name, types.ModuleType(name))
        log = types.ModuleType("core.common.log")
        log.LOGGER = logging.getLogger("ianvs")
        sys.modules["core.common.log"] = log


def load_ianvs_modules() -> dict[str, types.ModuleType]:
    """The four Ianvs modules of test_algorithms/, imported once per process."""
    _stand_ins()
    out = {}
    for role, file in MODULE_FILES.items():
        name = f"_ianvs_{role}"
        if name not in sys.modules:
            spec = importlib.util.spec_from_file_location(name, ROOT / "test_algorithms" / file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        out[role] = sys.modules[name]
    return out


def real_joint_inference(edge, cloud, hem):
    """Sedna's own ``JointInference`` over the modules where the Sedna wheel is installed, else None.
    Built without its constructor, which would start Sedna's reporter and read its environment."""
    try:
        from sedna.core.joint_inference.joint_inference import JointInference
    except ImportError:
        return None
    ji = JointInference.__new__(JointInference)
    ji.estimator, ji.cloud, ji.hard_example_mining_algorithm, ji.LCReporter_enable = edge, cloud, hem, False
    return ji


def joint_inference(edge, cloud, hem, data, mining_mode: str = "inference-then-mining") -> list:
    """Sedna's JointInference.inference for one sample (inference-then-mining): Sedna's own code where
    it is installed, else the same steps written out."""
    ji = real_joint_inference(edge, cloud, hem)
    if ji is not None:
        return ji.inference(data, mining_mode=mining_mode)
    edge_result = edge.predict(data, mining_mode=mining_mode)
    res = deepcopy(edge_result)
    is_hard = hem(res)
    cloud_result = None
    if is_hard:
        cloud_result = cloud.inference(data, post_process=None, mining_mode=mining_mode)
        res = deepcopy(cloud_result)
    return [is_hard, res, edge_result, cloud_result]


class Dataset:
    """What Ianvs's processor receives: an object whose ``x`` holds the inference set's questions."""

    def __init__(self, x):
        self.x = x


def ianvs_test_case(questions: list, edge_kwargs: dict, cloud_kwargs: dict, router_kwargs: dict) -> list:
    """One Ianvs joint-inference test case over ``questions`` (the JSONL ``question`` objects); returns
    ``y_pred`` as the metrics receive it."""
    m = load_ianvs_modules()
    edge = m["edge"].EdgeModel(**edge_kwargs)
    cloud = m["cloud"].CloudModelAPI(**cloud_kwargs)
    dataset = m["processor"].ECHRDataProcessor()(Dataset(list(questions)))
    router = m["router"].OracleRouter(edgemodel=edge, cloudmodel=cloud, **router_kwargs)
    y_pred = [joint_inference(edge, cloud, router, x) for x in dataset.x]
    cloud.cleanup()
    router.cleanup()
    return y_pred
