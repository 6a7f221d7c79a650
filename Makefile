# Two commands on a fresh machine with Python 3.11:
#   make run    install into .venv, then ingest corpus/ into extractor.db and print a summary
#               (then `.venv/bin/extractor review` opens the review app on it)
#   make test   install into .venv (with the dev and train extras) and Debian's chromium
#               for the browser test, then run the test suite
PYTHON ?= python3
VENV ?= .venv
PIP := $(VENV)/bin/pip install --quiet --disable-pip-version-check -c constraints.txt
RUN_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test bench browser clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Running needs onnxruntime and tokenizers, not torch; the review app needs Streamlit.
$(RUN_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) -e '.[ui]'
	touch $(RUN_STAMP)

# Tests also train a tiny model: torch first, pinned (constraints.txt), then the rest.
$(DEV_STAMP): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) torch==2.13.0
	$(PIP) -e '.[dev,train]'
	touch $(RUN_STAMP) $(DEV_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/extractor ingest

test: $(DEV_STAMP) browser
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q -rs

# The browser test drives Debian's Chromium through Playwright (which must never
# download a browser). Installed when missing, as root or through sudo; otherwise the
# test is skipped with a message (and fails where EXTRACTOR_REQUIRE_BROWSER=1, as in CI).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@test -x /usr/bin/chromium || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null \
	  || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; } \
	  || echo "could not install chromium: the browser test will be skipped"

bench: $(DEV_STAMP)
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_ingest.py
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_classifier.py
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_real.py
	HF_HUB_OFFLINE=1 $(VENV)/bin/python bench/bench_check.py
	$(VENV)/bin/python bench/bench_review.py

clean:
	rm -rf $(VENV) extractor.db extractor.db-wal extractor.db-shm
