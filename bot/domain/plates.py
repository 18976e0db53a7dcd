"""Plates on a bar: which plates go on each side to make a load.

Plates come from the standard gym set of each unit. Both sides carry the same plates, so a load
is makeable when (load - bar) / 2 is a sum of plates; otherwise the heaviest makeable load below
it is given, and marked as not exact. The fewest plates are chosen: for the kilogram set the
greedy "biggest plate first" is already fewest, but not for the pound set (60 lb a side is
35 + 25, two plates, where greedy takes 45 + 10 + 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache

from bot.domain.units import Unit

PLATES: dict[Unit, tuple[Decimal, ...]] = {
    Unit.KG: tuple(Decimal(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")),
    Unit.LB: tuple(Decimal(p) for p in ("45", "35", "25", "10", "5", "2.5")),
}
STANDARD_BAR: dict[Unit, Decimal] = {Unit.KG: Decimal(20), Unit.LB: Decimal(45)}


@dataclass(frozen=True)
class Loading:
    """A bar loaded for `load`: `per_side` plates (heaviest first) on each side of `bar`."""

    bar: Decimal
    per_side: tuple[Decimal, ...]
    wanted: Decimal

    @property
    def total(self) -> Decimal:
        return self.bar + 2 * sum(self.per_side, Decimal(0))

    @property
    def exact(self) -> bool:
        return self.total == self.wanted


def _smallest(unit: Unit) -> Decimal:
    return min(PLATES[unit])


@cache
def _fewest(unit: Unit, units_of_smallest: int) -> tuple[int, ...]:
    """Fewest plates (counted in the smallest plate) summing to the amount; ties prefer the
    heavier plates, as on a gym floor."""
    sizes = [int(p / _smallest(unit)) for p in PLATES[unit]]
    best: list[tuple[int, ...] | None] = [()] + [None] * units_of_smallest
    for amount in range(1, units_of_smallest + 1):
        for size in sizes:  # heaviest first: a tie keeps the heavier plate
            rest = best[amount - size] if size <= amount else None
            if rest is not None and (
                best[amount] is None or len(rest) + 1 < len(best[amount] or ())
            ):
                best[amount] = tuple(sorted((size, *rest), reverse=True))
    found = best[units_of_smallest]
    assert found is not None  # the smallest plate makes every whole count of itself
    return found


def load_bar(load: Decimal, bar: Decimal, unit: Unit) -> Loading | None:
    """The plates per side for `load` on `bar`; None when the load is lighter than the bar."""
    if load < bar:
        return None
    smallest = _smallest(unit)
    units = ((load - bar) / 2 / smallest).to_integral_value(rounding=ROUND_FLOOR)
    plates = _fewest(unit, int(units))
    return Loading(bar=bar, per_side=tuple(smallest * p for p in plates), wanted=load)
