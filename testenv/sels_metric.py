"""Ianvs metric SELS; the definition is privacy_edge.metrics (DESIGN §7)."""

from sedna.common.class_factory import ClassFactory, ClassType

from privacy_edge.metrics import evaluate


@ClassFactory.register(ClassType.GENERAL, alias="SELS")
def sels_metric(y_true, y_pred):
    return evaluate("SELS", y_true, y_pred)
