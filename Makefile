# Two commands do all the set-up on a fresh machine:
#   make demo   - install into .venv, code the bundled example articles and store them in examples.db
#   make test   - install into .venv (with test tools) and run the whole test suite; the store tests start
#                 their own PostgreSQL server (scripts/ensure-postgresql installs it when missing, as root) and
#                 the web page's tests run headless Chromium (scripts/ensure-chromium installs it likewise)
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install lint bench clean

$(BIN)/polemos: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/polemos

demo: install
	$(BIN)/polemos extract examples/articles/ --format table
	$(BIN)/polemos extract examples/articles/ > examples-output.jsonl
	@echo "JSONL written to examples-output.jsonl"
	$(BIN)/polemos ingest examples/articles/ --db examples.db
	$(BIN)/polemos events --db examples.db --limit 15

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: install lint
	scripts/ensure-postgresql
	scripts/ensure-chromium
	$(BIN)/pytest -q

bench: install
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) build *.egg-info examples-output.jsonl examples.db examples.db-wal examples.db-shm
