"""Screenshots of a built report's first screen, desktop (1280 px) and phone (390 px), for docs/.

Usage: python scripts/screenshots.py REPORT.html OUT_PREFIX  (writes OUT_PREFIX-desktop.png, -phone.png, -dark.png)
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
DARK = ("dark", (1280, 900))  # the desktop width in the dark colour scheme


def main(report: str, prefix: str) -> None:
    """Open the report in Debian's chromium at each width and save the first screen."""
    url = Path(report).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"))
        for name, (width, height) in [*WIDTHS.items(), DARK]:
            scheme = "dark" if name == "dark" else "light"
            page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
            page.goto(url)
            page.wait_for_timeout(500)
            page.screenshot(path=f"{prefix}-{name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
