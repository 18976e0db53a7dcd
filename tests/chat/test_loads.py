"""Loads as shown: typed ones as typed, converted ones on the equipment's steps."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.chat.loads import load_text, loadable
from bot.domain.units import (
    DEFAULT_STEPS,
    MAX_LOAD_GRAMS,
    Equipment,
    Unit,
    grams_per,
    in_unit,
    round_to_step,
    to_grams,
)
from bot.services.profile import Kit

D = Decimal


def kit(unit: Unit, equipment: Equipment = Equipment.BARBELL) -> Kit:
    return Kit(unit, {"deadlift": equipment}, DEFAULT_STEPS[unit], None)


def on_grid(grams: int, unit: Unit, step: D) -> bool:
    return to_grams(round(in_unit(grams, unit) / step) * step, unit) == grams


@given(unit=st.sampled_from(list(Unit)), quarters=st.integers(min_value=1, max_value=4000))
def test_a_load_typed_in_the_users_unit_is_shown_as_typed(unit: Unit, quarters: int) -> None:
    grams = to_grams(D(quarters) / 4, unit)
    assert loadable(grams, kit(unit), "deadlift") == grams


@given(
    unit=st.sampled_from(list(Unit)),
    equipment=st.sampled_from(list(Equipment)),
    grams=st.integers(min_value=1, max_value=MAX_LOAD_GRAMS),
)
def test_a_load_from_the_other_unit_lands_on_the_equipments_steps(
    unit: Unit, equipment: Equipment, grams: int
) -> None:
    shown = loadable(grams, kit(unit, equipment), "deadlift")
    step = DEFAULT_STEPS[unit][equipment]
    if shown != grams:  # not a plain amount of this unit: the nearest load the kit makes
        assert shown == round_to_step(grams, unit, step)
        assert on_grid(shown, unit, step)
        assert abs(shown - grams) <= step * grams_per(unit) / 2 + 1 or shown == to_grams(step, unit)


@given(steps=st.integers(min_value=1, max_value=200))
def test_a_unit_switch_and_back_stays_within_a_step(steps: int) -> None:
    """55 kg -> 120 lb -> 55 kg: re-rounding each way never drifts by a whole step."""
    kg = to_grams(D(steps) * D("2.5"), Unit.KG)
    lb = round_to_step(kg, Unit.LB, D(5))
    back = round_to_step(lb, Unit.KG, D("2.5"))
    assert abs(back - kg) < 2_500


def test_dumbbells_say_each_and_a_barbell_shows_its_plates() -> None:
    assert load_text(12_000, kit(Unit.KG, Equipment.DUMBBELLS), "deadlift") == "12 kg each"
    assert load_text(40_000, kit(Unit.KG), "deadlift", plates=True) == "40 kg = bar + 10 per side"
    assert load_text(55_000, kit(Unit.LB), "deadlift") == "120 lb"
    assert load_text(20_000, kit(Unit.KG), "deadlift", plates=True) == "20 kg = the bar alone"
    light = load_text(15_000, kit(Unit.KG), "deadlift", plates=True)
    assert light == "15 kg (lighter than the 20 kg bar)"
