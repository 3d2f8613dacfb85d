"""The router's settings as Sedna delivers them: the CRD's ``hardExampleMining`` name and parameters.

Sedna's local controller puts ``spec.edgeWorker.hardExampleMining`` into ``$HEM_NAME`` and
``$HEM_PARAMETERS`` (a JSON list of ``{"key": ..., "value": ...}``, every value a string). Sedna's own
parser drops a malformed list silently and passes the strings on unconverted; here the list is parsed
strictly and the values are validated by ``RouterSettings``, as the Ianvs YAML is, so that a typo stops
the worker with a message naming the field instead of running a router nobody configured.
"""

from __future__ import annotations

import json

from ..config import RouterSettings
from ..settings import ConfigError, build

HEM_NAME = "PrivacyEdgeRouter"
WHERE = "JointInferenceService spec.edgeWorker.hardExampleMining"


def parse_parameters(raw: str | None) -> dict[str, str]:
    """``$HEM_PARAMETERS`` as a dict; a ConfigError naming the entry when it is not what the CRD allows."""
    if raw is None or not raw.strip() or raw.strip() == "null":  # Go marshals an absent list as null
        return {}
    try:
        items = json.loads(raw)
    except ValueError as err:
        raise ConfigError(f"{WHERE}.parameters ($HEM_PARAMETERS): not JSON: {err}") from None
    if not isinstance(items, list):
        raise ConfigError(f"{WHERE}.parameters ($HEM_PARAMETERS): expected a list of {{key, value}}, "
                          f"got {type(items).__name__}")
    out: dict[str, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"].strip():
            raise ConfigError(f"{WHERE}.parameters[{i}]: needs a non-empty string `key`")
        key, value = item["key"].strip(), item.get("value", "")
        if not isinstance(value, str):
            raise ConfigError(f"{WHERE}.parameters[{i}] ({key}): `value` must be a string, "
                              f"got {type(value).__name__}")
        if key in out:
            raise ConfigError(f"{WHERE}.parameters[{i}]: key {key!r} given twice")
        out[key] = value
    return out


def router_settings(name: str | None, parameters: str | dict | None) -> RouterSettings:
    """The router's settings from the HEM name and its parameters (``$HEM_PARAMETERS`` or a parsed dict)."""
    if not name or not name.strip():
        raise ConfigError(f"{WHERE}.name ($HEM_NAME): not set; the edge worker needs {HEM_NAME}")
    if name.strip() != HEM_NAME:
        raise ConfigError(f"{WHERE}.name ($HEM_NAME): {name!r} is not {HEM_NAME}, the only hard-example "
                          "mining this edge worker runs (its router needs the detection and the edge answer)")
    params = parameters if isinstance(parameters, dict) else parse_parameters(parameters)
    return build(RouterSettings, params, f"{WHERE}.parameters")


class PrivacyEdgeRouter:
    """The HEM Sedna's ``JointInference`` builds by name with the CRD's strings as keyword arguments.

    Sedna cannot hand it the pipeline (Ianvs injects the models; Sedna does not), so the edge worker
    attaches the holder of the current file's pipeline after construction (``attach``). Called with
    the edge step's result, it routes the sample; True means the cloud is asked (the pipeline keeps the
    trace for the guarded cloud handle).
    """

    def __init__(self, **parameters):
        self.settings = build(RouterSettings, parameters, f"{WHERE}.parameters")
        self.current = None

    def attach(self, current) -> None:
        """``current``: what holds the pipeline of the file being processed (``edge_worker.CurrentFile``)."""
        self.current = current

    def __call__(self, edge_result, **kwargs) -> bool:
        if self.current is None:
            raise RuntimeError(f"{HEM_NAME} has no pipeline: the edge worker attaches it after JointInference "
                               "is built")
        trace = getattr(edge_result, "trace", None)
        if trace is None:
            raise TypeError(f"{HEM_NAME} expects the edge step's result; is MINING_MODE inference-then-mining?")
        return self.current.get().route(trace)
