from decimal import Decimal
from itertools import combinations_with_replacement

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.plates import PLATES, STANDARD_BAR, load_bar
from bot.domain.units import Unit

D = Decimal
KG, LB = Unit.KG, Unit.LB


@pytest.mark.parametrize(
    ("load", "unit", "per_side"),
    [
        ("40", KG, ("10",)),
        ("20", KG, ()),
        ("62.5", KG, ("20", "1.25")),
        ("100", KG, ("25", "15")),
        ("135", LB, ("45",)),
        ("95", LB, ("25",)),
        ("165", LB, ("35", "25")),  # 60 a side: two plates, where biggest-first takes three
    ],
)
def test_plates_per_side(load: str, unit: Unit, per_side: tuple[str, ...]) -> None:
    loading = load_bar(D(load), STANDARD_BAR[unit], unit)
    assert loading is not None and loading.exact
    assert loading.per_side == tuple(D(p) for p in per_side)


def test_a_load_the_plates_cannot_make_says_so() -> None:
    loading = load_bar(D("41"), D(20), KG)
    assert loading is not None and not loading.exact
    assert loading.total == D("40")  # the heaviest makeable load below it


def test_lighter_than_the_bar_has_no_loading() -> None:
    assert load_bar(D("15"), D(20), KG) is None


def _greedy(amount: D, unit: Unit) -> list[D]:
    taken = []
    for plate in PLATES[unit]:
        while amount >= plate:
            taken.append(plate)
            amount -= plate
    return taken


def test_biggest_plate_first_is_fewest_for_kilograms_but_not_for_pounds() -> None:
    """Kozen and Zaks: a coin system is greedy-optimal if it is for every amount below the sum
    of its two largest coins; checked here by brute force over that whole range."""

    def fewest(amount: D, unit: Unit) -> int:
        for count in range(0, 8):
            if any(
                sum(c, D(0)) == amount for c in combinations_with_replacement(PLATES[unit], count)
            ):
                return count
        raise AssertionError(amount)

    for unit, beaten in ((KG, False), (LB, True)):
        smallest = min(PLATES[unit])
        limit = PLATES[unit][0] + PLATES[unit][1]
        worse = [
            smallest * n
            for n in range(1, int(limit / smallest))
            if len(_greedy(smallest * n, unit)) > fewest(smallest * n, unit)
        ]
        assert bool(worse) is beaten, (unit, worse)


@settings(max_examples=300)
@given(
    unit=st.sampled_from(list(Unit)),
    bar=st.sampled_from([D(10), D(15), D(20), D(45), D("7.5")]),
    load=st.decimals(min_value=0, max_value=1100, places=2),
)
def test_plates_sum_back_to_the_load_and_both_sides_match(unit: Unit, bar: D, load: D) -> None:
    loading = load_bar(load, bar, unit)
    if load < bar:
        assert loading is None
        return
    assert loading is not None
    # One side's plates are the other side's: the total is the bar and twice one side.
    assert loading.total == bar + 2 * sum(loading.per_side, D(0))
    assert loading.total <= load
    # Not exact only when less than a pair of the smallest plates is missing.
    assert load - loading.total < 2 * min(PLATES[unit])
    assert loading.exact == (loading.total == load)
    assert list(loading.per_side) == sorted(loading.per_side, reverse=True)
    assert len(loading.per_side) <= len(_greedy(sum(loading.per_side, D(0)), unit))
