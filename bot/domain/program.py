"""The toning programme: what a workout holds and how it grows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.exercises import EXERCISES, Exercise
from bot.domain.units import Equipment

REP_MIN = 8
REP_MAX = 12  # 8-12 reps tones; the load should make 12 hard
REST_SECONDS = 60  # about a minute between sets
SETS_AT_FIRST = 3
SETS_LATER = 4
WORKOUTS_BEFORE_FOUR_SETS = 6  # "a few weeks" at two a week
WORKOUTS_PER_WEEK = 2
MIN_REST_DAYS = 2  # full days off between workouts


def sets_per_exercise(completed_workouts: int) -> int:
    if completed_workouts < 0:
        raise ValueError("completed_workouts cannot be negative")
    return SETS_LATER if completed_workouts >= WORKOUTS_BEFORE_FOUR_SETS else SETS_AT_FIRST


@dataclass(frozen=True)
class PlannedExercise:
    exercise: Exercise
    sets: int
    rep_min: int
    rep_max: int
    load_grams: int | None  # None: we don't know yet, ask the user
    equipment: Equipment


def plan_workout(
    completed_workouts: int,
    loads: Mapping[str, int | None],
    equipment: Mapping[str, Equipment],
) -> tuple[PlannedExercise, ...]:
    """The day's plan, in workout order. Missing keys mean no known load / default equipment."""
    sets = sets_per_exercise(completed_workouts)
    plan = []
    for ex in EXERCISES:
        kit = equipment.get(ex.slug, ex.default_equipment)
        if kit not in ex.equipment:
            raise ValueError(f"{ex.slug} cannot be done with {kit}")
        plan.append(
            PlannedExercise(
                exercise=ex,
                sets=sets,
                rep_min=REP_MIN,
                rep_max=REP_MAX,
                load_grams=loads.get(ex.slug),
                equipment=kit,
            )
        )
    return tuple(plan)
