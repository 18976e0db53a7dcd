"""Workouts, their logged sets, and the loads learned per exercise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    String,
    Table,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ExerciseLoad, LoggedSet, User, Workout

# The hot path writes through the tables themselves: Core statements skip the ORM's bulk
# statement processing, which showed in the profile of a logged set.
_SETS = cast(Table, LoggedSet.__table__)
_WORKOUTS = cast(Table, Workout.__table__)

FINISHED = "finished"
ACTIVE = "active"
ABANDONED = "abandoned"


async def active(session: AsyncSession, user_id: int, *, lock: bool = False) -> Workout | None:
    query = select(Workout).where(Workout.user_id == user_id, Workout.status == ACTIVE)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


@dataclass(frozen=True)
class Lifted:
    """A logged set as the live message shows it."""

    set_id: int
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int


@dataclass(frozen=True)
class ExerciseSets:
    """The sets of the workout's current exercise: logged so far, and in the last workout
    that had it (for "last time 10 × 37.5 kg")."""

    done: tuple[Lifted, ...] = ()
    last_time: tuple[Lifted, ...] = ()


def _packed_sets(sets: Any, *where: ColumnElement[bool]) -> ScalarSelect[Any]:
    """One string per set (`id:number:reps:other:grams`), joined by commas: a scalar
    subquery, so the sets ride along with the statement that locks the workout."""
    colon: ColumnElement[str] = literal_column("':'")
    one = (
        sql_cast(sets.id, String)
        + colon
        + sql_cast(sets.set_number, String)
        + colon
        + sql_cast(sets.reps, String)
        + colon
        + func.coalesce(sql_cast(sets.reps_other_leg, String), literal_column("''"))
        + colon
        + sql_cast(sets.load_grams, String)
    )
    return select(func.aggregate_strings(one, ",")).where(*where).scalar_subquery()


def _sets_columns(
    workout_id: Any, user_id: Any, exercise: Any
) -> tuple[ScalarSelect[Any], ScalarSelect[Any]]:
    """(this workout's sets of the exercise, the sets of the last other workout with it)."""
    done_sets = _SETS.alias("done_sets")
    done = _packed_sets(
        done_sets.c, done_sets.c.workout_id == workout_id, done_sets.c.exercise == exercise
    )
    newest = _SETS.alias("newest_sets")
    last_workout = (
        select(newest.c.workout_id)
        .where(
            newest.c.user_id == user_id,
            newest.c.exercise == exercise,
            newest.c.workout_id != workout_id,
        )
        .order_by(newest.c.logged_at.desc(), newest.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    last_sets = _SETS.alias("last_sets")
    last = _packed_sets(
        last_sets.c, last_sets.c.workout_id == last_workout, last_sets.c.exercise == exercise
    )
    return done, last


def _unpacked(packed: str | None) -> tuple[Lifted, ...]:
    if not packed:
        return ()
    sets = []
    for one in packed.split(","):
        set_id, number, reps, other, grams = one.split(":")
        sets.append(
            Lifted(int(set_id), int(number), int(reps), int(other) if other else None, int(grams))
        )
    return tuple(sorted(sets, key=lambda lifted: (lifted.set_number, lifted.set_id)))


async def lock_active(
    session: AsyncSession, user_id: int
) -> tuple[Workout, User, ExerciseSets] | None:
    """The user's active workout, its row locked, the user, and the sets of its current
    exercise, in one statement.

    It locks the very row it reads: under PostgreSQL's READ COMMITTED a statement that waited
    for the lock returns the row as the other transaction committed it (or no row once that
    one finished the workout), never the version from before the wait. Locking the workout
    row serialises one user's moves in a workout; SQLite's BEGIN IMMEDIATE serialises all.
    """
    return await _lock_active_where(session, _LOCK_BY_USER, user_id)


def _lock_query(key: ColumnElement[bool]) -> Select[Any]:
    done, last = _sets_columns(Workout.id, Workout.user_id, Workout.exercise)
    return (
        select(Workout, User, done, last)
        .join(User, User.id == Workout.user_id)
        .where(key, Workout.status == ACTIVE)
        .with_for_update(of=Workout)
    )


# Built once: building the sets' subqueries and their cache key on every update was a fifth of
# the bot's CPU per set.
_LOCK_BY_USER = _lock_query(Workout.user_id == bindparam("key"))
_LOCK_BY_WORKOUT = _lock_query(Workout.id == bindparam("key"))


async def _lock_active_where(
    session: AsyncSession, query: Select[Any], key: int
) -> tuple[Workout, User, ExerciseSets] | None:
    row = (await session.execute(query, {"key": key})).one_or_none()
    if row is None:
        return None
    workout, user = row[0], row[1]
    sets = ExerciseSets(_unpacked(row[2]), _unpacked(row[3]))
    # The sets logged so far: set_number - 1 while a set is asked for, all at the effort
    # question. Under READ COMMITTED a statement that waited for the lock returns the row as
    # committed but its subqueries as they were before the wait: then read them again.
    expected = workout.set_number if workout.stage == "effort" else workout.set_number - 1
    if len(sets.done) != expected:
        sets = await exercise_sets(session, workout.id, workout.user_id, workout.exercise)
    return workout, user, sets


# Typed as the columns they meet: Telegram user ids outgrow a 32-bit integer.
_EXERCISE_SETS = select(
    *_sets_columns(
        bindparam("workout", type_=_SETS.c.workout_id.type),
        bindparam("user", type_=_SETS.c.user_id.type),
        bindparam("exercise", type_=_SETS.c.exercise.type),
    )
)


async def exercise_sets(
    session: AsyncSession, workout_id: int, user_id: int, exercise: str
) -> ExerciseSets:
    """The sets of one exercise, as `lock_active` reads them (off the hot path: a move to
    another exercise, a rest ended by the sweep)."""
    values = {"workout": workout_id, "user": user_id, "exercise": exercise}
    row = (await session.execute(_EXERCISE_SETS, values)).one()
    return ExerciseSets(_unpacked(row[0]), _unpacked(row[1]))


async def remember_live_message(
    session: AsyncSession, workout_id: int, message_id: int | None
) -> None:
    """The message that now shows the workout's live set prompt."""
    await session.execute(
        update(_WORKOUTS)
        .where(_WORKOUTS.c.id == workout_id, _WORKOUTS.c.status == ACTIVE)
        .values(prompt_message_id=message_id)
    )


# The hot path's statements, built once: SQLAlchemy then finds their compiled form in its cache
# without rebuilding and hashing a new statement on every set. The VALUES and SET columns come
# from the parameters' names. Index: whether the database is PostgreSQL.
_STORE_SET = tuple(
    dialect_insert(_SETS)
    .on_conflict_do_nothing(index_elements=["user_id", "message_id"])
    .returning(_SETS.c.id)
    for dialect_insert in (sqlite_insert, postgresql_insert)
)
_SAVE_PLACE = update(_WORKOUTS).where(_WORKOUTS.c.id == bindparam("workout"))


async def store_set(
    session: AsyncSession,
    *,
    workout_id: int,
    user_id: int,
    exercise: str,
    set_number: int,
    reps: int,
    reps_other_leg: int | None,
    load_grams: int,
    effort: str | None,
    message_id: int | None,
    logged_at: datetime,
) -> int | None:
    """Stores a set and returns its id; None when its message already logged a set.

    Only the (user, message) key means "already logged": it is the conflict target, so any
    other constraint violation still raises and the user hears about it.
    """
    query = _STORE_SET[session.get_bind().dialect.name == "postgresql"]
    values = {
        "workout_id": workout_id,
        "user_id": user_id,
        "exercise": exercise,
        "set_number": set_number,
        "reps": reps,
        "reps_other_leg": reps_other_leg,
        "load_grams": load_grams,
        "effort": effort,
        "message_id": message_id,
        "logged_at": logged_at,
    }
    found = (await session.execute(query, values)).scalar_one_or_none()
    return None if found is None else int(found)


async def save_place(
    session: AsyncSession,
    workout_id: int,
    *,
    exercise: str,
    set_number: int,
    stage: str,
    step: int,
    load_grams: int | None,
    rest_until: datetime | None,
    skipped: str,
) -> None:
    """Where the user is in the workout, in one UPDATE (no ORM flush on the hot path)."""
    await session.execute(
        _SAVE_PLACE,
        {
            "workout": workout_id,
            "exercise": exercise,
            "set_number": set_number,
            "stage": stage,
            "step": step,
            "load_grams": load_grams,
            "rest_until": rest_until,
            "skipped": skipped,
        },
    )


async def store_effort(session: AsyncSession, workout_id: int, effort: str) -> None:
    """How the workout's newest set felt."""
    newest = (
        select(func.max(LoggedSet.id)).where(LoggedSet.workout_id == workout_id).scalar_subquery()
    )
    await session.execute(
        update(LoggedSet)
        .where(LoggedSet.id == newest)
        .values(effort=effort)
        .execution_options(synchronize_session=False)
    )


async def finished_dates(session: AsyncSession, user_id: int) -> list[date]:
    """Local dates of the user's finished workouts, oldest first."""
    query = (
        select(Workout.local_date)
        .where(Workout.user_id == user_id, Workout.status == FINISHED)
        .order_by(Workout.local_date)
    )
    return list((await session.execute(query)).scalars())


async def sets_done_per_workout(session: AsyncSession, user_id: int) -> list[tuple[int, int]]:
    """(sets per exercise, sets logged) of each finished workout, oldest first."""
    query = (
        select(Workout.sets_per_exercise, func.count(LoggedSet.id))
        .outerjoin(LoggedSet, LoggedSet.workout_id == Workout.id)
        .where(Workout.user_id == user_id, Workout.status == FINISHED)
        .group_by(Workout.id, Workout.sets_per_exercise, Workout.local_date)
        .order_by(Workout.local_date, Workout.id)
    )
    return [(planned, int(done)) for planned, done in (await session.execute(query)).all()]


async def last_move(session: AsyncSession, workout: Workout) -> datetime:
    """When the workout last moved: its newest set, or its start before any set."""
    query = select(func.max(LoggedSet.logged_at)).where(LoggedSet.workout_id == workout.id)
    newest = (await session.execute(query)).scalar_one_or_none()
    return workout.started_at if newest is None else max(newest, workout.started_at)


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


async def active_users(session: AsyncSession) -> list[int]:
    """Users with a workout running (a few at any time: those at the gym, and those who left)."""
    query = select(Workout.user_id).where(Workout.status == ACTIVE)
    return list((await session.execute(query)).scalars())


async def claim_rest(
    session: AsyncSession, workout_id: int, now: datetime
) -> tuple[Workout, User, ExerciseSets] | None:
    """One workout whose rest is over, its rest cleared so only one timer or sweep prompts."""
    found = await _lock_active_where(session, _LOCK_BY_WORKOUT, workout_id)
    if found is None or found[0].rest_until is None or found[0].rest_until > now:
        return None
    await session.execute(
        update(Workout)
        .where(Workout.id == workout_id)
        .values(rest_until=None)
        # The caller ends the rest the row still holds in memory.
        .execution_options(synchronize_session=False)
    )
    return found


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
            # The claimed rows keep their rest in memory: the caller ends that rest.
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(workout)
    return claimed
