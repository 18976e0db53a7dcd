"""SQLite is opened the way a busy bot needs it; writers wait instead of failing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.storage import users
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import User


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'coach.db'}")
    await upgrade(db.engine)
    return db


async def test_sqlite_pragmas(sqlite_db: Database) -> None:
    async with sqlite_db.reading() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        # 0 on the loop's thread: waits for another process's lock happen in aiosqlite's
        # thread (test_faults: a briefly locked database makes the bot wait, not fail).
        assert (await session.execute(text("PRAGMA busy_timeout"))).scalar() == 0
    await sqlite_db.dispose()


async def test_concurrent_read_then_write_transactions_all_commit(sqlite_db: Database) -> None:
    """A deferred read-then-write would fail at once with SQLITE_BUSY; IMMEDIATE waits."""
    now = datetime.now(UTC)
    async with sqlite_db.writing() as session:
        await users.get_or_create(session, 1, "Ann", None, now)

    async def rename(n: int) -> None:
        async with sqlite_db.writing() as session:
            user = await users.get(session, 1)
            assert user is not None
            await asyncio.sleep(0)  # let the others in between the read and the write
            user.first_name = f"Ann {n}"

    await asyncio.gather(*(rename(n) for n in range(20)))
    async with sqlite_db.reading() as session:
        name = (await session.execute(select(User.first_name))).scalar_one()
    assert name.startswith("Ann ")
    await sqlite_db.dispose()


async def test_aware_datetimes_round_trip_and_naive_ones_are_refused(db: Database) -> None:
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    async with db.writing() as session:
        await users.get_or_create(session, 7, "Ann", "en", moment)
    async with db.reading() as session:
        user = await users.get(session, 7)
        assert user is not None and user.created_at == moment
        assert user.created_at.tzinfo is UTC
    with pytest.raises(Exception, match="naive datetime"):
        async with db.writing() as session:
            await users.get_or_create(session, 8, "Bob", None, datetime(2026, 1, 1))


async def test_erasing_a_user_cascades(db: Database) -> None:
    now = datetime.now(UTC)
    async with db.writing() as session:
        await users.get_or_create(session, 9, "Ann", None, now)
    async with db.writing() as session:
        await users.erase(session, 9)
    async with db.reading() as session:
        assert await users.get(session, 9) is None
