"""The briefing's code, in stages. Each package may import only the packages listed before it
(tests/test_architecture.py enforces this; nothing is read at import time):

    core      paths, one-line errors, YAML reading, number and period formatting, the early-start "go"
    sources   where every input enters: raw-file readers, provenance sidecars, the tidy-table
              schema, configs (groups, claims) and the build's parameters
    model     pandas-only transformations: source preference, monthly series, reconciliations,
              commodity groups, turnover and context views (no charts, no file I/O)
    claims    the story's claims against the model: one verdict vocabulary, one row builder
    report    figures as notebook outputs, the HTML page, static PNG/SVG, the PDF, publishing
    sections  what each notebook shows: view -> chart -> text, plus the shared section tables
    pipeline  what `make` runs: parameter check, input check, notebook runner
    fetch     network access (UN Comtrade API, the API key): only `make fetch`; never imported by a build
"""

import sys

# Start-up cost, measured: jsonschema (imported by altair in the kernel and by nbformat in the
# notebook runner and the renderer) imports rfc3987_syntax when it is installed (JupyterLab's
# jupyter-events pulls it in), and that module compiles 38 lark grammars at import: ~1.2 s per
# process, for the "iri" format check no spec or notebook of ours uses. Marking the module absent
# makes jsonschema skip that one check (its own `suppress(ImportError)`); a process that imported
# it already is left alone.
sys.modules.setdefault("rfc3987_syntax", None)
