"""Ianvs metric PDR; the definition is privacy_edge.metrics (DESIGN §7)."""

from sedna.common.class_factory import ClassFactory, ClassType

from privacy_edge.metrics import evaluate


@ClassFactory.register(ClassType.GENERAL, alias="PDR")
def pdr_metric(y_true, y_pred):
    return evaluate("PDR", y_true, y_pred)
