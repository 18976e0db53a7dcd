from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.units import (
    DEFAULT_STEPS,
    GRAMS_PER_LB,
    MAX_LOAD_GRAMS,
    Equipment,
    Unit,
    default_step,
    format_load,
    format_volume,
    in_unit,
    max_load_in,
    round_to_step,
    step_above,
    step_below,
    to_grams,
)

D = Decimal


def test_default_steps_in_each_unit() -> None:
    assert DEFAULT_STEPS[Unit.KG] == {
        Equipment.BARBELL: D("2.5"),
        Equipment.DUMBBELLS: D("2"),
        Equipment.MACHINE: D("5"),
    }
    assert DEFAULT_STEPS[Unit.LB] == {
        Equipment.BARBELL: D("5"),
        Equipment.DUMBBELLS: D("5"),
        Equipment.MACHINE: D("10"),
    }
    assert default_step(Unit.LB, Equipment.MACHINE) == D("10")


def test_conversions() -> None:
    assert to_grams(D("42.5"), Unit.KG) == 42_500
    assert to_grams(D("1"), Unit.LB) == 454  # 453.59237 rounds up
    assert to_grams(D("95"), Unit.LB) == 43_091
    assert in_unit(43_091, Unit.LB) == D("95.00")
    assert in_unit(42_500, Unit.KG) == D("42.50")
    assert max_load_in(Unit.KG) == D("500.00")
    assert max_load_in(Unit.LB) == D("1102.31")
    assert MAX_LOAD_GRAMS == 500_000


@pytest.mark.parametrize(
    ("grams", "unit", "shown"),
    [
        (42_500, Unit.KG, "42.5 kg"),
        (40_000, Unit.KG, "40 kg"),
        (to_grams(D("95"), Unit.LB), Unit.LB, "95 lb"),
        (1_250, Unit.KG, "1.25 kg"),
        (100_000, Unit.KG, "100 kg"),
        (20_000, Unit.LB, "44.09 lb"),
    ],
)
def test_format_load(grams: int, unit: Unit, shown: str) -> None:
    assert format_load(grams, unit) == shown


def test_round_to_step_examples() -> None:
    assert round_to_step(41_000, Unit.KG, D("2.5")) == 40_000
    assert round_to_step(41_300, Unit.KG, D("2.5")) == 42_500
    assert round_to_step(9_100, Unit.KG, D("2")) == 10_000  # 4.55 steps -> 5
    assert round_to_step(43_000, Unit.LB, D("5")) == to_grams(D("95"), Unit.LB)
    assert round_to_step(500, Unit.KG, D("5")) == 5_000  # never below one step
    assert round_to_step(0, Unit.LB, D("10")) == to_grams(D("10"), Unit.LB)


def test_steps_above_and_below() -> None:
    assert step_below(42_500, Unit.KG, D("2.5")) == 40_000
    assert step_above(42_500, Unit.KG, D("2.5")) == 45_000
    # Off the grid (the user reported 43 kg): to the neighbouring grid point, less than a step.
    assert step_below(43_000, Unit.KG, D("2.5")) == 42_500
    assert step_above(43_000, Unit.KG, D("2.5")) == 45_000
    assert step_below(2_000, Unit.KG, D("2")) is None  # lightest dumbbell already
    lb95 = to_grams(D("95"), Unit.LB)
    assert step_above(lb95, Unit.LB, D("5")) == to_grams(D("100"), Unit.LB)
    assert step_below(lb95, Unit.LB, D("5")) == to_grams(D("90"), Unit.LB)


def test_steps_must_be_positive() -> None:
    with pytest.raises(ValueError):
        round_to_step(40_000, Unit.KG, D("0"))
    with pytest.raises(ValueError):
        step_below(40_000, Unit.KG, D("-2.5"))


units = st.sampled_from(list(Unit))
steps = st.one_of(
    st.sampled_from([D(s) for s in ("0.5", "1", "1.25", "2", "2.5", "5", "10")]),
    st.decimals(min_value=D("0.01"), max_value=D("25"), places=2),
)
loads = st.integers(min_value=-1_000, max_value=MAX_LOAD_GRAMS)


@settings(max_examples=500)
@given(grams=loads, unit=units, step=steps)
def test_round_to_step_is_idempotent_and_on_the_grid(grams: int, unit: Unit, step: D) -> None:
    rounded = round_to_step(grams, unit, step)
    assert round_to_step(rounded, unit, step) == rounded
    shown = in_unit(rounded, unit)
    assert shown % step == 0
    assert shown >= step
    # The nearest grid point: never more than half a step (plus gram rounding) away.
    if grams >= to_grams(step, unit):
        half_step = step * (GRAMS_PER_LB if unit is Unit.LB else 1000) / 2
        assert abs(D(rounded - grams)) <= half_step + 1


@settings(max_examples=300)
@given(grams=st.integers(min_value=1, max_value=MAX_LOAD_GRAMS), unit=units, step=steps)
def test_one_step_moves_at_most_one_step(grams: int, unit: Unit, step: D) -> None:
    one_step = step * (GRAMS_PER_LB if unit is Unit.LB else 1000)
    up = step_above(grams, unit, step)
    assert up > grams
    assert D(up - grams) <= one_step + 1
    down = step_below(grams, unit, step)
    if down is not None:
        assert down < grams
        assert D(grams - down) <= one_step + 1


def test_volumes_print_in_whole_units_without_float_artefacts() -> None:
    set_of_105_lb = to_grams(Decimal("105"), Unit.LB)
    assert format_volume(30 * set_of_105_lb, Unit.LB) == "3150 lb"
    assert format_volume(1_055_000, Unit.KG) == "1055 kg"


@given(
    reps=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=4),  # one exercise
    steps=st.integers(min_value=1, max_value=200),
    unit=st.sampled_from(list(Unit)),
)
def test_a_volume_of_loads_on_a_whole_grid_is_exact(
    reps: list[int], steps: int, unit: Unit
) -> None:
    load = to_grams(Decimal(steps) * 5, unit)
    total = sum(reps) * steps * 5
    assert format_volume(sum(r * load for r in reps), unit) == f"{total} {unit.value}"
