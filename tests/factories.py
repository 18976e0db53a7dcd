"""Rows for tests, written through the ORM: users and finished workouts with their sets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.exercises import EXERCISES
from bot.storage.database import Database
from bot.storage.models import ExerciseLoad, LoggedSet, User, Workout

# (reps, load in grams) or (reps, reps of the other leg, load in grams) for the lunge.
SetSpec = tuple[int, int] | tuple[int, int, int]


async def add_user(
    db: Database,
    user_id: int,
    *,
    first_name: str = "Test",
    unit: str = "kg",
    time_zone: str = "UTC",
    days: tuple[int, int] | None = None,
) -> None:
    async with db.writing() as session:
        session.add(
            User(
                id=user_id,
                first_name=first_name,
                unit=unit,
                time_zone=time_zone,
                day_one=days[0] if days else None,
                day_two=days[1] if days else None,
                time_zone_confirmed=True,
                onboarded=True,
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )


async def add_workout(
    db: Database,
    user_id: int,
    day: date,
    sets: Mapping[str, Sequence[SetSpec]],
    *,
    at: time = time(18, 0),
    minutes: int = 45,
    effort: str | None = "ok",
    status: str = "finished",
) -> int:
    """A workout on a local date with the given sets per exercise slug; returns its id."""
    async with db.writing() as session:
        user = await session.get(User, user_id)
        assert user is not None, "add_user first"
        started = datetime.combine(day, at, tzinfo=ZoneInfo(user.time_zone)).astimezone(UTC)
        workout = Workout(
            user_id=user_id,
            status=status,
            started_at=started,
            finished_at=started + timedelta(minutes=minutes) if status == "finished" else None,
            local_date=day,
            sets_per_exercise=max((len(s) for s in sets.values()), default=3),
            exercise=EXERCISES[-1].slug,
            set_number=1,
            stage="set",
            step=0,
            skipped="",
        )
        session.add(workout)
        await session.flush()
        moment = started
        for slug, specs in sets.items():
            for number, spec in enumerate(specs, start=1):
                moment += timedelta(minutes=1)
                reps, other, load = spec if len(spec) == 3 else (spec[0], None, spec[1])
                session.add(
                    LoggedSet(
                        workout_id=workout.id,
                        user_id=user_id,
                        exercise=slug,
                        set_number=number,
                        reps=reps,
                        reps_other_leg=other,
                        load_grams=load,
                        effort=effort if number == len(specs) else None,
                        logged_at=moment,
                    )
                )
        return workout.id


async def set_next_load(
    db: Database, user_id: int, exercise: str, load_grams: int, change: str, why: str
) -> None:
    async with db.writing() as session:
        session.add(
            ExerciseLoad(
                user_id=user_id,
                exercise=exercise,
                load_grams=load_grams,
                change=change,
                why=why,
                reached_top_last_time=False,
                updated_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )


async def add_year(db: Database, user_id: int, last_day: date, weeks: int = 52) -> int:
    """Two workouts a week (Monday, Thursday) for `weeks` weeks, loads creeping up."""
    monday = last_day - timedelta(days=last_day.weekday()) - timedelta(weeks=weeks - 1)
    count = 0
    for week in range(weeks):
        for offset in (0, 3):
            day = monday + timedelta(weeks=week, days=offset)
            if day > last_day:
                break
            await add_workout(
                db,
                user_id,
                day,
                {
                    "deadlift": [(12, 30_000 + 2_500 * (count // 8))] * 2
                    + [(10, 30_000 + 2_500 * (count // 8))] * 2,
                    "leg_curl": [(11, 20_000 + 5_000 * (count // 24))] * 4,
                    "squat": [(12, 10_000 + 2_000 * (count // 12))] * 4,
                    "lunge": [(10, 9, 6_000 + 2_000 * (count // 20))] * 4,
                },
            )
            count += 1
    return count
