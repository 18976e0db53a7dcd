import pytest

from bot.domain.exercises import EXERCISES
from bot.domain.program import (
    MIN_REST_DAYS,
    REP_MAX,
    REP_MIN,
    REST_SECONDS,
    WORKOUTS_BEFORE_FOUR_SETS,
    WORKOUTS_PER_WEEK,
    plan_workout,
    sets_per_exercise,
)
from bot.domain.units import Equipment


def test_seed_numbers() -> None:
    # "twice a week", "two days of rest", "eight to 12 repetitions", "rest about a minute"
    assert (WORKOUTS_PER_WEEK, MIN_REST_DAYS) == (2, 2)
    assert (REP_MIN, REP_MAX, REST_SECONDS) == (8, 12, 60)


def test_three_sets_then_four_after_a_few_weeks() -> None:
    assert WORKOUTS_BEFORE_FOUR_SETS == 6
    assert [sets_per_exercise(n) for n in range(8)] == [3, 3, 3, 3, 3, 3, 4, 4]
    with pytest.raises(ValueError):
        sets_per_exercise(-1)


def test_plan_lists_every_exercise_in_order_with_loads() -> None:
    plan = plan_workout(
        6,
        {"deadlift": 40_000, "leg_curl": None, "squat": 12_000},
        {"squat": Equipment.BARBELL},
    )
    assert [p.exercise for p in plan] == list(EXERCISES)
    assert all((p.sets, p.rep_min, p.rep_max) == (4, 8, 12) for p in plan)
    assert [p.load_grams for p in plan] == [40_000, None, 12_000, None]
    assert [p.equipment for p in plan] == [
        Equipment.BARBELL,
        Equipment.MACHINE,
        Equipment.BARBELL,
        Equipment.DUMBBELLS,
    ]


def test_first_workout_plan_has_no_loads() -> None:
    plan = plan_workout(0, {}, {})
    assert all(p.sets == 3 and p.load_grams is None for p in plan)


def test_equipment_must_suit_the_exercise() -> None:
    with pytest.raises(ValueError):
        plan_workout(0, {}, {"deadlift": Equipment.MACHINE})
