# The cloud worker's image, slim: a Sedna BigModelService that forwards the chat messages it receives to an
# OpenAI-compatible server ($CLOUD_API_BASE: vLLM, deploy/vllm.yaml, or a provider). No torch, spaCy,
# transformers or llama.cpp: the worker imports none of them (tests/test_kubeedge_cloud_slim.py), so there is
# no embedded model either, and CLOUD_API_BASE and CLOUD_MODEL are required (the worker stops, naming them,
# without). Not built by this project (docs/kubeedge.md says what was tested).
# Build from the repository root, Sedna's wheel first copied into deploy/third_party/ (docs/kubeedge.md):
#   docker build -f deploy/cloud.Dockerfile -t $REGISTRY/privacy-edge-cloud:0.1.0 .
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# What the cloud worker imports and what Sedna's wheel requires, pinned; then Sedna's wheel (bundled with
# Ianvs; PyPI's `sedna` is an unrelated package), its requirements held to the same pins.
COPY requirements/cloud.txt requirements/
COPY deploy/third_party/sedna-0.6.0.1-py3-none-any.whl /tmp/
RUN pip install -r requirements/cloud.txt \
    && pip install -c requirements/cloud.txt /tmp/sedna-0.6.0.1-py3-none-any.whl \
    && rm /tmp/sedna-0.6.0.1-py3-none-any.whl

# privacy_edge without its dependencies (requirements/runtime.txt is the edge's and the benchmark's)
COPY pyproject.toml README.md ./
COPY privacy_edge ./privacy_edge
RUN pip install --no-deps . \
    && python -c "import sys, privacy_edge.kubeedge.cloud_worker, sedna.core.joint_inference; heavy = {'torch', 'spacy', 'transformers'} & set(sys.modules); assert not heavy, heavy"

RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin worker
USER 10001
# Sedna sets BIG_MODEL_BIND_PORT (5000); bind on every interface of the pod (Sedna's default is the pod's IP).
# BACKEND_TYPE is not set: the worker serves on Sedna's base backend whatever it says.
ENV PYTHONUNBUFFERED=1 BIG_MODEL_BIND_IP=0.0.0.0
EXPOSE 5000
CMD ["python", "-m", "privacy_edge", "cloud-worker"]
