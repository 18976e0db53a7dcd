"""Double progression: earn the top of the rep range, then add one step of load.

The seed's rule in numbers: can't reach 8 reps, go lighter; 12 reps without trouble, go
heavier. ACSM advises raising a load 2-10% once the top of the range is reached, so a step that
would be a bigger jump than 10% (light dumbbells) has to be earned twice in a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain import program
from bot.domain.units import MAX_LOAD_GRAMS, Unit, step_above, step_below

MAX_INCREASE = Decimal("0.10")  # ACSM: 2-10% at a time


class Effort(StrEnum):
    EASY = "easy"
    OK = "ok"
    HARD = "hard"


@dataclass(frozen=True)
class LiftedSet:
    reps: int  # for the lunge, the weaker leg's count
    load_grams: int


class Change(StrEnum):
    UP = "up"
    DOWN = "down"
    HOLD = "hold"
    ASK = "ask"


class Why(StrEnum):
    TOP_OF_RANGE = "top_of_range"
    TOP_OF_RANGE_ONCE = "top_of_range_once"  # one more time: the step is more than 10%
    LAST_SET_HARD = "last_set_hard"
    UNDER_RANGE = "under_range"
    IN_RANGE = "in_range"
    NO_LOAD_YET = "no_load_yet"


@dataclass(frozen=True)
class LoadSuggestion:
    load_grams: int | None
    change: Change
    why: Why


def next_set_load(reps: int, load_grams: int, unit: Unit, step: Decimal) -> int | None:
    """One step lighter for the next set after a set under the range.

    None when the set was in range, or when the load is already as light as the step allows.
    """
    if reps >= program.PROGRAMME.rep_min:
        return None
    return step_below(load_grams, unit, step)


def reached_top(sets: Sequence[LiftedSet]) -> bool:
    return bool(sets) and all(s.reps >= program.PROGRAMME.rep_max for s in sets)


def step_is_big(load_grams: int, heavier_grams: int) -> bool:
    """More than a 10% jump: light dumbbells, where 2 kg on 8 kg is +25%."""
    return Decimal(heavier_grams - load_grams) > MAX_INCREASE * load_grams


def next_workout_load(
    sets: Sequence[LiftedSet],
    last_effort: Effort | None,
    unit: Unit,
    step: Decimal,
    reached_top_last_time: bool = False,
) -> LoadSuggestion:
    """Where to start an exercise next workout, from the loads actually lifted this time.

    The working load is the first set's load (where the exercise started); every move is at most
    one step from it.
    """
    if not sets:
        return LoadSuggestion(None, Change.ASK, Why.NO_LOAD_YET)
    working = sets[0].load_grams

    if any(s.reps < program.PROGRAMME.rep_min for s in sets):
        # Start where the lighter sets were, but never more than a step below the working load.
        lowest = min(s.load_grams for s in sets)
        lighter = step_below(working, unit, step)
        if lowest < working:
            target = lowest if lighter is None else max(lowest, lighter)
        else:
            target = working if lighter is None else lighter
        change = Change.DOWN if target < working else Change.HOLD
        return LoadSuggestion(target, change, Why.UNDER_RANGE)

    if reached_top(sets):
        if last_effort is Effort.HARD:
            return LoadSuggestion(working, Change.HOLD, Why.LAST_SET_HARD)
        heavier = step_above(working, unit, step)
        if heavier > MAX_LOAD_GRAMS:
            return LoadSuggestion(working, Change.HOLD, Why.TOP_OF_RANGE)
        if step_is_big(working, heavier) and not reached_top_last_time:
            return LoadSuggestion(working, Change.HOLD, Why.TOP_OF_RANGE_ONCE)
        return LoadSuggestion(heavier, Change.UP, Why.TOP_OF_RANGE)

    return LoadSuggestion(working, Change.HOLD, Why.IN_RANGE)


def epley_one_rep_max(reps: int, load_grams: int) -> int:
    """Estimated one-rep max (Epley: load × (1 + reps/30)), for progress charts."""
    if reps < 1:
        raise ValueError("reps must be at least 1")
    if reps == 1:
        return load_grams
    return (load_grams * (30 + reps) + 15) // 30
