"""Ianvs metrics of this benchmark, one registered alias per name users see in the rank CSV.

Definitions live in privacy_edge.metrics (README "Metrics", docs/architecture.md); their settings (attacker, reference model,
background file) in metrics.yaml beside this file. Every name in testenv.yaml points here.
"""

import sys
from pathlib import Path

from sedna.common.class_factory import ClassFactory, ClassType

sys.path.append(str(Path(__file__).resolve().parents[1]))  # the privacy_edge package beside this folder; an installed one wins
from privacy_edge.metrics import METRICS, evaluate, load_all

SETTINGS = str(Path(__file__).with_name("metrics.yaml"))


def _metric(name):
    def metric(y_true, y_pred):
        return evaluate(name, y_true, y_pred, SETTINGS)

    metric.__name__ = f"metric_{name}"
    return metric


load_all()
for _name in METRICS.names():
    ClassFactory.register(ClassType.GENERAL, alias=_name)(_metric(_name))
