"""Only the one-set-per-message key means "already logged"; other key clashes are errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from bot.storage.database import Database
from bot.storage.workouts import store_set
from tests.factories import add_user, add_workout


async def log(db: Database, workout_id: int, number: int, message_id: int) -> int | None:
    async with db.writing() as session:
        return await store_set(
            session,
            workout_id=workout_id,
            user_id=1,
            exercise="deadlift",
            set_number=number,
            reps=10,
            reps_other_leg=None,
            load_grams=40_000,
            effort=None,
            message_id=message_id,
            logged_at=datetime.now(UTC),
        )


async def test_the_same_message_twice_is_a_redelivery(db: Database) -> None:
    await add_user(db, 1)
    workout = await add_workout(db, 1, date(2026, 11, 2), {}, status="active")
    assert await log(db, workout, 1, message_id=50) is not None
    assert await log(db, workout, 2, message_id=50) is None


async def test_a_set_number_taken_twice_is_not_a_redelivery(db: Database) -> None:
    await add_user(db, 1)
    workout = await add_workout(db, 1, date(2026, 11, 2), {}, status="active")
    await log(db, workout, 1, message_id=50)
    with pytest.raises(IntegrityError):
        await log(db, workout, 1, message_id=51)
