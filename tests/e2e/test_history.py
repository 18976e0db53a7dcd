"""/history: pages of past workouts, newest first, and the sets of the one tapped."""

from __future__ import annotations

from datetime import date, timedelta

from bot.storage.database import Database
from tests.e2e.harness import RunningBot
from tests.factories import add_user, add_workout
from tests.fakes.bot_api import BotMessage, FakeBotAPI

FIRST = date(2025, 3, 3)  # a Monday; then every Monday and Thursday


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def test_history_pages_back_and_forth_and_shows_a_workouts_sets(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 4001, first_name="Cy")
    days = [FIRST + timedelta(days=7 * (n // 2) + 3 * (n % 2)) for n in range(12)]
    for number, day in enumerate(days, start=1):
        await add_workout(
            db,
            4001,
            day,
            {"deadlift": [(10, 40_000 + 500 * number)] * 3, "lunge": [(10, 9, 8_000)] * 3},
            minutes=40 + number,
            effort="hard",
        )
    await add_workout(db, 4001, date(2025, 4, 20), {}, status="abandoned")

    cy = fake.user(4001, "Cy")
    await cy.send("/history")
    page = await cy.reply()
    assert "1–5 of 12, newest first" in text_of(page)
    # Newest first: the 12th workout (Thu 10 Apr) leads, with its 6 sets and 52 minutes.
    assert text_of(page).index("Thu 10 Apr 2025 · 6 sets · 52 min") < text_of(page).index(
        "Mon 7 Apr 2025"
    )
    assert page.buttons()[-1] == ["Next ▶"]
    assert len(page.buttons()) == 6

    await cy.tap("Next ▶", message=page)
    page = await cy.wait_edit(page.message_id)
    assert "6–10 of 12" in text_of(page)
    assert page.buttons()[-1] == ["◀ Previous", "Next ▶"]
    await cy.tap("Next ▶", message=page)
    page = await cy.wait_edit(page.message_id)
    assert "11–12 of 12" in text_of(page)
    assert "Thu 6 Mar 2025" in text_of(page) and "Mon 3 Mar 2025" in text_of(page)
    assert page.buttons()[-1] == ["◀ Previous"]
    await cy.tap("◀ Previous", message=page)
    page = await cy.wait_edit(page.message_id)
    assert "6–10 of 12" in text_of(page)

    # Tapping a workout shows its sets; the history message stays as it was.
    await cy.tap("Thu 20 Mar 2025", message=page)
    sets = await cy.reply()
    assert "Thursday 20 March 2025 · 46 min" in text_of(sets)
    assert "Straight-leg deadlift: 10 × 43 kg, 10 × 43 kg, 10 × 43 kg" in text_of(sets)
    assert (
        "Lunge: 10/9 × 8 kg, 10/9 × 8 kg, 10/9 × 8 kg (each dumbbell) · last set: it was hard"
        in text_of(sets)
    )

    # An old page button past the end (say, after workouts were erased) shows the last page.
    query = await cy.tap_data("h:p:99", page.message_id)
    await cy.callback_answer(query)
    page = await cy.wait_edit(page.message_id)
    assert "11–12 of 12" in text_of(page)


async def test_history_before_any_workout_says_how_to_start(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    dee = fake.user(4002, "Dee")
    await dee.send("/history")
    empty = await dee.reply()
    assert "No finished workouts yet" in text_of(empty) and "/start_workout" in text_of(empty)
