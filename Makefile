# One command to rebuild the briefing: `make report`; one to prove it still works: `make test`.
#   make report PERIOD_END=2024-12 GROUPS_FILE=my_groups.yaml   (defaults: config/parameters.yaml)
#
# What to rebuild is decided by helpers.pipeline.build from the CONTENT of the inputs (names + sha256
# of every file under data/raw/, the configs, the code and the parameters), not by file times, and
# under a lock (build/build.lock) so two builds never mix. This Makefile therefore lists no data
# files: odd file names (spaces, colons, quotes) cannot break it.
#
# Parameters never pass through a shell string. Each user-facing variable is un-exported (make would
# otherwise expand `$(shell ...)` in a command-line value when exporting it) and handed to Python
# verbatim as BRIEFING_<NAME> via `$(value ...)` (the text as typed, not expanded). Python validates
# it before use (helpers.sources.parameters). To add a parameter X: add X to PARAMETERS below and
# read BRIEFING_X in Python. Defaults live in config/parameters.yaml (read by helpers.sources.parameters).
SHELL := /bin/bash

PARAMETERS := PERIOD_END PARTNER GROUPS_FILE CLAIMS_FILE FROM TO CHROMIUM LOCK_WAIT FILE JSON LAB_PORT
unexport $(PARAMETERS)
$(foreach name,$(PARAMETERS),$(eval export BRIEFING_$(name) := $$(value $(name))))

VENV := .venv
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
PY := $(VENV)/bin/python
BUILD := build
export BRIEFING_ROOT := $(CURDIR)
export BRIEFING_BUILD_DIR := $(CURDIR)/$(BUILD)
export PYTHONHASHSEED := 0
# Reproducible dates: the PDF's creation date and the "Built on" line are the last commit's time
# (the same for every build of a commit; 0 outside a git checkout), not the time of the build.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: report plan sidecars test test-fast lint format setup fetch inspect lab strip parameters bench scale-check lighthouse clean help

# Every run: parameter check, input manifest, then only the stages whose inputs changed (each prints
# its time); this build's own stage directory is published into reports/ (all or nothing).
report: setup  ## build reports/: briefing.html, briefing.pdf, figures, tables, briefing.zip
	@$(PY) -m helpers.pipeline.build

# What `make report` would rebuild and why (which inputs changed); builds nothing.
plan: $(VENV)/.ready  ## say what `make report` would rebuild and why; builds nothing
	@$(PY) -m helpers.pipeline.build --dry-run

# After adding rows to a raw file (README: "When GACC publishes a new month"): validate every changed file as the
# build reads it and record its new sha256 and row count in its .meta.json; one line and exit 2 naming the file
# and row if one is invalid (then no sidecar is written).
sidecars: $(VENV)/.ready  ## record new checksums and row counts of changed raw files
	@$(PY) -m helpers.pipeline.sidecars

setup: $(VENV)/.ready $(BUILD)/chromium.ok  ## create .venv from requirements.lock, check Chromium

$(VENV)/.ready: requirements.lock pyproject.toml scripts/setup_venv.sh
	@bash scripts/setup_venv.sh
	@touch $@

$(BUILD)/chromium.ok: scripts/ensure_chromium.sh
	@bash scripts/ensure_chromium.sh
	@mkdir -p $(BUILD) && touch $@

test: setup lint $(LIGHTHOUSE)  ## the whole test suite, as CI runs it (never writes reports/ or build/)
	$(PY) -m pytest -q

# ruff: lint and format check (100 columns, pyproject.toml), notebooks included; `make format` rewrites the files.
lint: $(VENV)/.ready  ## ruff lint and format check
	$(VENV)/bin/ruff check src tests scripts notebooks
	$(VENV)/bin/ruff format --check src tests scripts notebooks

format: $(VENV)/.ready  ## ruff: fix and format the code
	$(VENV)/bin/ruff check --fix src tests scripts notebooks
	$(VENV)/bin/ruff format src tests scripts notebooks

# Day-to-day lane: unit and data tests only (no make-in-a-copy builds, notebooks or browsers), on two
# processes (pytest-xdist): ~30 s instead of ~50 s on 2 cores. Each test uses its own tmp_path, so the order
# and the process they run in do not matter.
test-fast: $(VENV)/.ready  ## unit and data tests only, on two processes
	$(PY) -m pytest -q -m "not slow" -n 2

# The notebooks in notebooks/ are the source (edited in JupyterLab); commit them without outputs.
strip: $(VENV)/.ready  ## strip outputs from notebooks/ before committing
	$(VENV)/bin/nbstripout notebooks/[0-9]*.ipynb

# JupyterLab on the notebooks with the project's kernel, Python (ru-cn-briefing); open the URL it prints.
# LAB_PORT (default 8888) reaches Python as BRIEFING_LAB_PORT, like every other variable.
lab: setup  ## JupyterLab on notebooks/ with the project's kernel (LAB_PORT=8888)
	@$(PY) -m helpers.pipeline.lab

# The parameters a build would use: the defaults in config/parameters.yaml unless overridden.
parameters: $(VENV)/.ready  ## print the parameters a build would use
	@$(PY) -m helpers.pipeline.build --show-parameters

fetch: $(VENV)/.ready  ## UN Comtrade snapshots into data/raw/comtrade (PARTNER= FROM= TO=)
	@$(PY) -m helpers.fetch --from-environment

# `make inspect FILE=path [JSON=1]`: what the build would read from one raw file (FILE and JSON reach
# Python as BRIEFING_FILE / BRIEFING_JSON, never through a shell string).
inspect: $(VENV)/.ready  ## what a build would read from one raw file (FILE=path [JSON=1])
	@$(PY) -m helpers.pipeline.inspect

bench: $(VENV)/.ready  ## time the scan of a 10M-row synthetic file and make report (BENCHMARKS.md)
	$(PY) scripts/bench.py --rows 10000000 --out BENCHMARKS.md --report-timing --report-cmd "make report" \
	  --report-prep "rm -rf build/stamps reports/briefing.html"

# Slow, not in `make test`: `make report` with a 10-million-row SYNTHETIC Comtrade file must stay
# within 3 GB peak memory; records time and peak RSS in BENCHMARKS.md (scripts/scale_check.py).
scale-check: $(VENV)/.ready  ## make report on a 10M-row synthetic file within 3 GB
	$(PY) scripts/scale_check.py --rows 10000000 --limit-gb 3 --out BENCHMARKS.md

# Lighthouse 12 (pinned: tools/lighthouse/package-lock.json) on reports/ served with gzip on 127.0.0.1,
# mobile and desktop presets, 3 runs each: medians of the four scores and FCP/LCP/TBT/CLS
# (scripts/lighthouse.py; the numbers in BENCHMARKS.md; tests/test_lighthouse.py holds the targets).
lighthouse: report $(LIGHTHOUSE)  ## Lighthouse mobile + desktop on reports/ (medians of 3)
	@$(PY) scripts/lighthouse.py --runs 3

$(LIGHTHOUSE): tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --no-audit --no-fund
	@touch $@

clean:  ## delete build/ and the published briefing
	@if [ -x $(PY) ]; then $(PY) -m helpers.pipeline.build --clean; \
	 else rm -rf $(BUILD) reports/*.html reports/*.pdf reports/figures; fi

# Every target with a `## ` note on its rule line, with the note.
help:  ## list the targets
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "  make %-12s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))
