# Two commands on a fresh machine with Python 3.11:
#   make run    install into .venv, then ingest corpus/ into extractor.db and print a summary
#   make test   install into .venv (with the dev and train extras), then run the test suite
PYTHON ?= python3
VENV ?= .venv
PIP := $(VENV)/bin/pip install --quiet --disable-pip-version-check -c constraints.txt
RUN_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Running needs onnxruntime and tokenizers, not torch.
$(RUN_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) -e .
	touch $(RUN_STAMP)

# Tests also train a tiny model: torch first, pinned (constraints.txt), then the rest.
$(DEV_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) torch==2.13.0
	$(PIP) -e '.[dev,train]'
	touch $(RUN_STAMP) $(DEV_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/extractor ingest

test: $(DEV_STAMP)
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q

bench: $(DEV_STAMP)
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_ingest.py
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_classifier.py
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_real.py
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_check.py

clean:
	rm -rf $(VENV) extractor.db extractor.db-wal extractor.db-shm
