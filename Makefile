# Two commands on a fresh machine with Python 3.11:
#   make run    install into .venv, then ingest corpus/ into extractor.db and print a summary
#   make test   install into .venv (with the dev extras), then run the test suite
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/extractor ingest

test: $(STAMP)
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q

bench: $(STAMP)
	$(VENV)/bin/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) extractor.db extractor.db-wal extractor.db-shm
