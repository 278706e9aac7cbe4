#!/usr/bin/env bash
# Install Debian's Chromium (and a CJK font, so Chinese renders in screenshots) for the
# explorer's browser tests. Idempotent: does nothing when both are already there.
# Never downloads a browser build of its own (no `playwright install`): Playwright drives
# this system Chromium through executable_path="/usr/bin/chromium".
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium fonts-wqy-microhei
