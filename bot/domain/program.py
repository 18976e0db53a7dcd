"""The toning programme as one value: the lifts in order, reps, sets, rest and rest days.

Everything else (texts, keyboards, charts, settings, the workout itself) reads it from here,
so a change to the programme is a change to this value and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.exercises import EXERCISES, Exercise
from bot.domain.units import Equipment


@dataclass(frozen=True)
class Programme:
    exercises: tuple[Exercise, ...]  # in workout order
    rep_min: int = 8
    rep_max: int = 12  # 8-12 reps tones; the load should make 12 hard
    sets_at_first: int = 3
    sets_later: int = 4
    workouts_before_more_sets: int = 6  # "a few weeks" at two a week
    rest_seconds: int = 60  # about a minute between sets
    workouts_per_week: int = 2
    min_rest_days: int = 2  # full days off between workouts

    def __post_init__(self) -> None:
        slugs = [e.slug for e in self.exercises]
        if not slugs or len(set(slugs)) != len(slugs):
            raise ValueError("a programme needs exercises, each once")
        if not 0 < self.rep_min <= self.rep_max or not 0 < self.sets_at_first <= self.sets_later:
            raise ValueError("rep range and sets must be positive and ordered")

    def sets_per_exercise(self, completed_workouts: int) -> int:
        if completed_workouts < 0:
            raise ValueError("completed_workouts cannot be negative")
        if completed_workouts >= self.workouts_before_more_sets:
            return self.sets_later
        return self.sets_at_first

    def counts_towards_more_sets(self, sets_done: int, sets_per_exercise: int) -> bool:
        """A workout counts towards the switch to more sets only if at least half of its
        sets were done: a workout ended after one exercise is not one of the "few weeks"."""
        planned = sets_per_exercise * len(self.exercises)
        return planned > 0 and 2 * sets_done >= planned

    def exercise(self, slug: str) -> Exercise:
        """The exercise with this slug; KeyError for one the programme doesn't hold."""
        for candidate in self.exercises:
            if candidate.slug == slug:
                return candidate
        raise KeyError(slug)

    def holds(self, slug: str) -> bool:
        return any(e.slug == slug for e in self.exercises)

    def position(self, slug: str) -> int:
        """1-based place of the exercise in the workout."""
        return [e.slug for e in self.exercises].index(slug) + 1

    def after(self, slug: str) -> Exercise | None:
        """The exercise that follows `slug`, or None after the last one."""
        place = self.position(slug)
        return self.exercises[place] if place < len(self.exercises) else None

    @property
    def first(self) -> Exercise:
        return self.exercises[0]


# The seed's programme. Read it as `program.PROGRAMME` at call time (not imported by name),
# so that one value is the programme everywhere.
PROGRAMME = Programme(exercises=EXERCISES)


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
    programme: Programme | None = None,
) -> tuple[PlannedExercise, ...]:
    """The day's plan, in workout order. Missing keys mean no known load / default equipment."""
    programme = programme or PROGRAMME
    sets = programme.sets_per_exercise(completed_workouts)
    plan = []
    for ex in programme.exercises:
        kit = equipment.get(ex.slug, ex.default_equipment)
        if kit not in ex.equipment:
            raise ValueError(f"{ex.slug} cannot be done with {kit}")
        plan.append(
            PlannedExercise(
                exercise=ex,
                sets=sets,
                rep_min=programme.rep_min,
                rep_max=programme.rep_max,
                load_grams=loads.get(ex.slug),
                equipment=kit,
            )
        )
    return tuple(plan)
