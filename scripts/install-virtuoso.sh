#!/usr/bin/env bash
# Install Debian's Virtuoso (virtuoso-opensource: virtuoso-t and isql-vt) for the tests that push
# to and query a real Virtuoso (tests/process/test_virtuoso.py). Idempotent: does nothing when it is
# already there. The tests start their own scratch instance on loopback; nothing here starts one.
# Where the package cannot be installed, say so and go on: those tests then skip with the reason.
set -euo pipefail
if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
if ! { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y \
        --no-install-recommends virtuoso-opensource; }; then
    echo "install-virtuoso.sh: could not install virtuoso-opensource; its tests will skip" >&2
fi
