"""The pipeline deployed on KubeEdge as a Sedna JointInferenceService (docs/kubeedge.md).

``edge_worker`` runs the benchmark's edge side (detector, edge model, router, sanitizers) inside
Sedna's ``JointInference``; ``cloud_worker`` is a Sedna ``BigModelService`` that forwards to an
OpenAI-compatible server. Sedna is imported only by the two worker modules.
"""
