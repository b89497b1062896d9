# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN ?= runs/demo-kartra

.PHONY: demo test lint format samples benchmarks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/workbench run --source kartra --export data/samples/kartra --out $(RUN) --replace

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks
	$(BIN)/ruff format --check workbench tests benchmarks

format: $(STAMP)
	$(BIN)/ruff check --fix workbench tests benchmarks
	$(BIN)/ruff format workbench tests benchmarks

samples: $(STAMP)
	$(BIN)/python -m workbench.samples --out data/samples

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf runs build *.egg-info
