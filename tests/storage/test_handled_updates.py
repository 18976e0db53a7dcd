"""An update's first write records it; a redelivery of it then changes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.storage import users
from bot.storage.database import AlreadyHandled, Database, handling_update
from bot.storage.models import HandledUpdate, User

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


async def count(db: Database, model: type) -> int:
    async with db.reading() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_redelivered_update_changes_nothing(db: Database) -> None:
    with handling_update(41):
        async with db.writing() as session:
            await users.get_or_create(session, 1, "Ann", None, NOW)
        async with db.writing() as session:  # a second write of the same handling: fine
            await users.get_or_create(session, 2, "Bob", None, NOW)
    with handling_update(41), pytest.raises(AlreadyHandled):  # delivered again
        async with db.writing() as session:
            await users.get_or_create(session, 3, "Eve", None, NOW)
    assert await count(db, User) == 2
    assert await count(db, HandledUpdate) == 1


async def test_a_task_started_while_handling_does_not_record_the_update(db: Database) -> None:
    """A job armed from a handler runs in a copy of its context; its writes are its own.

    Were the job to record the update, a handler that then failed would leave the update
    marked as handled without its change, and the redelivery that should fix it ignored.
    """

    async def job() -> None:
        async with db.writing() as session:
            await users.get_or_create(session, 5, "Job", None, NOW)

    with handling_update(42), pytest.raises(RuntimeError):
        await asyncio.create_task(job())
        async with db.writing() as session:
            await users.get_or_create(session, 6, "Ann", None, NOW)
            raise RuntimeError("the handler fails: its change is rolled back")
    assert await count(db, HandledUpdate) == 0
    with handling_update(42):  # Telegram delivers it again: this time it goes through
        async with db.writing() as session:
            await users.get_or_create(session, 6, "Ann", None, NOW)
    assert await count(db, User) == 2
    assert await count(db, HandledUpdate) == 1


async def test_old_records_are_forgotten(db: Database) -> None:
    with handling_update(43):
        async with db.writing() as session:
            await users.get_or_create(session, 7, "Ann", None, NOW)
    await db.forget_handled_updates(datetime.now(UTC) + timedelta(seconds=1))
    assert await count(db, HandledUpdate) == 0
