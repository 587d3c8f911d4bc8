#!/usr/bin/env bash
# Create (or reuse) the project venv with the pinned packages and a Jupyter kernel of a fixed name.
# Called by `make` through the .venv/.ready stamp, so a second run does nothing.
set -euo pipefail
VENV=${VENV:-.venv}
KERNEL=${KERNEL:-ru-cn-briefing}
PY=${PYTHON:-python3}

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $($PY --version)"
  "$PY" -m venv "$VENV"
fi
# requirements.lock: every package pinned, compiled from pyproject.toml (dependencies + the dev extra).
# uv installs the ~120 pinned packages in seconds; plain pip is the fallback.
if "$VENV/bin/python" -m pip install -q --disable-pip-version-check uv==0.13.9 >/dev/null 2>&1; then
  "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" -r requirements.lock
  "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" --no-deps -e .
else
  echo "setup: uv unavailable, using pip (slower)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.lock
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e .
fi
"$VENV/bin/python" -m ipykernel install --sys-prefix --name "$KERNEL" --display-name "Python (ru-cn-briefing)" >/dev/null
echo "setup: venv ready ($VENV, kernel $KERNEL)"
