"""Faults on both sides: Telegram refusing or dropping requests, the database going away."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.chat.errors import NOT_SAVED, REPLY_LOST
from bot.storage.models import LoggedSet
from tests.conftest import admin_execute
from tests.e2e.harness import RunningBot, reading
from tests.fakes.bot_api import DROP, HANG, FakeBotAPI, FakeUser


async def sets_logged(bot: RunningBot, user_id: int) -> int:
    async with reading(bot.settings.database_url) as session:
        query = select(func.count()).where(LoggedSet.user_id == user_id)
        return int((await session.execute(query)).scalar_one())


async def mid_workout(user: FakeUser) -> None:
    await user.send("/start_workout")
    await user.changes(2)


async def test_a_429_is_retried_after_the_time_telegram_asks(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(8001, "Ann")
    await mid_workout(ann)
    fake.fail_next(
        "editMessageText",
        status=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
    )
    await ann.send("10 x 40")
    done = await ann.changed(timeout=10)
    assert "✅ Set 1 · 10 × 40 kg" in (done.text or "")
    assert await sets_logged(bot, ann.id) == 1
    edits = [p for m, p in fake.requests if m == "editMessageText" and p.get("chat_id") == ann.id]
    assert len(edits) == 2  # the refused confirmation and its retry


@pytest.mark.parametrize("status", [500, 502, DROP])
async def test_a_failed_reply_keeps_the_set_and_says_so(
    bot: RunningBot, fake: FakeBotAPI, status: int
) -> None:
    ann = fake.user(8002, "Ann")
    await mid_workout(ann)
    fake.fail_next("editMessageText", status=status, description="Internal Server Error")
    await ann.send("10 x 40")
    # The confirmation was lost; the set was committed before it; the user is told.
    message = await ann.reply()
    assert REPLY_LOST in (message.text or "")
    assert await sets_logged(bot, ann.id) == 1
    # Sending the same set again is a new set, as the user meant; the duplicate delivery
    # of the first message is not.
    fake.redeliver(fake.last_update_id)
    await ann.send("/undo")
    assert "Removed" in "".join(m.text or "" for m in await ann.changes(2))
    assert await sets_logged(bot, ann.id) == 0


async def test_a_telegram_timeout_keeps_the_set_and_says_so(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    """python-telegram-bot gives up reading after 5 s; the slow answer arrives later."""
    ann = fake.user(8006, "Ann")
    await mid_workout(ann)
    fake.fail_next("editMessageText", status=HANG, description="slow", retry_after=6)
    await ann.send("10 x 40")
    told = await fake.wait_until(
        lambda: any(REPLY_LOST in (m.text or "") for m in ann.messages), 15
    )
    assert told, [m.text for m in ann.messages]
    assert await sets_logged(bot, ann.id) == 1


async def test_a_blocked_user_gets_no_apology_and_no_crash(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(8003, "Ann")
    await mid_workout(ann)
    fake.blocked_users.add(ann.id)
    await ann.send("10 x 40")
    await fake.wait_until(lambda: len(fake.calls("editMessageText")) >= 1, 5)
    fake.blocked_users.discard(ann.id)
    assert await sets_logged(bot, ann.id) == 1
    await ann.send("/cues")
    assert "form cues" in ((await ann.reply()).text or "")
    assert all(REPLY_LOST not in (m.text or "") for m in ann.messages)


async def test_a_briefly_locked_database_makes_the_bot_wait_not_fail(
    bot: RunningBot, fake: FakeBotAPI, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("a file lock is SQLite's; PostgreSQL is covered by the outage test")
    ann = fake.user(8004, "Ann")
    await mid_workout(ann)
    path = make_url(database_url).database
    assert path is not None
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
    try:
        await ann.send("10 x 40")
        assert not await fake.wait_until(lambda: len(ann.messages) > 2, 0.5)
    finally:
        locker.execute("COMMIT")
        locker.close()
    done = await ann.changed()
    assert "✅ Set 1 · 10 × 40 kg" in (done.text or "")
    assert await sets_logged(bot, ann.id) == 1


async def test_a_database_outage_is_told_and_nothing_is_pretended(
    bot: RunningBot, fake: FakeBotAPI, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("an outage is PostgreSQL's; SQLite is covered by the lock test")
    ann = fake.user(8005, "Ann")
    await mid_workout(ann)
    name = make_url(database_url).database
    await admin_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    await admin_execute(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    )
    try:
        await ann.send("10 x 40")
        assert (await ann.reply()).text == NOT_SAVED
    finally:
        await admin_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    await ann.send("10 x 40")
    done = await ann.changed()
    assert "✅ Set 1 · 10 × 40 kg" in (done.text or "")
    assert await sets_logged(bot, ann.id) == 1
