"""Past workouts, a page at a time, and the sets of one of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.units import Unit
from bot.services.profile import Kit, kit_of, unit_of
from bot.storage import progress, users, workouts
from bot.storage.database import Database
from bot.storage.progress import WorkoutLine

PAGE_SIZE = 5


@dataclass(frozen=True)
class HistoryPage:
    page: int  # 0 is the newest
    pages: int
    total: int
    workouts: tuple[WorkoutLine, ...]


@dataclass(frozen=True)
class SetLine:
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int
    effort: str | None


@dataclass(frozen=True)
class PastWorkout:
    id: int
    local_date: date
    started_at: datetime
    finished_at: datetime | None
    unit: Unit
    kit: Kit
    exercises: tuple[tuple[Exercise, tuple[SetLine, ...]], ...]


async def history_page(db: Database, user_id: int, page: int) -> HistoryPage | None:
    """One page of the user's finished workouts, newest first; None when there are none.

    A page past the end (an old button after workouts were erased) shows the last page.
    """
    async with db.reading() as session:
        total = await workouts.count_finished(session, user_id)
        if total == 0:
            return None
        pages = -(-total // PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        lines = await progress.workout_page(session, user_id, page * PAGE_SIZE, PAGE_SIZE)
        return HistoryPage(page=page, pages=pages, total=total, workouts=tuple(lines))


async def past_workout(db: Database, user_id: int, workout_id: int) -> PastWorkout | None:
    """The sets of one of the user's own finished workouts; None for any other id."""
    async with db.reading() as session:
        user = await users.get(session, user_id)
        workout = await progress.finished_workout(session, user_id, workout_id)
        if user is None or workout is None:
            return None
        sets = await progress.sets_of_workout(session, user_id, workout_id)
    exercises = []
    for exercise in program.PROGRAMME.exercises:
        mine = tuple(
            SetLine(s.set_number, s.reps, s.reps_other_leg, s.load_grams, s.effort)
            for s in sorted(sets, key=lambda s: s.set_number)
            if s.exercise == exercise.slug
        )
        if mine:
            exercises.append((exercise, mine))
    return PastWorkout(
        id=workout.id,
        local_date=workout.local_date,
        started_at=workout.started_at,
        finished_at=workout.finished_at,
        unit=unit_of(user),
        kit=kit_of(user),
        exercises=tuple(exercises),
    )
