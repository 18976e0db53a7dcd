"""Loads as the user reads them: in their unit, on their equipment's steps, "each" for
dumbbells, and the plates per side for a barbell.

A load typed in the user's own unit is shown as typed (they lifted it); one that came from the
other unit (a unit switch, `10 x 40 lb` from a kg user) is rounded to the nearest load their
equipment can make, so no one is told to lift 121.25 lb.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from bot import i18n
from bot.domain import program
from bot.domain.plates import STANDARD_BAR, load_bar
from bot.domain.units import (
    Equipment,
    Unit,
    in_unit,
    round_to_step,
    to_grams,
)
from bot.i18n import _
from bot.services.profile import Kit

_QUARTER = Decimal("0.25")


class LiftedLine(Protocol):
    """A logged set as the summary and the history carry it."""

    @property
    def reps(self) -> int: ...
    @property
    def reps_other_leg(self) -> int | None: ...
    @property
    def load_grams(self) -> int: ...


def _as_typed(grams: int, unit: Unit) -> bool:
    """True when the grams are a plain amount of this unit (a quarter at the finest)."""
    amount = in_unit(grams, unit)
    return to_grams(amount, unit) == grams and amount % _QUARTER == 0


def equipment_of(kit: Kit, exercise: str) -> Equipment:
    if exercise in kit.equipment:
        return kit.equipment[exercise]
    return program.PROGRAMME.exercise(exercise).default_equipment


def loadable_on(grams: int, unit: Unit, step: Decimal) -> int:
    """The grams to show: as typed, or the nearest load on these steps."""
    return grams if _as_typed(grams, unit) else round_to_step(grams, unit, step)


def loadable(grams: int, kit: Kit, exercise: str) -> int:
    """The grams to show for a load of this exercise: as typed, or on the equipment's steps."""
    return loadable_on(grams, kit.unit, kit.steps[equipment_of(kit, exercise)])


def load_on(grams: int, unit: Unit, equipment: Equipment) -> str:
    """A load already on the equipment's steps: `40 kg`, `12 kg each` for dumbbells."""
    text = format_load(grams, unit)
    return _("%(load)s each", load=text) if equipment is Equipment.DUMBBELLS else text


def format_load(grams: int, unit: Unit) -> str:
    """`42.5 kg`, `42,5 kg`: in the user's language."""
    return i18n.current().load(grams, unit)


def format_amount(amount: Decimal) -> str:
    return i18n.current().amount(amount)


def bar_weight(kit: Kit) -> Decimal:
    """The bar in the user's unit: their setting, or the standard bar of the unit."""
    if kit.bar_grams is None:
        return STANDARD_BAR[kit.unit]
    return in_unit(kit.bar_grams, kit.unit)


def with_plates(grams: int, kit: Kit) -> str:
    """`40 kg = bar + 10 per side`; says so when the plates can't make the load exactly."""
    unit = kit.unit
    text = format_load(grams, unit)
    loading = load_bar(in_unit(grams, unit), bar_weight(kit), unit)
    unit_name = i18n.current().unit(unit)
    if loading is None:
        bar = f"{format_amount(bar_weight(kit))} {unit_name}"
        return _("%(load)s (lighter than the %(bar)s bar)", load=text, bar=bar)
    plates = " + ".join(format_amount(p) for p in loading.per_side)
    made = _("the bar alone") if not plates else _("bar + %(plates)s per side", plates=plates)
    if loading.exact:
        return f"{text} = {made}"
    closest = f"{format_amount(loading.total)} {unit_name}"
    return _(
        "%(load)s (closest with plates: %(closest)s = %(made)s)",
        load=text,
        closest=closest,
        made=made,
    )


def load_text(
    grams: int, kit: Kit, exercise: str, *, plates: bool = False, each: bool = True
) -> str:
    """`12 kg each` for dumbbells; with `plates`, `40 kg = bar + 10 per side` for a barbell."""
    shown = loadable(grams, kit, exercise)
    equipment = equipment_of(kit, exercise)
    if equipment is Equipment.DUMBBELLS and each:
        return load_on(shown, kit.unit, equipment)
    if plates and equipment is Equipment.BARBELL:
        return with_plates(shown, kit)
    return format_load(shown, kit.unit)


def set_text(
    reps: int,
    other_leg: int | None,
    grams: int | None,
    kit: Kit,
    exercise: str,
    *,
    each: bool = True,
) -> str:
    """`10 × 40 kg`, `10/9 × 12 kg each`: how a lifted set is written back."""
    counted = f"{reps}/{other_leg}" if other_leg is not None and other_leg != reps else f"{reps}"
    if grams is None:
        return counted
    return f"{counted} × {load_text(grams, kit, exercise, each=each)}"


def sets_text(sets: Iterable[LiftedLine], kit: Kit, exercise: str) -> str:
    """A row of sets, `each` said once for dumbbells: `10 × 12 kg, 9 × 12 kg (each dumbbell)`."""
    row = ", ".join(
        set_text(s.reps, s.reps_other_leg, s.load_grams, kit, exercise, each=False) for s in sets
    )
    dumbbells = equipment_of(kit, exercise) is Equipment.DUMBBELLS
    return _("%(sets)s (each dumbbell)", sets=row) if dumbbells else row
