# One command to rebuild the briefing: `make report`; one to prove it still works: `make test`.
# Targets are files, so an unchanged rebuild does no work. Parameters (defaults: config/parameters.yaml):
#   make report PERIOD_END=2024-12 PARTNER=Russia GROUPS_FILE=config/commodity_groups.yaml
SHELL := /bin/bash
.DELETE_ON_ERROR:

# The defaults live in config/parameters.yaml only (flat `name: "value"` lines), read here with sed.
PARAMETERS_FILE := config/parameters.yaml
parameter_default = $(shell sed -n 's/^$(1):[[:space:]]*"\([^"]*\)".*/\1/p' $(PARAMETERS_FILE))
PERIOD_END ?= $(call parameter_default,period_end)
PARTNER ?= $(call parameter_default,partner)
GROUPS_FILE ?= $(call parameter_default,groups_file)
CLAIMS_FILE ?= $(call parameter_default,claims_file)
CHROMIUM ?= /usr/bin/chromium
LAB_PORT ?= 8888

VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
EXECUTED := $(patsubst notebooks/%.ipynb,$(BUILD)/nb/%.ipynb,$(NOTEBOOKS))
RAW := $(wildcard data/raw/*.csv data/raw/*.meta.json data/raw/comtrade/* data/raw/gacc/*)
SRC := $(wildcard src/helpers/*.py src/helpers/*/*.py) $(wildcard config/*)
RENDER_SRC := $(wildcard src/helpers/report/templates/*)
export BRIEFING_ROOT := $(CURDIR)
export BRIEFING_BUILD_DIR := $(CURDIR)/$(BUILD)
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0

.PHONY: report test setup fetch bench clean strip lab parameters FORCE

report: reports/briefing.html

setup: $(VENV)/.ready $(BUILD)/chromium.ok

$(VENV)/.ready: requirements.lock pyproject.toml scripts/setup_venv.sh
	@bash scripts/setup_venv.sh
	@touch $@

$(BUILD)/chromium.ok: scripts/ensure_chromium.sh
	@CHROMIUM=$(CHROMIUM) bash scripts/ensure_chromium.sh
	@mkdir -p $(BUILD) && touch $@

# Checked on every run; rewritten only when a value changes, so dependents rebuild only then.
# `$(call timed,label,command)`: run a stage and print its wall time (make report prints every stage).
timed = start=$$EPOCHREALTIME; $(2); status=$$?; \
	awk -v s=$$start -v e=$$EPOCHREALTIME 'BEGIN{printf "timing: %-24s %5.1f s\n", "$(1)", e-s}'; exit $$status

# Checked on every run; rewritten only when a value changes, so dependents rebuild only then.
$(BUILD)/params.json: FORCE | $(VENV)/.ready
	@$(call timed,parameter check,$(PY) -m helpers.pipeline.params --period-end "$(PERIOD_END)" --partner "$(PARTNER)" \
	  --groups-file "$(GROUPS_FILE)" --claims-file "$(CLAIMS_FILE)" --out $@)

# Every input checked before any notebook: checksums, each raw field, cross-row checks, HS-level
# files, group and claim configs. One line naming file, row and column on failure (exit 2).
$(BUILD)/inputs.ok: $(RAW) $(GROUPS_FILE) $(CLAIMS_FILE) config/sources.yaml $(SRC) | $(VENV)/.ready
	@$(call timed,input check,$(PY) -m helpers.pipeline.check_inputs --groups "$(GROUPS_FILE)" --claims "$(CLAIMS_FILE)")
	@mkdir -p $(BUILD) && touch $@

# All notebooks run in one kernel (helpers.pipeline.run_notebooks): one start, one import, data loaded once.
$(EXECUTED) &: $(NOTEBOOKS) $(BUILD)/params.json $(BUILD)/inputs.ok $(SRC)
	@$(PY) -m helpers.pipeline.run_notebooks $(NOTEBOOKS) --params $(BUILD)/params.json --out $(BUILD)/nb

reports/briefing.html: $(EXECUTED) $(RENDER_SRC) $(BUILD)/chromium.ok
	@$(PY) -m helpers.report.render --notebooks $(EXECUTED) --params $(BUILD)/params.json --out $(BUILD)/stage
	@$(PY) -m helpers.report.publish $(BUILD)/stage reports

test: $(VENV)/.ready $(BUILD)/chromium.ok
	$(PY) -m pytest -q

# The notebooks in notebooks/ are the source (edited in JupyterLab); commit them without outputs.
strip: $(VENV)/.ready
	$(VENV)/bin/nbstripout notebooks/[0-9]*.ipynb

# JupyterLab on the notebooks with the project's kernel (Python (ru-cn-briefing)); open the URL printed.
lab: setup
	@echo "lab: notebooks/ with kernel Python (ru-cn-briefing); open the http://127.0.0.1:$(LAB_PORT)/lab/tree/notebooks?token=... URL printed below (Ctrl-C stops)"
	$(VENV)/bin/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  --ServerApp.root_dir=$(CURDIR) --ServerApp.default_url=/lab/tree/notebooks \
	  --MappingKernelManager.default_kernel_name=ru-cn-briefing $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The parameters a build would use (defaults from config/parameters.yaml unless overridden).
parameters:
	@echo "PERIOD_END=$(PERIOD_END) PARTNER=$(PARTNER) GROUPS_FILE=$(GROUPS_FILE) CLAIMS_FILE=$(CLAIMS_FILE)"

fetch: $(VENV)/.ready
	$(PY) -m helpers.fetch --partner "$(PARTNER)" --from "$(FROM)" --to "$(TO)"

bench: $(VENV)/.ready
	$(PY) scripts/bench.py --rows 10000000 --out BENCHMARKS.md --report-timing --report-cmd "make report" \
	  --report-prep "rm -rf build/nb build/stage build/figures build/params.json build/inputs.ok reports/briefing.html"

clean:
	rm -rf $(BUILD) reports/*.html reports/*.pdf reports/figures
