"""The workout's rules end to end: rest-day guard, 4 sets later on, skip/end/cancel, rests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import time_machine
from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import LoggedSet, User, Workout
from tests.clock import day_text, next_weekday
from tests.e2e.harness import RunningBot, reading, settings_for
from tests.fakes.bot_api import FakeBotAPI, FakeUser

THURSDAY = 3


async def one_set_workout(user: FakeUser) -> None:
    """Starts a workout, logs one deadlift set, ends it."""
    await user.send("/start_workout")
    await user.changes(2)
    await user.send("10 x 40")
    await user.changed()
    await user.send("/end")
    assert "Workout done" in ((await user.changes(2))[-1].text or "")


async def count(db_url: str, model: type, **where: object) -> int:
    async with reading(db_url) as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int((await session.execute(query)).scalar_one())


async def test_rest_day_guard_warns_and_train_anyway_works(
    bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(3001, "Ann")  # no zone chosen: UTC
    thursday = next_weekday(datetime.now(UTC), THURSDAY, time(18, 0))
    clock.move_to(thursday)
    await one_set_workout(ann)
    clock.shift(timedelta(days=2))  # Saturday: only one rest day since Thursday
    await ann.send("/start_workout")
    warning = await ann.reply()
    assert day_text(thursday.date()) in (warning.text or "")
    # Until the user picks days, the programme's Monday and Thursday apply.
    monday = thursday.date() + timedelta(days=4)
    assert f"{day_text(monday)}, your usual Monday" in (warning.text or "")
    assert warning.buttons() == [["Train anyway", "I'll rest"]]
    await ann.tap("I'll rest")
    assert "rest" in ((await ann.reply()).text or "")
    assert await count(bot.settings.database_url, Workout, status="active") == 0
    await ann.tap("Train anyway", message=warning)
    card, _prompt = await ann.replies(2)
    assert "1/4 · Straight-leg deadlift" in (card.text or "")
    # Three days after: no warning at all.
    await ann.send("/end")
    await ann.changes(2)
    clock.shift(timedelta(days=3))
    await ann.send("/start_workout")
    card, _prompt = await ann.replies(2)
    assert "1/4" in (card.text or "")


async def test_skip_end_and_cancel(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(3003, "Ann")
    await ann.send("/skip")
    assert "No workout is running" in ((await ann.reply()).text or "")
    await ann.send("/start_workout")
    await ann.changes(2)
    await ann.send("/skip")
    skipped, card, _ = await ann.changes(3)
    assert "Straight-leg deadlift: no sets logged" in (skipped.text or "")
    assert "2/4 · Lying leg curl" in (card.text or "")
    await ann.send("12 x 30")
    await ann.changed()
    await ann.send("/cancel")
    question = await ann.reply()
    assert question.buttons() == [["Keep my sets", "Discard them"]]
    keep = question.button_data("Keep my sets")
    await ann.tap("Discard them")
    answered, _folded, closed = await ann.changes(3)
    assert answered.message_id == question.message_id and answered.buttons() == []
    assert "nothing logged" in (closed.text or "")
    assert await count(bot.settings.database_url, LoggedSet, user_id=ann.id) == 0
    # The old question's buttons are gone, and stale if tapped all the same: a toast.
    shown = len(ann.messages)
    query = await ann.tap_data(keep, question.message_id)
    assert "earlier step" in str((await ann.callback_answer(query)).get("text"))
    assert len(ann.messages) == shown

    await ann.send("/start_workout")
    await ann.changes(2)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.send("/cancel")
    await ann.reply()
    await ann.tap("Keep my sets")
    _answered, _folded, summary = await ann.changes(3)
    assert "Straight-leg deadlift</b>: 10 × 40 kg" in summary.html
    assert await count(bot.settings.database_url, LoggedSet, user_id=ann.id) == 1
    assert await count(bot.settings.database_url, Workout, status="finished") == 1


async def test_restart_mid_rest_still_prompts_the_next_set(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Traveller
) -> None:
    bot = RunningBot(settings_for(fake, database_url, rest_seconds=60))
    ann = fake.user(3004, "Ann")
    await bot.start()
    try:
        await ann.send("/start_workout")
        await ann.changes(2)
        await ann.send("10 x 40")
        logged = await ann.changed()
        assert "⏱ Rest until " in (logged.text or "") and "next: set 2, 40 kg" in (
            logged.text or ""
        )
        await bot.restart()  # the rest timer in memory is gone
        assert ann.unread_changes() == []
        clock.shift(timedelta(seconds=61))
        prompt = await ann.changed()
        assert "Set 2 of 3" in (prompt.text or "") and prompt.message_id != logged.message_id
        # Exactly one prompt, even with the sweep running repeatedly.
        await ann.send("/cues")
        assert "form cues" in ((await ann.reply()).text or "")
        assert len(ann.with_set_buttons()) == 1
    finally:
        await bot.stop()


async def test_updates_sent_in_a_burst_are_logged_in_order(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(3005, "Ann")
    await ann.send("/start_workout")
    await ann.replies(2)
    for reply in ("10 x 40", "9", "8"):
        await ann.send(reply)
    # Three confirmations, the effort question, and one next-set prompt: logging early ends a
    # rest, so the prompt for set 2 may never come (set 3's comes unless set 3 is that quick).
    await fake.wait_until(lambda: any("2 more reps" in (m.text or "") for m in ann.messages), 5)
    ann.drain()
    db = Database(bot.settings.database_url)
    try:
        async with db.reading() as session:
            rows = (
                await session.execute(
                    select(LoggedSet.set_number, LoggedSet.reps).order_by(LoggedSet.id)
                )
            ).all()
    finally:
        await db.dispose()
    assert [tuple(row) for row in rows] == [(1, 10), (2, 9), (3, 8)]


async def test_bad_input_mid_workout_changes_nothing(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(3006, "Ann")
    eve = fake.user(3007, "Eve")
    await ann.send("/start_workout")
    await ann.changes(2)
    await ann.send("10 x 40")
    prompt = await ann.changed()
    for text, answer in (
        ("banana", "didn't get that"),
        ("99999999999999999999999999", "more reps than I can log"),
        ("10 x 9000", "beyond what I log"),
        ("0", "Reps start at 1"),
        ("<script>", "didn't get that"),
    ):
        await ann.send(text)
        assert answer in ((await ann.reply()).text or ""), text
    for send in (ann.send_photo, ann.send_voice):
        await send()
        assert "only read reps as text" in ((await ann.reply()).text or "")
    # Forged data, and Eve replaying Ann's button: both refused, nothing logged.
    shown = len(ann.messages)
    query = await ann.tap_data("s:999999:1:10", prompt.message_id)
    assert "earlier step" in str((await ann.callback_answer(query)).get("text"))
    await ann.tap_data("zz:not-ours", prompt.message_id)
    query = await eve.tap_data(prompt.button_data("10"), prompt.message_id)
    assert "earlier step" in str((await eve.callback_answer(query)).get("text"))
    assert len(ann.messages) == shown and eve.messages == []
    assert await count(bot.settings.database_url, LoggedSet, user_id=ann.id) == 1
    assert await count(bot.settings.database_url, LoggedSet, user_id=eve.id) == 0
    assert await count(bot.settings.database_url, User, id=eve.id) == 0
