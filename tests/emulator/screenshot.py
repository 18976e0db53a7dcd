"""Takes docs/try-in-a-browser.png: the chat page mid-workout, in headless Chromium.

.venv/bin/python -m tests.emulator.screenshot
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import Page, expect

from bot.tryout import TryOut
from tests.emulator.browser import chromium

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "try-in-a-browser.png"


async def _say(page: Page, text: str, answer: str) -> None:
    await page.fill("#input", text)
    await page.press("#input", "Enter")
    await expect(page.locator(".row.bot", has_text=answer).last).to_be_visible()


async def _rest_a_minute(page: Page, prompt: str) -> None:
    await page.locator("#clock-buttons button", has_text="+1 min").click()
    await expect(page.locator(".row.bot", has_text=prompt).last).to_be_visible()


async def take(output: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tryout = TryOut(f"sqlite+aiosqlite:///{Path(folder) / 'coach.db'}")
        await tryout.start()
        try:
            async with chromium() as browser:
                page = await browser.new_page(viewport={"width": 760, "height": 980})
                await page.goto(f"{tryout.url}?name=Ann")
                await _say(page, "/start_workout", "Set 1 of 3")
                await _say(page, "10 x 40", "✅ Set 1 · 10 × 40 kg")
                await _rest_a_minute(page, "Set 2 of 3")
                prompt = page.locator(".row.bot", has_text="Set 2 of 3").last
                await prompt.locator(".inline-keyboard button", has_text="11").first.click()
                await expect(page.locator(".row.bot", has_text="set 2 of 3").last).to_be_visible()
                await _rest_a_minute(page, "Set 3 of 3")
                await page.wait_for_timeout(300)  # the last scroll settles
                await page.screenshot(path=str(output))
        finally:
            await tryout.stop()


if __name__ == "__main__":
    asyncio.run(take(OUTPUT))
    print(f"wrote {OUTPUT}")
