"""The next load follows the programme and what was lifted, end to end."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import LoggedSet
from tests.e2e.harness import RunningBot, reading
from tests.factories import add_user
from tests.fakes.bot_api import FakeBotAPI, FakeUser


async def one_exercise_then_end(user: FakeUser, replies: list[str], effort: str) -> str:
    """Logs the deadlift's sets, answers the effort question, ends; returns the summary."""
    await user.send("/start_workout")
    await user.changes(2)
    for reply in replies:
        await user.send(reply)
        await user.changed()
    await user.tap(effort)
    await user.changes(3)  # the deadlift's message folded, the leg curl's card and prompt
    await user.send("/end")
    _folded, summary = await user.changes(2)
    assert "Workout done" in (summary.text or "")
    return summary.text or ""


async def test_reps_well_past_twelve_mean_heavier_next_time(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(9001, "Ann")
    summary = await one_exercise_then_end(ann, ["15 x 20", "18 x 20", "20 x 20"], "Yes, easily")
    # Sized for about 10 reps from 20 × 20 kg (Epley), rounded down to the bar's 2.5 kg steps.
    assert "Next time: up to 25 kg" in summary, summary


async def test_the_next_load_follows_the_heaviest_load_that_met_the_range(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 9002, first_name="Lou", unit="lb")
    lou = fake.user(9002, "Lou")
    summary = await one_exercise_then_end(lou, ["10 x 95", "12 x 100", "10 x 100"], "Just about")
    assert "Next time: stay at 100 lb" in summary, summary


async def test_lunge_legs_typed_as_people_write_them(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(9003, "Ann")
    await ann.send("/start_workout")
    await ann.changes(2)
    for _ in range(3):
        await ann.send("/skip")
        await ann.changes(3)
    for typed, shown in (
        ("L10 R9 x 12", "Set 1 · 10/9 × 12 kg"),
        ("9 each leg", "Set 2 · 9 × 12 kg"),
    ):
        await ann.send(typed)
        done = await ann.changed()
        assert shown in (done.text or ""), typed
    async with reading(bot.settings.database_url) as session:
        rows = await session.execute(
            select(LoggedSet.reps, LoggedSet.reps_other_leg).where(LoggedSet.user_id == ann.id)
        )
        assert sorted(tuple(row) for row in rows.all()) == [(9, 9), (10, 9)]
