"""Workouts, their logged sets, and the loads learned per exercise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import violates
from bot.storage.models import ExerciseLoad, LoggedSet, User, Workout

# The unique (user, message) key on logged sets, as the naming convention names it.
DUPLICATE_MESSAGE_KEY = "uq_logged_sets_user_id"

FINISHED = "finished"
ACTIVE = "active"
ABANDONED = "abandoned"


async def active(session: AsyncSession, user_id: int, *, lock: bool = False) -> Workout | None:
    query = select(Workout).where(Workout.user_id == user_id, Workout.status == ACTIVE)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def user_and_active(
    session: AsyncSession, user_id: int
) -> tuple[User | None, Workout | None]:
    """The user, their row locked, then their active workout.

    Locking the user row serialises one user's writes on PostgreSQL (other users go on);
    SQLite's BEGIN IMMEDIATE already serialises every writer. The workout is read by a second
    statement on purpose: under READ COMMITTED a statement that waited for the lock still sees
    the rows it joined as they were when it began, so one query would hand back the workout as
    it was before the other instance's set was committed.
    """
    user = (
        await session.execute(select(User).where(User.id == user_id).with_for_update())
    ).scalar_one_or_none()
    if user is None:
        return None, None
    return user, await active(session, user_id)


def is_redelivered_set(error: IntegrityError) -> bool:
    """Whether inserting a set broke the one-set-per-message key: that message is logged."""
    return violates(error, DUPLICATE_MESSAGE_KEY, "logged_sets.user_id, logged_sets.message_id")


async def finished_dates(session: AsyncSession, user_id: int) -> list[date]:
    """Local dates of the user's finished workouts, oldest first."""
    query = (
        select(Workout.local_date)
        .where(Workout.user_id == user_id, Workout.status == FINISHED)
        .order_by(Workout.local_date)
    )
    return list((await session.execute(query)).scalars())


async def count_finished(session: AsyncSession, user_id: int) -> int:
    query = select(func.count()).where(Workout.user_id == user_id, Workout.status == FINISHED)
    return int((await session.execute(query)).scalar_one())


async def sets_of(session: AsyncSession, workout_id: int) -> list[LoggedSet]:
    query = select(LoggedSet).where(LoggedSet.workout_id == workout_id).order_by(LoggedSet.id)
    return list((await session.execute(query)).scalars())


async def last_set(session: AsyncSession, workout_id: int) -> LoggedSet | None:
    query = (
        select(LoggedSet)
        .where(LoggedSet.workout_id == workout_id)
        .order_by(LoggedSet.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def set_by_message(session: AsyncSession, user_id: int, message_id: int) -> LoggedSet | None:
    query = select(LoggedSet).where(
        LoggedSet.user_id == user_id, LoggedSet.message_id == message_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def delete_sets(session: AsyncSession, workout_id: int) -> None:
    await session.execute(delete(LoggedSet).where(LoggedSet.workout_id == workout_id))


async def earlier_sets(
    session: AsyncSession, user_id: int, exercise: str, workout_id: int
) -> list[tuple[int, int]]:
    """(reps, load) of every earlier finished set of this exercise, for record checks."""
    query = (
        select(LoggedSet.reps, LoggedSet.load_grams)
        .join(Workout, Workout.id == LoggedSet.workout_id)
        .where(
            LoggedSet.user_id == user_id,
            LoggedSet.exercise == exercise,
            LoggedSet.workout_id != workout_id,
            Workout.status == FINISHED,
        )
    )
    return [(reps, load) for reps, load in (await session.execute(query)).all()]


async def loads(session: AsyncSession, user_id: int) -> dict[str, ExerciseLoad]:
    query = select(ExerciseLoad).where(ExerciseLoad.user_id == user_id)
    return {row.exercise: row for row in (await session.execute(query)).scalars()}


async def save_load(
    session: AsyncSession,
    user_id: int,
    exercise: str,
    load_grams: int | None,
    change: str,
    why: str,
    reached_top: bool,
    now: datetime,
) -> None:
    row = await session.get(ExerciseLoad, (user_id, exercise))
    if row is None:
        row = ExerciseLoad(user_id=user_id, exercise=exercise)
        session.add(row)
    row.load_grams = load_grams
    row.change = change
    row.why = why
    row.reached_top_last_time = reached_top
    row.updated_at = now


async def claim_finished_rests(session: AsyncSession, now: datetime) -> Sequence[Workout]:
    """Active workouts whose rest is over; their rest is cleared so only one sweeper prompts."""
    query = (
        select(Workout)
        .where(Workout.status == ACTIVE, Workout.rest_until.is_not(None), Workout.rest_until <= now)
        .with_for_update(skip_locked=True)
    )
    due = list((await session.execute(query)).scalars())
    claimed = []
    for workout in due:
        result = await session.execute(
            update(Workout)
            .where(Workout.id == workout.id, Workout.rest_until == workout.rest_until)
            .values(rest_until=None)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(workout)
    return claimed
