"""Logging a set is one short unit of work: at most 4 SQL statements, typed or tapped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from bot.chat.common import Coach
from tests.e2e.harness import RunningBot, settings_for
from tests.fakes.bot_api import FakeBotAPI, FakeUser

MAX_STATEMENTS_PER_SET = 4
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.fixture
async def quiet_bot(fake: FakeBotAPI, database_url: str) -> AsyncIterator[RunningBot]:
    """A bot whose background jobs stay out of the way: no sweep, no rest ending, meanwhile."""
    running = RunningBot(settings_for(fake, database_url, rest_seconds=600, sweep_seconds=3600))
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@contextmanager
def statements(bot: RunningBot) -> Iterator[list[str]]:
    """Every SQL statement the bot runs inside the block, transaction control left out."""
    assert bot.application is not None
    coach = bot.application.bot_data["coach"]
    assert isinstance(coach, Coach)
    engine = coach.db.engine.sync_engine
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def start_with_a_known_load(user: FakeUser) -> None:
    await user.send("/start_workout")
    await user.changes(2)  # the card, the live message
    await user.send("10 x 40")  # the first set teaches the load
    await user.changed()  # logged into the live message; the rest runs 10 minutes


async def test_a_typed_set_takes_at_most_four_statements(
    quiet_bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(9101, "Ann")
    await start_with_a_known_load(ann)
    with statements(quiet_bot) as seen:
        await ann.send("11")
        logged = await ann.changed()
    assert "✅ Set 2 · 11 × 40 kg" in (logged.text or "")
    assert len(seen) <= MAX_STATEMENTS_PER_SET, seen


async def test_a_tapped_set_takes_at_most_four_statements(
    quiet_bot: RunningBot, fake: FakeBotAPI
) -> None:
    bea = fake.user(9102, "Bea")
    await start_with_a_known_load(bea)
    await bea.send("9")
    await bea.changed()
    await bea.send("/start_workout")  # shows the live message anew, set 3's rep buttons on it
    await bea.changes(2)
    old = bea.messages[1]  # the first live message, gone once the new one is remembered
    assert await fake.wait_until(lambda: old.deleted, 2.0)
    with statements(quiet_bot) as seen:
        await bea.tap("12")
        logged = await bea.changed()
    assert "✅ Set 3 · 12 × 40 kg" in (logged.text or "") and "2 more reps" in (logged.text or "")
    assert len(seen) <= MAX_STATEMENTS_PER_SET, seen
