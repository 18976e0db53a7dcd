"""Debian's Chromium under Playwright, as the browser test and the README screenshot use it.

Playwright's own browser download cannot work here: it drives /usr/bin/chromium (the Debian
package `chromium`), headless.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Without the package a developer's run skips the browser test; CI must run it.
MISSING = not CHROMIUM.exists() and not os.environ.get("CI")
WHY_MISSING = f"{CHROMIUM} is absent (apt-get install chromium); CI=true runs this test regardless"


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()
