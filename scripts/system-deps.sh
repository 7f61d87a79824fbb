#!/usr/bin/env bash
# Install the system packages the browser tests need, only when they are missing.
# A Chromium that Playwright installed itself (`playwright install chromium`) also counts.
set -euo pipefail

have_chromium() {
    command -v chromium >/dev/null 2>&1 && return 0
    compgen -G "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}/chromium*" >/dev/null 2>&1
}

if have_chromium; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: installing Debian's chromium (for the browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
else
    echo "system-deps: no Chromium found and no apt-get to install one." >&2
    echo "  Install Chromium, or run: .venv/bin/playwright install chromium" >&2
    exit 1
fi
