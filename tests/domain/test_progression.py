from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.program import PROGRAMME
from bot.domain.progression import (
    Change,
    Effort,
    LiftedSet,
    LoadSuggestion,
    Why,
    epley_one_rep_max,
    heavier_set_load,
    next_set_load,
    next_workout_load,
    reached_top,
)
from bot.domain.units import GRAMS_PER_LB, MAX_LOAD_GRAMS, Unit, round_to_step, to_grams

D = Decimal
KG = Unit.KG
BAR = D("2.5")
DUMBBELL = D("2")


def sets(*pairs: tuple[int, int]) -> list[LiftedSet]:
    return [LiftedSet(reps, load) for reps, load in pairs]


# --- within a workout ---------------------------------------------------------------------


def test_under_eight_reps_means_one_step_lighter_next_set() -> None:
    assert next_set_load(7, 40_000, KG, BAR) == 37_500
    assert next_set_load(8, 40_000, KG, BAR) is None
    assert next_set_load(12, 40_000, KG, BAR) is None
    assert next_set_load(5, 2_000, KG, DUMBBELL) is None  # nothing lighter to pick up
    lb = to_grams(D("95"), Unit.LB)
    assert next_set_load(6, lb, Unit.LB, D("5")) == to_grams(D("90"), Unit.LB)


# --- between workouts ---------------------------------------------------------------------


def test_twelve_on_every_set_goes_one_step_heavier() -> None:
    lifted = sets((12, 40_000), (12, 40_000), (13, 40_000))
    assert next_workout_load(lifted, Effort.OK, KG, BAR) == LoadSuggestion(
        42_500, Change.UP, Why.TOP_OF_RANGE
    )
    assert next_workout_load(lifted, None, KG, BAR).change is Change.UP
    assert next_workout_load(lifted, Effort.EASY, KG, BAR).change is Change.UP


def test_twelve_even_when_hard_goes_up_a_small_step() -> None:
    # +2.5 kg on 40 kg is 6%: within ACSM's 10%, so reaching 12 is enough.
    lifted = sets((12, 40_000), (12, 40_000), (12, 40_000))
    assert next_workout_load(lifted, Effort.HARD, KG, BAR) == LoadSuggestion(
        42_500, Change.UP, Why.TOP_OF_RANGE
    )


def test_twelve_easily_on_a_machine_goes_heavier_whatever_the_step() -> None:
    # Seen: leg curl 12/12/12 "easily" at 25 kg was told to stay; a 5 kg step is +20%.
    lifted = sets((12, 25_000), (12, 25_000), (12, 25_000))
    machine = D("5")
    assert next_workout_load(lifted, Effort.EASY, KG, machine) == LoadSuggestion(
        30_000, Change.UP, Why.TOP_OF_RANGE
    )
    assert next_workout_load(lifted, Effort.OK, KG, machine).load_grams == 30_000


def test_reps_well_past_the_range_size_the_next_load_from_what_was_done() -> None:
    # Seen: 15, 18 and 20 reps at 20 kg, "Yes, easily" -> "stay at 20 kg".
    lifted = sets((15, 20_000), (18, 20_000), (20, 20_000))
    assert next_workout_load(lifted, Effort.EASY, KG, BAR) == LoadSuggestion(
        25_000, Change.UP, Why.WELL_PAST_RANGE
    )
    # Even "hard" past 12 is too light, and a big step does not hold it back.
    lifted = sets((13, 8_000), (14, 8_000), (13, 8_000))
    assert next_workout_load(lifted, Effort.HARD, KG, DUMBBELL).load_grams == 10_000


def test_the_next_load_follows_the_heaviest_load_that_met_the_range() -> None:
    # Seen: 10 x 95, 12 x 100, 10 x 100 lb -> "stay at 95 lb".
    lb = Unit.LB
    lifted = sets(
        (10, to_grams(D("95"), lb)), (12, to_grams(D("100"), lb)), (10, to_grams(D("100"), lb))
    )
    assert next_workout_load(lifted, Effort.OK, lb, D("5")) == LoadSuggestion(
        to_grams(D("100"), lb), Change.HOLD, Why.IN_RANGE
    )
    # Seen: a first set logged at a mistaken 18.14 kg, then 10 x 45 and 12 x 40.
    lifted = sets((10, 18_140), (10, 45_000), (12, 40_000))
    assert next_workout_load(lifted, Effort.OK, KG, BAR).load_grams == 45_000


def test_in_range_holds() -> None:
    lifted = sets((12, 40_000), (10, 40_000), (9, 40_000))
    assert next_workout_load(lifted, Effort.OK, KG, BAR) == LoadSuggestion(
        40_000, Change.HOLD, Why.IN_RANGE
    )


def test_under_eight_starts_next_time_at_the_lighter_load_used() -> None:
    lifted = sets((9, 40_000), (7, 40_000), (8, 37_500))
    assert next_workout_load(lifted, Effort.HARD, KG, BAR) == LoadSuggestion(
        37_500, Change.DOWN, Why.UNDER_RANGE
    )


def test_under_eight_without_a_lighter_set_goes_one_step_down() -> None:
    lifted = sets((10, 40_000), (9, 40_000), (7, 40_000))
    assert next_workout_load(lifted, Effort.HARD, KG, BAR) == LoadSuggestion(
        37_500, Change.DOWN, Why.UNDER_RANGE
    )


def test_after_two_drops_the_load_that_met_the_range_is_kept() -> None:
    # 6 at 40, 6 at 37.5, then 9 at 35: 35 kg is what worked.
    lifted = sets((6, 40_000), (6, 37_500), (9, 35_000))
    assert next_workout_load(lifted, None, KG, BAR) == LoadSuggestion(
        35_000, Change.HOLD, Why.IN_RANGE
    )


def test_no_set_reaching_eight_goes_below_the_lightest_load() -> None:
    lifted = sets((6, 40_000), (5, 37_500))
    assert next_workout_load(lifted, None, KG, BAR) == LoadSuggestion(
        35_000, Change.DOWN, Why.UNDER_RANGE
    )


def test_under_eight_beats_twelve_elsewhere() -> None:
    lifted = sets((14, 40_000), (12, 40_000), (7, 40_000))
    assert next_workout_load(lifted, Effort.EASY, KG, BAR).change is Change.DOWN


def test_under_eight_at_the_lightest_load_holds() -> None:
    lifted = sets((6, 2_000), (5, 2_000))
    assert next_workout_load(lifted, None, KG, DUMBBELL) == LoadSuggestion(
        2_000, Change.HOLD, Why.UNDER_RANGE
    )


def test_a_step_over_ten_percent_needs_a_hard_twelve_twice() -> None:
    # 8 kg dumbbells: +2 kg is +25%. Twelve only just reached waits for a second time.
    lifted = sets((12, 8_000), (12, 8_000), (12, 8_000))
    for effort in (Effort.HARD, None):
        assert next_workout_load(lifted, effort, KG, DUMBBELL) == LoadSuggestion(
            8_000, Change.HOLD, Why.TOP_OF_RANGE_ONCE
        )
        assert next_workout_load(
            lifted, effort, KG, DUMBBELL, reached_top_last_time=True
        ) == LoadSuggestion(10_000, Change.UP, Why.TOP_OF_RANGE)
    # With reps to spare, it goes up at once.
    assert next_workout_load(lifted, Effort.OK, KG, DUMBBELL).load_grams == 10_000


def test_a_step_of_exactly_ten_percent_goes_up_at_once() -> None:
    lifted = sets((12, 25_000), (12, 25_000), (12, 25_000))
    assert next_workout_load(lifted, None, KG, BAR).load_grams == 27_500
    lifted = sets((12, 20_000), (12, 20_000), (12, 20_000))  # +2.5 on 20 is 12.5%
    assert next_workout_load(lifted, None, KG, BAR).why is Why.TOP_OF_RANGE_ONCE


def test_first_workout_without_a_load_asks() -> None:
    assert next_workout_load([], None, KG, BAR) == LoadSuggestion(None, Change.ASK, Why.NO_LOAD_YET)


def test_learns_from_the_load_the_user_reported() -> None:
    # Asked for a load, the user said 43 kg (off the 2.5 grid) and hit 12s: the next grid point.
    lifted = sets((12, 43_000), (12, 43_000), (12, 43_000))
    assert next_workout_load(lifted, None, KG, BAR).load_grams == 45_000


def test_reached_top() -> None:
    assert reached_top(sets((12, 1), (12, 1)))
    assert not reached_top(sets((12, 1), (11, 1)))
    assert not reached_top([])


def test_lunge_counts_the_weaker_leg() -> None:
    from bot.domain.replies import SetReply

    reply = SetReply(reps=12, reps_other_leg=11, load=None, unit=None, effort=None)
    assert not reached_top([LiftedSet(reply.counted_reps, 12_000)])


def test_epley() -> None:
    assert epley_one_rep_max(1, 40_000) == 40_000
    assert epley_one_rep_max(10, 30_000) == 40_000
    assert epley_one_rep_max(12, 40_000) == 56_000
    with pytest.raises(ValueError):
        epley_one_rep_max(0, 40_000)


def test_past_twelve_or_an_easy_twelve_means_one_step_heavier_next_set() -> None:
    assert heavier_set_load(13, None, 40_000, KG, BAR) == 42_500
    assert heavier_set_load(12, Effort.EASY, 40_000, KG, BAR) == 42_500
    assert heavier_set_load(12, Effort.HARD, 40_000, KG, BAR) is None
    assert heavier_set_load(12, None, 40_000, KG, BAR) is None
    assert heavier_set_load(11, Effort.EASY, 40_000, KG, BAR) is None
    assert heavier_set_load(20, None, MAX_LOAD_GRAMS, KG, BAR) is None  # nothing heavier to log


# --- properties ---------------------------------------------------------------------------

units = st.sampled_from(list(Unit))
steps = st.sampled_from([D(s) for s in ("1", "1.25", "2", "2.5", "5", "10")])


@st.composite
def workouts(draw: st.DrawFn) -> tuple[Unit, D, list[LiftedSet]]:
    unit = draw(units)
    step = draw(steps)
    start = round_to_step(
        draw(st.integers(min_value=1_000, max_value=MAX_LOAD_GRAMS - 20_000)), unit, step
    )
    lifted: list[LiftedSet] = []
    load = start
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        reps = draw(st.integers(min_value=1, max_value=20))
        lifted.append(LiftedSet(reps, load))
        load = next_set_load(reps, load, unit, step) or load
    return unit, step, lifted


def one_step_grams(unit: Unit, step: D) -> D:
    return step * (GRAMS_PER_LB if unit is Unit.LB else 1000)


@settings(max_examples=500)
@given(
    workout=workouts(),
    effort=st.sampled_from([None, *Effort]),
    top_last_time=st.booleans(),
    data=st.data(),
)
def test_progression_follows_what_was_lifted_and_the_seed(
    workout: tuple[Unit, D, list[LiftedSet]],
    effort: Effort | None,
    top_last_time: bool,
    data: st.DataObject,
) -> None:
    unit, step, lifted = workout
    suggestion = next_workout_load(lifted, effort, unit, step, top_last_time)
    # Only what was lifted counts, not the order it was lifted in.
    shuffled = data.draw(st.permutations(lifted))
    assert next_workout_load(shuffled, effort, unit, step, top_last_time) == suggestion
    met = [s.load_grams for s in lifted if s.reps >= PROGRAMME.rep_min]
    base = max(met) if met else min(s.load_grams for s in lifted)
    at_base = [s.reps for s in lifted if s.load_grams == base]
    assert suggestion.load_grams is not None
    one_step = one_step_grams(unit, step) + 1
    expected = {
        Change.UP: suggestion.load_grams > base,
        Change.DOWN: suggestion.load_grams < base,
        Change.HOLD: suggestion.load_grams == base,
    }
    assert expected[suggestion.change]
    short = any(s.reps < PROGRAMME.rep_min and s.load_grams <= base for s in lifted)
    if short:  # can't reach 8: lighter, by one step, or hold at the lightest the kit allows
        assert suggestion.change in {Change.DOWN, Change.HOLD}
        assert base - suggestion.load_grams <= one_step
    elif all(reps >= 12 for reps in at_base) and suggestion.load_grams + one_step <= MAX_LOAD_GRAMS:
        # 12 without any problem means heavier; only a hard, just-reached 12 may wait once.
        waits = all(reps == 12 for reps in at_base) and effort in (Effort.HARD, None)
        assert suggestion.change is Change.UP or (waits and not top_last_time)
    else:
        assert suggestion.change is not Change.DOWN
    if suggestion.change is Change.UP and suggestion.load_grams - base > one_step:
        assert min(at_base) >= 15  # more than a step only when plainly too light


@settings(max_examples=300)
@given(
    reps=st.integers(min_value=0, max_value=30),
    grams=st.integers(min_value=1, max_value=MAX_LOAD_GRAMS),
    unit=units,
    step=steps,
)
def test_next_set_is_lighter_by_at_most_a_step(reps: int, grams: int, unit: Unit, step: D) -> None:
    lighter = next_set_load(reps, grams, unit, step)
    if reps >= PROGRAMME.rep_min:
        assert lighter is None
    elif lighter is not None:
        assert 0 < grams - lighter <= one_step_grams(unit, step) + 1


@settings(max_examples=300)
@given(
    reps=st.integers(min_value=1, max_value=30),
    effort=st.sampled_from([None, *Effort]),
    grams=st.integers(min_value=1, max_value=MAX_LOAD_GRAMS),
    unit=units,
    step=steps,
)
def test_next_set_heavier_mirrors_lighter(
    reps: int, effort: Effort | None, grams: int, unit: Unit, step: D
) -> None:
    heavier = heavier_set_load(reps, effort, grams, unit, step)
    lighter = next_set_load(reps, grams, unit, step)
    assert heavier is None or lighter is None  # never both ways at once
    past_top = reps > PROGRAMME.rep_max or (reps == PROGRAMME.rep_max and effort is Effort.EASY)
    if not past_top:
        assert heavier is None
        return
    if heavier is None:  # only when the next step up is beyond what can be logged
        assert grams + one_step_grams(unit, step) > MAX_LOAD_GRAMS - one_step_grams(unit, step)
        return
    assert 0 < heavier - grams <= one_step_grams(unit, step) + 1
    assert heavier <= MAX_LOAD_GRAMS
    on_grid = round_to_step(grams, unit, step)
    if on_grid == grams and (again := heavier_set_load(reps, effort, grams, unit, step)):
        # the same step the under-8 rule takes down, taken up
        assert next_set_load(PROGRAMME.rep_min - 1, again, unit, step) == grams
