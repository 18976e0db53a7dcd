"""Reading a user's own past: finished workouts, their sets, and every set for an export.

Every query here takes the asking user's id and filters by it, so one user's numbers can never
reach another's chat, whatever id a button carries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import LoggedSet, Workout
from bot.storage.workouts import FINISHED

# Rows fetched from the database at a time while streaming an export.
EXPORT_BATCH = 500


@dataclass(frozen=True)
class PastSet:
    """A set of a finished workout, with the workout's local date."""

    workout_id: int
    local_date: date
    exercise: str
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int


@dataclass(frozen=True)
class WorkoutLine:
    """One finished workout as the history lists it."""

    id: int
    local_date: date
    started_at: datetime
    finished_at: datetime | None
    sets: int


@dataclass(frozen=True)
class ExportRow:
    workout_id: int
    started_at: datetime
    finished_at: datetime | None
    exercise: str
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int
    effort: str | None
    logged_at: datetime


async def finished_sets(session: AsyncSession, user_id: int) -> list[PastSet]:
    """Every set of the user's finished workouts, oldest workout first, in logging order."""
    query = (
        select(
            LoggedSet.workout_id,
            Workout.local_date,
            LoggedSet.exercise,
            LoggedSet.set_number,
            LoggedSet.reps,
            LoggedSet.reps_other_leg,
            LoggedSet.load_grams,
        )
        .join(Workout, Workout.id == LoggedSet.workout_id)
        .where(
            LoggedSet.user_id == user_id,
            Workout.user_id == user_id,
            Workout.status == FINISHED,
        )
        .order_by(Workout.local_date, Workout.id, LoggedSet.exercise, LoggedSet.set_number)
    )
    return [PastSet(*row) for row in (await session.execute(query)).all()]


async def workout_page(
    session: AsyncSession, user_id: int, offset: int, limit: int
) -> list[WorkoutLine]:
    """Finished workouts, newest first, `limit` of them after skipping `offset`."""
    sets = (
        select(func.count(LoggedSet.id))
        .where(LoggedSet.workout_id == Workout.id, LoggedSet.user_id == user_id)
        .scalar_subquery()
    )
    query = (
        select(Workout.id, Workout.local_date, Workout.started_at, Workout.finished_at, sets)
        .where(Workout.user_id == user_id, Workout.status == FINISHED)
        .order_by(Workout.local_date.desc(), Workout.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [WorkoutLine(*row) for row in (await session.execute(query)).all()]


async def finished_workout(session: AsyncSession, user_id: int, workout_id: int) -> Workout | None:
    """The user's own finished workout with that id; None for anyone else's."""
    query = select(Workout).where(
        Workout.id == workout_id, Workout.user_id == user_id, Workout.status == FINISHED
    )
    return (await session.execute(query)).scalar_one_or_none()


async def sets_of_workout(session: AsyncSession, user_id: int, workout_id: int) -> list[LoggedSet]:
    query = (
        select(LoggedSet)
        .where(LoggedSet.workout_id == workout_id, LoggedSet.user_id == user_id)
        .order_by(LoggedSet.logged_at, LoggedSet.id)
    )
    return list((await session.execute(query)).scalars())


# What an export reads of each set, in `ExportRow`'s order.
_EXPORTED = (
    LoggedSet.workout_id,
    Workout.started_at,
    Workout.finished_at,
    LoggedSet.exercise,
    LoggedSet.set_number,
    LoggedSet.reps,
    LoggedSet.reps_other_leg,
    LoggedSet.load_grams,
    LoggedSet.effort,
    LoggedSet.logged_at,
)


async def every_set(session: AsyncSession, user_id: int) -> AsyncIterator[ExportRow]:
    """Every set the user logged, oldest first, fetched from the database in batches."""
    query = (
        select(*_EXPORTED)
        .join(Workout, Workout.id == LoggedSet.workout_id)
        .where(LoggedSet.user_id == user_id, Workout.user_id == user_id)
        .order_by(Workout.started_at, Workout.id, LoggedSet.logged_at, LoggedSet.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    result = await session.stream(query)
    async for row in result:
        yield ExportRow(*tuple(row))
