"""The chat page in a real browser (headless Chromium), in front of the real coach."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from bot.tryout import TryOut
from tests.emulator.browser import MISSING, WHY_MISSING, chromium

pytestmark = pytest.mark.skipif(MISSING, reason=WHY_MISSING)
expect.set_options(timeout=15_000)  # a busy CI machine: Chromium and the coach share 2 cores


@pytest.fixture
async def page(tryout: TryOut) -> AsyncIterator[Page]:
    async with chromium() as browser:
        context = await browser.new_context(
            viewport={"width": 760, "height": 1000}, accept_downloads=True
        )
        tab = await context.new_page()
        problems: list[str] = []
        tab.on("pageerror", lambda error: problems.append(str(error)))
        await tab.goto(f"{tryout.url}?name=Ann")
        yield tab
        await context.close()
        assert problems == [], "the page's script failed"


def bot_message(page: Page, text: str) -> Locator:
    return page.locator(".row.bot", has_text=text).last


def my_message(page: Page, text: str) -> Locator:
    return page.locator(".row.me", has_text=text).last


async def type_message(page: Page, text: str) -> None:
    await page.fill("#input", text)
    await page.press("#input", "Enter")


async def test_a_workout_in_the_browser_from_the_menu_to_the_csv(
    page: Page, tmp_path: Path
) -> None:
    # The command menu comes from the bot's setMyCommands.
    await page.click("#menu-button")
    await page.locator("#menu button", has_text="/start_workout").click()
    card = bot_message(page, "1/4 · Straight-leg deadlift")
    await expect(card).to_be_visible()
    await expect(card.locator("strong").first).to_be_visible()  # <b> drawn as bold, not text
    await expect(card).not_to_contain_text("<b>")

    # A set typed, then (a minute later on the demo clock) a set tapped.
    await type_message(page, "10 x 40")
    await expect(bot_message(page, "✅ Set 1 · 10 × 40 kg")).to_be_visible()
    await page.locator("#clock-buttons button", has_text="+1 min").click()
    await expect(page.locator("#clock-ahead")).to_contain_text("1 min ahead")
    prompt = bot_message(page, "Set 2 of 3")
    await expect(prompt).to_be_visible()
    await prompt.locator(".inline-keyboard button", has_text="11").first.click()
    await expect(bot_message(page, "✅ Set 2 · 11 × 40 kg")).to_be_visible()

    # Editing the typed set corrects it: the bubble changes in place, and the coach says so.
    typed = my_message(page, "10 x 40")
    typed_id = await typed.get_attribute("id")
    await typed.locator(".bubble").click()
    await expect(page.locator("#editing")).to_be_visible()
    await type_message(page, "12 x 40")
    edited = page.locator(f"#{typed_id}")
    await expect(edited).to_contain_text("12 x 40")
    await expect(edited).to_contain_text("edited")
    await expect(bot_message(page, "10 × 40 kg → 12 × 40 kg")).to_be_visible()

    await type_message(page, "/end")
    await expect(bot_message(page, "Workout done")).to_be_visible()

    # /progress, then its chart button: the picture is drawn inline.
    await type_message(page, "/progress")
    report = bot_message(page, "Straight-leg deadlift")
    await report.locator(".inline-keyboard button", has_text="Chart").click()
    chart = page.locator("img.photo").last
    await expect(chart).to_be_visible()
    assert await chart.evaluate("img => img.complete && img.naturalWidth > 300")

    # /export: the CSV downloads with its name, holding the sets.
    await type_message(page, "/export")
    csv_link = page.locator("a.file", has_text=".csv").last
    await expect(csv_link).to_be_visible()
    async with page.expect_download() as download_info:
        await csv_link.click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert len(rows) == 3  # the header and two sets: 12 × 40 (as corrected) and 11 × 40
    assert "12" in rows[1] and "11" in rows[2]

    # The coach edits its own message in place: a question loses its buttons once answered.
    await type_message(page, "/delete_me")
    question = bot_message(page, "Erase everything I store about you?")
    question_id = await question.get_attribute("id")
    await question.locator("button", has_text="No, keep my data").click()
    same = page.locator(f"#{question_id}")
    await expect(same.locator(".inline-keyboard")).to_have_count(0)
    await expect(same).to_contain_text("Erase everything I store about you?")


async def test_the_page_draws_telegrams_formatting_and_nothing_else(page: Page) -> None:
    await expect(page.locator(".welcome button")).to_be_visible()
    # Offsets count UTF-16 code units, as Telegram's do: 💪 is two of them.
    drawn = await page.evaluate(
        """() => {
            const text = "💪 Bold and italic, a link, <b>not markup</b>, /next";
            const box = document.createElement("div");
            box.append(formatted(text, [
                {type: "bold", offset: 3, length: 15},
                {type: "italic", offset: 12, length: 6},
                {type: "text_link", offset: 22, length: 4, url: "javascript:alert(1)"},
                {type: "code", offset: 28, length: 17},
            ]));
            return box.innerHTML;
        }"""
    )
    assert drawn == (
        "💪 <strong>Bold and <em>italic</em></strong>, a <span>link</span>, "
        '<code>&lt;b&gt;not markup&lt;/b&gt;</code>, <span class="command">/next</span>'
    )

    # What a user types is shown as typed, never as markup.
    await type_message(page, "<i>not italic</i> & <script>alert(1)</script>")
    mine = my_message(page, "not italic")
    await expect(mine.locator(".text")).to_have_text(
        "<i>not italic</i> & <script>alert(1)</script>"
    )
    await expect(mine.locator("i, script")).to_have_count(0)
