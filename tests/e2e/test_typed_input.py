"""Odd but common typing (issue 12 §4): "3x10", a load far from the last one, "hi" first."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import LoggedSet
from tests.e2e.harness import RunningBot
from tests.factories import add_user, set_next_load
from tests.fakes.bot_api import FakeBotAPI, FakeUser


async def logged(db: Database, user_id: int) -> list[tuple[int, int | None, int]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(LoggedSet.reps, LoggedSet.reps_other_leg, LoggedSet.load_grams)
            .where(LoggedSet.user_id == user_id)
            .order_by(LoggedSet.id)
        )
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def at_the_deadlift(db: Database, fake: FakeBotAPI, user_id: int) -> FakeUser:
    await add_user(db, user_id)
    await set_next_load(db, user_id, "deadlift", 40_000, "hold", "in_range")
    user = fake.user(user_id, "Sam")
    await user.send("/start_workout")
    await user.changes(2)
    return user


async def test_3x10_asks_which_was_meant_and_logs_the_sets_due_at_the_current_load(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    sam = await at_the_deadlift(db, fake, 9301)
    await sam.send("3x10")
    question = await sam.reply()
    assert question.buttons() == [["3 sets of 10"], ["3 reps at 10 kg"]], question.buttons()
    assert await logged(db, 9301) == []  # nothing until answered, and no "take it down"
    await bot.restart()  # the question lives in its buttons, not in memory
    await sam.tap("3 sets of 10", message=question)
    settled, live = await sam.changes(2)
    assert settled.message_id == question.message_id
    for number in (1, 2, 3):
        assert f"✅ Set {number} · 10 × 40 kg" in (live.text or ""), live.text
    assert "2 more reps" in (live.text or "")
    assert await logged(db, 9301) == [(10, None, 40_000)] * 3
    assert settled.buttons() == []  # settled


async def test_3x10_can_still_mean_3_reps_at_10_kg(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    sam = await at_the_deadlift(db, fake, 9302)
    await sam.send("3 x 10")
    question = await sam.reply()
    await sam.tap("3 reps at 10 kg", message=question)
    await sam.changes(2)
    assert await logged(db, 9302) == [(3, None, 10_000)]


async def test_a_load_far_from_the_last_one_is_confirmed_before_it_is_logged(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    sam = await at_the_deadlift(db, fake, 9303)
    await sam.send("10 x 400")  # 40 meant
    question = await sam.reply()
    assert question.buttons() == [["Log 400 kg"], ["It was 40 kg"]], question.buttons()
    assert await logged(db, 9303) == []
    await sam.tap("It was 40 kg", message=question)
    await sam.changes(2)
    await sam.send("10 x 15")
    question = await sam.reply()
    await sam.tap("Log 15 kg", message=question)
    await sam.changes(2)
    assert await logged(db, 9303) == [(10, None, 40_000), (10, None, 15_000)]
    await sam.send("10 x 37.5")  # a step away from the 15 kg just lifted? no: far, asked
    assert (await sam.reply()).buttons() == [["Log 37.5 kg"], ["It was 15 kg"]]


async def test_a_hello_before_start_points_to_start(bot: RunningBot, fake: FakeBotAPI) -> None:
    new = fake.user(9304, "New")
    await new.send("hi")
    hello = (await new.reply()).text or ""
    assert "/start" in hello and "No workout" not in hello, hello


async def test_3x10_before_any_load_is_known_offers_the_one_reading_it_can_log(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 9305)
    new = fake.user(9305, "New")
    await new.send("/start_workout")
    await new.changes(2)
    await new.send("3x10")
    question = await new.reply()
    assert question.buttons() == [["3 reps at 10 kg"]], question.buttons()
    assert "10 x 20" in (question.text or "")
    assert await logged(db, 9305) == []
