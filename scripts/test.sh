#!/usr/bin/env bash
# Set up a virtual environment and run the whole test suite. This is the README's test command.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${KG_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e ".[test]"
bash scripts/install-browser.sh   # Debian's Chromium + a CJK font for the browser tests
bash scripts/install-virtuoso.sh  # Debian's Virtuoso for the push and query tests against it
# Line coverage of kg/quantities.py (>= 95%), measured on its own tests: coverage's tracer and the
# deadline tests (which abandon native Oxigraph work in a thread) do not mix.
"$venv/bin/python" -m pytest -q tests/test_quantities.py \
    --cov=kg.data.quantities --cov=kg.data.quantity_words --cov-report=term-missing --cov-fail-under=95 -p no:cacheprovider
exec "$venv/bin/python" -m pytest "$@"
