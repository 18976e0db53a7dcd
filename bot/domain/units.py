"""Loads and units.

Loads are stored as whole grams so kg and lb users share one exact scale; people only ever see
them in their own unit, rounded to what their equipment can actually make.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType


class Unit(StrEnum):
    KG = "kg"
    LB = "lb"


class Equipment(StrEnum):
    BARBELL = "barbell"
    DUMBBELLS = "dumbbells"  # a load means the weight of EACH dumbbell
    MACHINE = "machine"


GRAMS_PER_KG = 1000
GRAMS_PER_LB = Decimal("453.59237")  # the international pound, exactly
MAX_LOAD_GRAMS = 500_000
# Users may set their own steps; anything finer than this cannot survive the trip through grams.
MIN_STEP = Decimal("0.01")

# In each unit's own numbers: plates come in 1.25 kg / 2.5 lb pairs, dumbbell racks jump 2 kg
# or 5 lb, machine stacks 5 kg or 10 lb.
DEFAULT_STEPS: Mapping[Unit, Mapping[Equipment, Decimal]] = MappingProxyType(
    {
        Unit.KG: MappingProxyType(
            {
                Equipment.BARBELL: Decimal("2.5"),
                Equipment.DUMBBELLS: Decimal("2"),
                Equipment.MACHINE: Decimal("5"),
            }
        ),
        Unit.LB: MappingProxyType(
            {
                Equipment.BARBELL: Decimal("5"),
                Equipment.DUMBBELLS: Decimal("5"),
                Equipment.MACHINE: Decimal("10"),
            }
        ),
    }
)

_CENT = Decimal("0.01")


def default_step(unit: Unit, equipment: Equipment) -> Decimal:
    return DEFAULT_STEPS[unit][equipment]


def grams_per(unit: Unit) -> Decimal:
    return Decimal(GRAMS_PER_KG) if unit is Unit.KG else GRAMS_PER_LB


def max_load_in(unit: Unit) -> Decimal:
    """The heaviest load we accept, in the unit's own numbers (500 kg ≈ 1102.31 lb)."""
    return in_unit(MAX_LOAD_GRAMS, unit)


def to_grams(amount: Decimal, unit: Unit) -> int:
    return int((amount * grams_per(unit)).to_integral_value(rounding=ROUND_HALF_UP))


def in_unit(grams: int, unit: Unit) -> Decimal:
    return (Decimal(grams) / grams_per(unit)).quantize(_CENT, rounding=ROUND_HALF_UP)


def check_step(step: Decimal) -> None:
    if not step >= MIN_STEP:
        raise ValueError(f"step must be at least {MIN_STEP}, got {step}")


def _in_steps(grams: int, unit: Unit, step: Decimal) -> Decimal:
    return Decimal(grams) / grams_per(unit) / step


def round_to_step(grams: int, unit: Unit, step: Decimal) -> int:
    """Nearest load the equipment can make; never below one step (an empty bar is still a load)."""
    check_step(step)
    steps = max(_in_steps(grams, unit, step).to_integral_value(rounding=ROUND_HALF_UP), Decimal(1))
    return to_grams(steps * step, unit)


def _grid_index(grams: int, unit: Unit, step: Decimal) -> Decimal | None:
    """The step count if `grams` sits on the step grid (within gram rounding), else None."""
    nearest = _in_steps(grams, unit, step).to_integral_value(rounding=ROUND_HALF_UP)
    return nearest if to_grams(nearest * step, unit) == grams else None


def step_below(grams: int, unit: Unit, step: Decimal) -> int | None:
    """The next makeable load strictly lighter than `grams`; None if one step is the floor.

    An off-grid load (the user reported what they had) goes to the grid point just below, so the
    move is never more than one step.
    """
    check_step(step)
    on_grid = _grid_index(grams, unit, step)
    if on_grid is not None:
        steps = on_grid - 1
    else:
        steps = _in_steps(grams, unit, step).to_integral_value(rounding=ROUND_FLOOR)
    return to_grams(steps * step, unit) if steps >= 1 else None


def floor_to_step(grams: int, unit: Unit, step: Decimal) -> int:
    """The heaviest load the equipment can make that is not above `grams` (one step at least)."""
    check_step(step)
    on_grid = _grid_index(grams, unit, step)
    if on_grid is None:
        on_grid = _in_steps(grams, unit, step).to_integral_value(rounding=ROUND_FLOOR)
    return to_grams(max(on_grid, Decimal(1)) * step, unit)


def step_above(grams: int, unit: Unit, step: Decimal) -> int:
    """The next makeable load strictly heavier than `grams` (at most one step up)."""
    check_step(step)
    on_grid = _grid_index(grams, unit, step)
    if on_grid is not None:
        steps = on_grid + 1
    else:
        steps = _in_steps(grams, unit, step).to_integral_value(rounding=ROUND_CEILING)
    return to_grams(max(steps, Decimal(1)) * step, unit)


def format_amount(amount: Decimal) -> str:
    """`42.50` -> `42.5`, `40.00` -> `40`: people don't write trailing zeros."""
    return format(amount.normalize(), "f")


def format_load(grams: int, unit: Unit) -> str:
    return f"{format_amount(in_unit(grams, unit))} {unit.value}"


def format_volume(grams: int, unit: Unit) -> str:
    """A total of reps × load, in whole units: each set's load was stored to the gram, so the
    sum of 30 × 105 lb comes back as 3149.98 lb, which nobody lifted."""
    whole = in_unit(grams, unit).to_integral_value(rounding=ROUND_HALF_UP)
    return f"{format_amount(whole)} {unit.value}"
