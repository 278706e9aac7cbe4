#!/usr/bin/env bash
# Install Debian's nginx for the tests that authenticate with HTTP Basic against a real server that
# asks (tests/process/test_basic_auth.py: nginx with auth_basic in front of oxigraph serve).
# Idempotent: does nothing when it is already there. The tests start their own scratch nginx on
# loopback with their own configuration; nothing here starts or enables one.
# Where the package cannot be installed, say so and go on: those tests then skip with the reason.
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
if ! { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y \
        --no-install-recommends nginx-light; }; then
    echo "install-nginx.sh: could not install nginx-light; the Basic auth tests will skip" >&2
fi
