#!/usr/bin/env bash
# Install the system packages a purpose needs, only when they are missing.
#   report: Pango and a font, for WeasyPrint (PDF)
#   test:   the above, and a Chromium for the browser tests (Debian's; one that
#           Playwright installed itself with `playwright install chromium` also counts),
#           and poppler's pdftotext for the PDF tests; npm (axe-core, vnu-jar: `make node`) and
#           Java (the Nu HTML Checker, vnu.jar) for the HTML report's accessibility tests
set -euo pipefail
purpose="${1:-test}"
packages=()

if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so"; then
    packages+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if ! fc-list 2>/dev/null | grep -qi "dejavu"; then
    packages+=(fonts-dejavu-core fontconfig)
fi
if [ "$purpose" = "test" ]; then
    if ! command -v chromium >/dev/null 2>&1 \
        && ! compgen -G "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}/chromium*" >/dev/null 2>&1; then
        packages+=(chromium)
    fi
    if ! command -v pdftotext >/dev/null 2>&1; then
        packages+=(poppler-utils)  # the PDF's text in reading order, as a screen reader gets it
    fi
    if ! command -v java >/dev/null 2>&1; then
        packages+=(default-jre-headless)  # runs vnu.jar, the Nu HTML Checker
    fi
    if ! command -v npm >/dev/null 2>&1; then
        packages+=(npm)  # installs axe-core and vnu-jar from package-lock.json
    fi
fi
[ ${#packages[@]} -eq 0 ] && exit 0

echo "system-deps: installing ${packages[*]} with apt-get (a minute or so)"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
    echo "system-deps: missing ${packages[*]} and no apt-get to install them; install them with your package manager" >&2
    echo "  (for the browser tests, '.venv/bin/playwright install chromium' also works)" >&2
    exit 1
fi
