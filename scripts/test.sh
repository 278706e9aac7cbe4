#!/usr/bin/env bash
# Run the whole test suite. This is the README's test command.
# Usage: bash scripts/test.sh [pytest args...]
#
# The tests run in their own virtual environment, .venv-test (or $KG_VENV), so that a `kg serve`
# running from your .venv is never disturbed. Only what is missing is installed: when the
# environment already has everything the tests need, installed from this checkout, pip is not
# run. KG_TEST_READONLY=1 never installs: a missing piece is an error (exit 3).
# Browser tests need /usr/bin/chromium, the Virtuoso tests virtuoso-t, the HTTP Basic tests nginx.
# Where they are absent those tests are skipped, saying so; under CI ($CI set) this script installs
# them (apt, through scripts/install-browser.sh, install-virtuoso.sh and install-nginx.sh), each
# only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${KG_VENV:-.venv-test}"
python="$venv/bin/python"
if [ ! -x "$python" ]; then
    echo "test.sh: creating $venv" >&2
    python3 -m venv "$venv"
fi
# Every distribution pyproject.toml asks for (dependencies and the test extra), and `kg` importable
# from this very checkout (an editable install).
ready='import importlib.metadata as md, json, pathlib, re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
    md.distribution(re.match(r"[A-Za-z0-9_.-]+", requirement).group(0))
origin = json.loads(md.distribution("zhipu-kg").read_text("direct_url.json") or "{}")
editable = origin.get("dir_info", {}).get("editable", False)
sys.exit(not editable or origin.get("url") != pathlib.Path.cwd().as_uri())'
if ! "$python" -c "$ready" 2>/dev/null; then
    if [ -n "${KG_TEST_READONLY:-}" ]; then
        echo "test.sh: $venv lacks something pyproject.toml asks for, or kg is not installed" \
            "from this checkout (pip install -e '.[test]'); KG_TEST_READONLY is set" >&2
        exit 3
    fi
    echo "test.sh: installing what $venv lacks (pip install -e .[test])" >&2
    "$python" -m pip install --quiet -e ".[test]"
fi
if [ -n "${CI:-}" ]; then
    bash scripts/install-browser.sh   # Debian's Chromium + a CJK font; does nothing if present
    bash scripts/install-virtuoso.sh  # Debian's Virtuoso for the push and query tests against it
    bash scripts/install-nginx.sh     # Debian's nginx: HTTP Basic in front of oxigraph serve
else
    if [ ! -x /usr/bin/chromium ]; then
        echo "test.sh: no /usr/bin/chromium: the browser tests will be skipped" \
            "(install it with: bash scripts/install-browser.sh)" >&2
    fi
    if ! command -v virtuoso-t >/dev/null; then
        echo "test.sh: no virtuoso-t: the Virtuoso tests will be skipped" \
            "(install it with: bash scripts/install-virtuoso.sh)" >&2
    fi
    if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
        echo "test.sh: no nginx: the HTTP Basic tests will be skipped" \
            "(install it with: bash scripts/install-nginx.sh)" >&2
    fi
fi
# Line coverage of kg/data/quantities.py, quantity_words.py and quantity_numbers.py (>= 95%),
# measured on their own tests: coverage's tracer and the deadline tests (which abandon native Oxigraph work in a thread)
# do not mix.
"$python" -m pytest -q tests/test_quantities.py \
    --cov=kg.data.quantities --cov=kg.data.quantity_words --cov=kg.data.quantity_numbers \
    --cov-report=term-missing \
    --cov-fail-under=95 -p no:cacheprovider
exec "$python" -m pytest "$@"
