# partnerdesk: `make demo` runs the main job on the embedded default, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit bench fixtures serve clean app browsers corpus-score

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## fixtures: regenerate the example letters and the test corpus from the committed generator
fixtures: $(STAMP)
	$(PY) -m tests.fixtures.generate --out examples --examples-only
	$(PY) -m tests.fixtures.generate --out .partnerdesk/corpus

demo: $(STAMP)
	$(PY) -m integration.demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(PY) -m pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(PY) -m tests.bench

## corpus-score: the reader on every layout family × producer (+ scans) and on the development
## letters (docs/corpus.md; CORPUS_ARGS e.g. "--seed 3 --workers 2 --no-scans --gate")
corpus-score: $(STAMP)
	$(PY) -m tests.corpus $(CORPUS_ARGS)

serve: $(STAMP)
	$(VENV)/bin/partnerdesk serve

## app: check the Zendesk sidebar app and write dist/partnerdesk-zendesk-app.zip to upload
app: $(STAMP)
	$(VENV)/bin/partnerdesk zendesk-app package --out dist/partnerdesk-zendesk-app.zip

## browsers: only the browser tests (Debian's chromium; screenshots in test-artifacts/)
browsers: $(STAMP)
	$(PY) -m pytest -q -m browser tests/browser

clean:
	rm -rf .partnerdesk .pytest_cache .mypy_cache .ruff_cache build *.egg-info
