"""Double progression: earn the top of the rep range, then add load.

The seed's rule, and it wins over any rule of ours: can't reach 8 reps, go lighter; 12 reps
without any problem, go heavier. Decisions follow the loads actually lifted: the working load
is the heaviest at which the range was met, whatever set 1 was. ACSM advises raising a load
2-10% at a time, so when 12 was only just reached (hard, or not said) and the next step is a
bigger jump than 10% (light dumbbells), it has to be reached twice in a row first. Reps well past
the range mean the load was plainly too light: the next one is sized from what was done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain import program
from bot.domain.units import MAX_LOAD_GRAMS, Unit, floor_to_step, step_above, step_below

MAX_INCREASE = Decimal("0.10")  # ACSM: 2-10% at a time
WELL_PAST_RANGE = 15  # every set this many reps or more: the load was plainly too light
TARGET_REPS = 10  # a load sized from what was done aims at the middle of the range


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
    WELL_PAST_RANGE = "well_past_range"  # sized for about 10 reps from what was done
    LAST_SET_HARD = "last_set_hard"  # no longer suggested; kept for rows stored before
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


def heavier_set_load(
    reps: int, effort: Effort | None, load_grams: int, unit: Unit, step: Decimal
) -> int | None:
    """The mirror of `next_set_load`: one step heavier after a set past the top of the range,
    or at the top and easy ("12 easy"). None otherwise, or when no heavier load can be logged.
    """
    top = program.PROGRAMME.rep_max
    if reps < top or (reps == top and effort is not Effort.EASY):
        return None
    heavier = step_above(load_grams, unit, step)
    return heavier if heavier <= MAX_LOAD_GRAMS else None


def working_load(sets: Sequence[LiftedSet]) -> int | None:
    """The heaviest load at which the range was met; None when no set reached 8 reps."""
    return max((s.load_grams for s in sets if s.reps >= program.PROGRAMME.rep_min), default=None)


def at_working_load(sets: Sequence[LiftedSet]) -> list[LiftedSet]:
    working = working_load(sets)
    return [s for s in sets if s.load_grams == working]


def reached_top(sets: Sequence[LiftedSet]) -> bool:
    """Every set at the working load reached the top of the range."""
    at_work = at_working_load(sets)
    return bool(at_work) and all(s.reps >= program.PROGRAMME.rep_max for s in at_work)


def step_is_big(load_grams: int, heavier_grams: int) -> bool:
    """More than a 10% jump: light dumbbells, where 2 kg on 8 kg is +25%."""
    return Decimal(heavier_grams - load_grams) > MAX_INCREASE * load_grams


def load_for_reps(reps: int, load_grams: int, target_reps: int) -> int:
    """The load for `target_reps` from a set of `reps` at `load_grams` (Epley both ways)."""
    return load_grams * (30 + reps) // (30 + target_reps)


def next_workout_load(
    sets: Sequence[LiftedSet],
    last_effort: Effort | None,
    unit: Unit,
    step: Decimal,
    reached_top_last_time: bool = False,
) -> LoadSuggestion:
    """Where to start an exercise next workout, from the loads actually lifted this time."""
    if not sets:
        return LoadSuggestion(None, Change.ASK, Why.NO_LOAD_YET)
    working = working_load(sets)
    if working is None:
        # No set reached 8: lighter than the lightest load tried, if the equipment allows.
        lightest = min(s.load_grams for s in sets)
        lighter = step_below(lightest, unit, step)
        if lighter is None:
            return LoadSuggestion(lightest, Change.HOLD, Why.UNDER_RANGE)
        return LoadSuggestion(lighter, Change.DOWN, Why.UNDER_RANGE)
    # Sets short of 8 at a heavier load were attempts above the working load; at or below it,
    # they say the working load was too much for every set.
    if any(s.reps < program.PROGRAMME.rep_min and s.load_grams <= working for s in sets):
        lighter = step_below(working, unit, step)
        if lighter is None:
            return LoadSuggestion(working, Change.HOLD, Why.UNDER_RANGE)
        return LoadSuggestion(lighter, Change.DOWN, Why.UNDER_RANGE)
    at_work = at_working_load(sets)
    if not reached_top(sets):
        return LoadSuggestion(working, Change.HOLD, Why.IN_RANGE)
    heavier = step_above(working, unit, step)
    if heavier > MAX_LOAD_GRAMS:
        return LoadSuggestion(working, Change.HOLD, Why.TOP_OF_RANGE)
    if all(s.reps >= WELL_PAST_RANGE for s in at_work):
        best = max(s.reps for s in at_work)
        estimate = min(load_for_reps(best, working, TARGET_REPS), MAX_LOAD_GRAMS)
        sized = floor_to_step(estimate, unit, step)
        if sized > heavier:
            return LoadSuggestion(sized, Change.UP, Why.WELL_PAST_RANGE)
        return LoadSuggestion(heavier, Change.UP, Why.TOP_OF_RANGE)
    only_just = all(s.reps == program.PROGRAMME.rep_max for s in at_work) and last_effort in (
        Effort.HARD,
        None,
    )
    if only_just and step_is_big(working, heavier) and not reached_top_last_time:
        return LoadSuggestion(working, Change.HOLD, Why.TOP_OF_RANGE_ONCE)
    return LoadSuggestion(heavier, Change.UP, Why.TOP_OF_RANGE)


def epley_one_rep_max(reps: int, load_grams: int) -> int:
    """Estimated one-rep max (Epley: load × (1 + reps/30)), for progress charts."""
    if reps < 1:
        raise ValueError("reps must be at least 1")
    if reps == 1:
        return load_grams
    return (load_grams * (30 + reps) + 15) // 30
