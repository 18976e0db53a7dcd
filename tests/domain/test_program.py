import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.exercises import EXERCISES
from bot.domain.program import PROGRAMME, Programme, plan_workout
from bot.domain.units import Equipment


def test_seed_numbers() -> None:
    # "twice a week", "two days of rest", "eight to 12 repetitions", "rest about a minute"
    assert (PROGRAMME.workouts_per_week, PROGRAMME.min_rest_days) == (2, 2)
    assert (PROGRAMME.rep_min, PROGRAMME.rep_max, PROGRAMME.rest_seconds) == (8, 12, 60)
    assert PROGRAMME.exercises == EXERCISES


def test_three_sets_then_four_after_a_few_weeks() -> None:
    assert PROGRAMME.workouts_before_more_sets == 6
    assert [PROGRAMME.sets_per_exercise(n) for n in range(8)] == [3, 3, 3, 3, 3, 3, 4, 4]
    with pytest.raises(ValueError):
        PROGRAMME.sets_per_exercise(-1)


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


def test_the_order_of_exercises() -> None:
    assert PROGRAMME.first.slug == "deadlift"
    assert [PROGRAMME.position(e.slug) for e in EXERCISES] == [1, 2, 3, 4]
    assert [PROGRAMME.after(e.slug) for e in EXERCISES] == [*EXERCISES[1:], None]
    assert PROGRAMME.holds("squat") and not PROGRAMME.holds("press")
    with pytest.raises(KeyError):
        PROGRAMME.exercise("press")


def test_a_programme_must_make_sense() -> None:
    with pytest.raises(ValueError):
        Programme(exercises=())
    with pytest.raises(ValueError):
        Programme(exercises=EXERCISES + EXERCISES[:1])
    with pytest.raises(ValueError):
        Programme(exercises=EXERCISES, rep_min=12, rep_max=8)


def test_a_workout_counts_towards_more_sets_with_half_its_sets() -> None:
    planned = 3 * len(PROGRAMME.exercises)  # 12
    assert PROGRAMME.counts_towards_more_sets(planned // 2, 3)
    assert not PROGRAMME.counts_towards_more_sets(planned // 2 - 1, 3)
    assert not PROGRAMME.counts_towards_more_sets(0, 3)


@given(done=st.integers(0, 40), more=st.integers(0, 40), sets=st.integers(1, 6))
def test_more_sets_done_never_count_less(done: int, more: int, sets: int) -> None:
    counts = PROGRAMME.counts_towards_more_sets(done, sets)
    assert counts == (2 * done >= sets * len(PROGRAMME.exercises))
    if counts:
        assert PROGRAMME.counts_towards_more_sets(done + more, sets)
