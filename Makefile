# The two commands a new user needs: `make demo` (set up, then analyse the shipped examples) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[web,dev]'
	touch $(STAMP)

.PHONY: install demo test lint bench
install: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/propscope analyze examples/articles --reliability examples/reliability.csv --format html --out out/examples.html
	$(BIN)/propscope analyze examples/articles --reliability examples/reliability.csv --format md --out out/examples.md
	$(BIN)/propscope analyze examples/articles --reliability examples/reliability.csv --format json --out out/examples.json
	@echo "wrote out/examples.html, out/examples.md and out/examples.json"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/pipeline.py
