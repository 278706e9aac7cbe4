#!/usr/bin/env bash
# Install Debian's Chromium (and a CJK font, so Chinese renders in screenshots) for the
# explorer's browser tests. Idempotent: does nothing when both are already there.
# Never downloads a browser build of its own (no `playwright install`): Playwright drives
# this system Chromium through executable_path="/usr/bin/chromium".
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser.sh: no apt-get here; install Chromium as /usr/bin/chromium (and a CJK" \
        "font such as WenQuanYi Micro Hei) with this system's package manager" >&2
    exit 3
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium fonts-wqy-microhei
