"""Only the one-set-per-message key means "already logged"; other key clashes are errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from bot.storage.database import Database
from bot.storage.models import LoggedSet
from bot.storage.workouts import is_redelivered_set
from tests.factories import add_user, add_workout


def a_set(workout_id: int, number: int, message_id: int) -> LoggedSet:
    return LoggedSet(
        workout_id=workout_id,
        user_id=1,
        exercise="deadlift",
        set_number=number,
        reps=10,
        load_grams=40_000,
        message_id=message_id,
        logged_at=datetime.now(UTC),
    )


async def clash(db: Database, logged: LoggedSet) -> IntegrityError:
    with pytest.raises(IntegrityError) as raised:
        async with db.writing() as session:
            session.add(logged)
    return raised.value


async def test_the_same_message_twice_is_a_redelivery(db: Database) -> None:
    await add_user(db, 1)
    workout = await add_workout(db, 1, date(2026, 11, 2), {}, status="active")
    async with db.writing() as session:
        session.add(a_set(workout, 1, message_id=50))
    assert is_redelivered_set(await clash(db, a_set(workout, 2, message_id=50)))


async def test_a_set_number_taken_twice_is_not_a_redelivery(db: Database) -> None:
    await add_user(db, 1)
    workout = await add_workout(db, 1, date(2026, 11, 2), {}, status="active")
    async with db.writing() as session:
        session.add(a_set(workout, 1, message_id=50))
    assert not is_redelivered_set(await clash(db, a_set(workout, 1, message_id=51)))
