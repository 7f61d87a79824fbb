.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_JOBS ?= auto
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
NOTEBOOKS_STAMP := build/notebooks-checked.stamp
CODE := src tests scripts benchmarks notebooks jupyter-config
# The package's bytecode, written once before the tests: where PYTHONDONTWRITEBYTECODE is set, every test
# worker, kernel and subprocess would otherwise compile it again (about 1 s each), and a no-op `aiinvest build`
# would take 0.24 s instead of 0.09 s. Written before the reports and the benchmarks too.
COMPILE := $(BIN)/python -m compileall -q src benchmarks
# Whole test files per worker: a module's fixtures are built once.
PYTEST := $(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile
PARAMS ?= $(sort $(wildcard params/*.yaml))  # make report builds every parameter file, in parallel
LAB_ARGS ?=
# The project's Jupyter configuration (server and JupyterLab settings), read after the user's own ~/.jupyter.
JUPYTER_CONFIG := $(CURDIR)/jupyter-config
# Notebook metadata that nbstripout removes besides outputs and execution counts (papermill's and editors' records).
NBSTRIP := $(BIN)/nbstripout --extra-keys "metadata.language_info metadata.papermill metadata.vscode \
	metadata.widgets cell.metadata.papermill cell.metadata.execution cell.metadata.vscode cell.metadata.scrolled \
	cell.metadata.collapsed cell.metadata.editable cell.metadata.slideshow"

.PHONY: help venv node system-deps validate report test test-fast lint format lab compare bench lock rehash docs readme-image clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# pip runs quietly: each step says what it does first (the first set-up takes a minute or two).
$(STAMP): requirements.txt pyproject.toml
	@echo "Setting up $(VENV) with what running needs; the first time this takes a minute or two."
	@test -x $(BIN)/python || { echo "- creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "- installing the locked dependencies (requirements.txt: pandas, Jupyter, papermill, WeasyPrint, ...)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	@echo "- installing the aiinvest package (editable) and its Jupyter kernel 'Python (aiinvest)'"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/aiinvest install-kernel >/dev/null
	@touch $@ && echo "$(VENV) is ready."

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	@echo "Adding the development tools to $(VENV) (requirements-dev.txt: pytest, ruff, JupyterLab, ...); about a minute."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.txt
	@touch $@ && echo "$(VENV) has the development tools."

venv: $(STAMP) ## Create the virtual environment with what running needs (requirements.txt) and the package

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

node: $(NODE_STAMP) ## Install the npm tools the HTML report's tests use (axe-core, vnu-jar), from package-lock.json

system-deps: ## Install missing system packages: Pango and fonts (PDF), Chromium, Java and npm (browser tests)
	@bash scripts/system-deps.sh test

validate: $(STAMP) ## Validate the curated data package (schema, hashes, provenance)
	$(BIN)/aiinvest validate

report: $(STAMP) ## Build the HTML and PDF report of every parameter file in params/ (in parallel), and reports/index.html
	@bash scripts/system-deps.sh report
	$(COMPILE)
	$(BIN)/aiinvest build $(PARAMS)

test: lint validate system-deps $(NODE_STAMP) ## Lint, check the live data (validate, docs --check), then run the whole test suite on every core (TEST_JOBS=1: one process)
	$(BIN)/aiinvest docs --check
	$(COMPILE)
	$(PYTEST)

test-fast: lint ## Lint, then every in-process test (no builds, browsers, servers or other processes), with fewer examples
	$(COMPILE)
	$(PYTEST) -m "not slow" --hypothesis-profile=fast

lint: $(DEV_STAMP) $(NOTEBOOKS_STAMP) ## Check code and notebooks: ruff (notebooks too), nbstripout --verify, jupytext pairs, import layers, types (mypy), README.md's generated sections
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE) || { echo "run 'make format' to reformat them" >&2; exit 1; }
	$(BIN)/lint-imports --cache-dir build/import-linter-cache
	$(BIN)/mypy
	$(BIN)/cog --check --check-fail-msg "run 'make docs'" README.md

# The notebooks' own checks (1-3 s, for the tools' start-up) run again only when a notebook or the check changes.
$(NOTEBOOKS_STAMP): $(DEV_STAMP) Makefile src/aiinvest/nbhygiene.py $(wildcard notebooks/*.ipynb notebooks/*.py)
	$(NBSTRIP) --verify notebooks/*.ipynb || { echo "notebooks hold outputs or metadata: run 'make format'" >&2; exit 1; }
	$(BIN)/aiinvest notebooks
	mkdir -p $(@D) && touch $@

format: $(DEV_STAMP) ## Fix code and notebooks in place: ruff, strip outputs, sync jupytext pairs
	$(BIN)/jupytext --quiet --sync notebooks/*.ipynb
	$(BIN)/ruff check --fix $(CODE)
	$(BIN)/ruff format $(CODE)
	$(BIN)/jupytext --quiet --sync notebooks/*.ipynb
	$(NBSTRIP) notebooks/*.ipynb

lab: $(DEV_STAMP) ## Start JupyterLab (kernel "Python (aiinvest)"; saves committed notebooks stripped); options: LAB_ARGS="--no-browser --port=8899"
	JUPYTER_CONFIG_PATH=$(JUPYTER_CONFIG)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH)) $(BIN)/jupyter lab \
		--notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) notebooks/explore.ipynb

rehash: $(STAMP) ## Record the SHA-256 of every curated CSV in datapackage.json after a reviewed edit
	$(BIN)/aiinvest rehash

docs: $(DEV_STAMP) ## Regenerate data/README.md from the descriptor, and README.md's exit statuses and CLI reference (cog)
	$(BIN)/aiinvest docs
	$(BIN)/cog -r README.md

REV ?= HEAD
compare: $(STAMP) ## Build the reports with REV's code (default HEAD) and this tree's, on the same data; compare what a reader gets
	$(BIN)/python scripts/compare_reports.py $(REV)

bench: $(DEV_STAMP) ## Benchmark the build (prints figures; writes build/benchmarks.md)
	$(COMPILE)
	mkdir -p build && $(BIN)/python -m benchmarks.bench --output build/benchmarks.md

readme-image: report ## Render the PDF's first page to docs/report-first-page.png for the README
	$(BIN)/python -c "import pypdfium2 as p; p.PdfDocument('reports/anthropic/latest/report.pdf')[0]\
	.render(scale=1.3).to_pil().save('docs/report-first-page.png', optimize=True)"

lock: ## Re-resolve pyproject.toml into the hashed locks: requirements.txt (running), requirements-dev.txt (developing)
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet uv
	build/lock-venv/bin/uv pip compile --quiet --python $(PYTHON) --generate-hashes \
		-o requirements.txt pyproject.toml
	build/lock-venv/bin/uv pip compile --quiet --python $(PYTHON) --generate-hashes \
		--extra dev -o requirements-dev.txt pyproject.toml

clean: ## Remove the virtual environment, caches and build output
	rm -rf $(VENV) build .pytest_cache .ruff_cache
	find reports -mindepth 1 ! -name README.md -exec rm -rf {} +
