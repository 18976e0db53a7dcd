"""The workout as a state machine: where the user is, what can happen, and what to say then.

`transition(programme, state, event)` is pure: it returns the next state and the effects for
the caller to carry out (store a set, arm a timer) and to render (which text, which buttons).
The caller passes every instant in; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.domain.program import Programme
from bot.domain.progression import Effort, heavier_set_load, next_set_load
from bot.domain.replies import MAX_REPS
from bot.domain.units import MAX_LOAD_GRAMS, Unit


class Stage(StrEnum):
    SET = "set"  # waiting for the reps of set `set_number` (maybe resting before it)
    EFFORT = "effort"  # the exercise's last set is in: could you have done 2 more reps?


@dataclass(frozen=True)
class WorkoutState:
    exercise: str  # slug of the exercise being done
    set_number: int  # the set asked for (SET) or the last one logged (EFFORT)
    sets: int  # sets per exercise in this workout
    stage: Stage
    step: int  # bumped on every move; buttons carry it, so an older button is stale
    load_grams: int | None  # the load for the next set; None until the user tells us
    rest_until: datetime | None = None
    skipped: tuple[str, ...] = ()  # exercises skipped without a set, for the summary


class Refusal(StrEnum):
    """Why an event changed nothing."""

    NO_WORKOUT = "no_workout"
    STALE = "stale"
    DUPLICATE = "duplicate"
    NEED_LOAD = "need_load"
    ANSWER_EFFORT = "answer_effort"
    NOTHING_TO_UNDO = "nothing_to_undo"
    UNKNOWN_SET = "unknown_set"
    LOAD_TOO_HIGH = "load_too_high"


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogSet:
    reps: int
    logged_at: datetime
    rest_seconds: int
    unit: Unit
    step_size: Decimal  # the user's load step for this exercise's equipment
    reps_other_leg: int | None = None
    load_grams: int | None = None  # None: the load the state expects
    effort: Effort | None = None
    at_step: int | None = None  # the step a tapped button was made for; None when typed
    # The suggested load of the exercise after this one: an effort typed with the exercise's
    # last set ("12 easy") answers the effort question, so the next exercise opens at once.
    next_load: int | None = None


@dataclass(frozen=True)
class LastSet:
    """The workout's newest logged set, as undo needs it."""

    exercise: str
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int


@dataclass(frozen=True)
class Undo:
    last: LastSet | None


@dataclass(frozen=True)
class Skip:
    next_load: int | None  # the suggested load of the exercise after this one


@dataclass(frozen=True)
class AnswerEffort:
    effort: Effort
    next_load: int | None
    at_step: int | None = None


@dataclass(frozen=True)
class RestOver:
    at: datetime


@dataclass(frozen=True)
class End:
    """Finish now, keeping what was logged."""


@dataclass(frozen=True)
class Cancel:
    keep: bool


@dataclass(frozen=True)
class Resume:
    """The user asked to start while a workout runs: show where they are."""


@dataclass(frozen=True)
class EditSet:
    """An edited message corrects the set it logged; where the user is stays the same."""

    load_grams: int | None


Event = LogSet | Undo | Skip | AnswerEffort | RestOver | End | Cancel | Resume | EditSet


# --- effects ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowCard:
    exercise: str
    position: int
    of: int
    sets: int
    load_grams: int | None
    more_sets: bool = False  # the first card with more sets per exercise: say so


@dataclass(frozen=True)
class AskForSet:
    exercise: str
    set_number: int
    sets: int
    load_grams: int | None  # None: ask for reps and load, no rep buttons
    step: int
    cue: str = ""  # one short form cue, a different one from set to set


@dataclass(frozen=True)
class StoreSet:
    """Store this set (the caller learns its id) and confirm it."""

    exercise: str
    set_number: int
    sets: int
    reps: int
    reps_other_leg: int | None
    load_grams: int
    effort: Effort | None
    lighter_grams: int | None  # the load for the next set after one under the range
    next_set: int | None  # the set the user rests before; None after the exercise's last
    heavier_grams: int | None = None  # the load for the next set after one past the range


@dataclass(frozen=True)
class StartRest:
    seconds: int


@dataclass(frozen=True)
class AskEffort:
    exercise: str
    step: int


@dataclass(frozen=True)
class StoreEffort:
    effort: Effort


@dataclass(frozen=True)
class RemoveSet:
    removed: LastSet


@dataclass(frozen=True)
class Resumed:
    exercise: str
    set_number: int
    sets: int
    load_grams: int | None
    stage: Stage


@dataclass(frozen=True)
class CorrectSet:
    load_grams: int | None


@dataclass(frozen=True)
class Finish:
    keep: bool
    skipped: tuple[str, ...] = ()  # exercises skipped without a set, for the summary


@dataclass(frozen=True)
class Refuse:
    reason: Refusal


Effect = (
    ShowCard
    | AskForSet
    | StoreSet
    | StartRest
    | AskEffort
    | StoreEffort
    | RemoveSet
    | Resumed
    | CorrectSet
    | Finish
    | Refuse
)


@dataclass(frozen=True)
class Outcome:
    state: WorkoutState | None  # None: the workout is over (or there was none)
    effects: tuple[Effect, ...]


# --- transitions -----------------------------------------------------------------------------


def start(
    programme: Programme, sets: int, load_grams: int | None, *, more_sets: bool = False
) -> Outcome:
    """A new workout at the programme's first exercise; `more_sets`: the first one with more
    sets per exercise, which its first card announces."""
    state = WorkoutState(
        exercise=programme.first.slug,
        set_number=1,
        sets=sets,
        stage=Stage.SET,
        step=0,
        load_grams=load_grams,
    )
    return Outcome(state, _exercise_opening(programme, state, more_sets=more_sets))


def transition(programme: Programme, state: WorkoutState | None, event: Event) -> Outcome:
    if state is None:
        if isinstance(event, EditSet):  # a set of a finished workout can still be corrected
            return Outcome(None, (CorrectSet(event.load_grams),))
        stale = isinstance(event, LogSet | AnswerEffort) and event.at_step is not None
        return _refuse(None, Refusal.STALE if stale else Refusal.NO_WORKOUT)
    match event:
        case LogSet():
            return _log_set(programme, state, event)
        case Undo(last=last):
            return _undo(programme, state, last)
        case Skip(next_load=next_load):
            skipped = state.skipped
            if state.stage is Stage.SET and state.set_number == 1:
                skipped = (*skipped, state.exercise)
            return _next_exercise(programme, replace(state, skipped=skipped), next_load)
        case AnswerEffort():
            if event.at_step is not None and event.at_step != state.step:
                return _refuse(state, Refusal.STALE)
            if state.stage is not Stage.EFFORT:
                return _refuse(state, Refusal.STALE)
            outcome = _next_exercise(programme, state, event.next_load)
            return Outcome(outcome.state, (StoreEffort(event.effort), *outcome.effects))
        case RestOver(at=instant):
            if state.rest_until is None or state.rest_until > instant:
                return Outcome(state, ())
            return Outcome(replace(state, rest_until=None), (_ask_for_set(programme, state),))
        case End():
            return Outcome(None, (Finish(keep=True, skipped=state.skipped),))
        case Cancel(keep=keep):
            return Outcome(None, (Finish(keep=keep, skipped=state.skipped),))
        case Resume():
            # The prompt goes out now, so the end of a running rest must not send it again.
            return Outcome(replace(state, rest_until=None), _resume(programme, state))
        case EditSet(load_grams=load_grams):
            return Outcome(state, (CorrectSet(load_grams),))


def _refuse(state: WorkoutState | None, reason: Refusal) -> Outcome:
    return Outcome(state, (Refuse(reason),))


def asking(programme: Programme, state: WorkoutState) -> AskForSet | AskEffort:
    """What the workout waits for in this state: the next set's reps, or the effort answer."""
    if state.stage is Stage.EFFORT:
        return AskEffort(state.exercise, state.step)
    return _ask_for_set(programme, state)


def _ask_for_set(programme: Programme, state: WorkoutState) -> AskForSet:
    cue = programme.exercise(state.exercise).cues.for_set(state.set_number)
    return AskForSet(
        state.exercise, state.set_number, state.sets, state.load_grams, state.step, cue
    )


def _exercise_opening(
    programme: Programme, state: WorkoutState, *, more_sets: bool = False
) -> tuple[Effect, ...]:
    card = ShowCard(
        state.exercise,
        programme.position(state.exercise),
        len(programme.exercises),
        state.sets,
        state.load_grams,
        more_sets,
    )
    return card, _ask_for_set(programme, state)


def _log_set(programme: Programme, state: WorkoutState, event: LogSet) -> Outcome:
    if event.at_step is not None and event.at_step != state.step:
        return _refuse(state, Refusal.STALE)
    if state.stage is Stage.EFFORT:
        return _refuse(state, Refusal.ANSWER_EFFORT)
    load = event.load_grams if event.load_grams is not None else state.load_grams
    if not _could_be_lifted(event.reps, event.reps_other_leg, load):
        # Typed sets are checked by the parser: only forged button data gets here.
        return _refuse(state, Refusal.STALE)
    if load is None:
        return _refuse(state, Refusal.NEED_LOAD)
    if load > MAX_LOAD_GRAMS:
        return _refuse(state, Refusal.LOAD_TOO_HIGH)
    exercise = programme.exercise(state.exercise)
    other_leg = None
    if exercise.one_leg_at_a_time:
        # "10" on the lunge means ten on each leg
        other_leg = event.reps_other_leg if event.reps_other_leg is not None else event.reps
    counted = min(event.reps, other_leg) if other_leg is not None else event.reps
    more_sets = state.set_number < state.sets
    lighter = heavier = None
    if more_sets:
        lighter = next_set_load(counted, load, event.unit, event.step_size)
        heavier = heavier_set_load(counted, event.effort, load, event.unit, event.step_size)
    stored = StoreSet(
        exercise=state.exercise,
        set_number=state.set_number,
        sets=state.sets,
        reps=event.reps,
        reps_other_leg=other_leg,
        load_grams=load,
        effort=event.effort,
        lighter_grams=lighter,
        next_set=state.set_number + 1 if more_sets else None,
        heavier_grams=heavier,
    )
    if not more_sets:
        after = replace(state, stage=Stage.EFFORT, step=state.step + 1, load_grams=load)
        after = replace(after, rest_until=None)
        if event.effort is not None:  # "12 easy": the effort question is answered already
            moved = _next_exercise(programme, after, event.next_load)
            return Outcome(moved.state, (stored, *moved.effects))
        return Outcome(after, (stored, AskEffort(state.exercise, after.step)))
    after = replace(
        state,
        set_number=state.set_number + 1,
        step=state.step + 1,
        load_grams=lighter or heavier or load,
    )
    if event.rest_seconds <= 0:  # no rest configured: the next set is asked for at once
        return Outcome(after, (stored, _ask_for_set(programme, after)))
    after = replace(after, rest_until=event.logged_at + timedelta(seconds=event.rest_seconds))
    return Outcome(after, (stored, StartRest(event.rest_seconds)))


def _could_be_lifted(reps: int, reps_other_leg: int | None, load_grams: int | None) -> bool:
    """Reps the parser would take (1 to MAX_REPS) and, if given, a load above zero."""
    counts = (reps,) if reps_other_leg is None else (reps, reps_other_leg)
    return all(1 <= count <= MAX_REPS for count in counts) and (
        load_grams is None or load_grams > 0
    )


def _undo(programme: Programme, state: WorkoutState, last: LastSet | None) -> Outcome:
    if last is None:
        return _refuse(state, Refusal.NOTHING_TO_UNDO)
    back = replace(
        state,
        exercise=last.exercise,
        set_number=last.set_number,
        stage=Stage.SET,
        step=state.step + 1,
        load_grams=last.load_grams,
        rest_until=None,
    )
    return Outcome(back, (RemoveSet(last), _ask_for_set(programme, back)))


def _next_exercise(programme: Programme, state: WorkoutState, next_load: int | None) -> Outcome:
    following = programme.after(state.exercise)
    if following is None:
        return Outcome(None, (Finish(keep=True, skipped=state.skipped),))
    moved = replace(
        state,
        exercise=following.slug,
        set_number=1,
        stage=Stage.SET,
        step=state.step + 1,
        load_grams=next_load,
        rest_until=None,
    )
    return Outcome(moved, _exercise_opening(programme, moved))


def _resume(programme: Programme, state: WorkoutState) -> tuple[Effect, ...]:
    resumed = Resumed(state.exercise, state.set_number, state.sets, state.load_grams, state.stage)
    if state.stage is Stage.EFFORT:  # every set is in: the question still waits for its answer
        return resumed, AskEffort(state.exercise, state.step)
    return resumed, _ask_for_set(programme, state)


def is_valid(programme: Programme, state: WorkoutState) -> bool:
    """The invariants every reachable state keeps."""
    return (
        programme.holds(state.exercise)
        and 1 <= state.set_number <= state.sets
        and state.step >= 0
        and (state.load_grams is None or 0 < state.load_grams <= MAX_LOAD_GRAMS)
        and (state.stage is Stage.SET or state.load_grams is not None)
        and (state.stage is Stage.SET or state.set_number == state.sets)
        and (state.rest_until is None or (state.stage is Stage.SET and state.set_number > 1))
        and all(programme.holds(slug) for slug in state.skipped)
    )


# A workout left without a set this long is over: the user went home without saying so.
STALE_AFTER = timedelta(hours=3)


def is_stale(last_move: datetime, now: datetime, trained_on: date, today: date) -> bool:
    """Whether a running workout was left behind: no set for `STALE_AFTER`, or its (the
    user's local) day is over. `last_move` is its newest set, or its start before any set."""
    return now - last_move >= STALE_AFTER or today > trained_on
