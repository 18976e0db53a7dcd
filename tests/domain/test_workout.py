"""The workout state machine: each event at each stage, and no sequence reaching a bad state."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bot.domain.program import PROGRAMME
from bot.domain.progression import Effort
from bot.domain.units import MAX_LOAD_GRAMS, Unit
from bot.domain.workout import (
    AnswerEffort,
    AskEffort,
    AskForSet,
    Cancel,
    CorrectSet,
    EditSet,
    End,
    Finish,
    LastSet,
    LogSet,
    Outcome,
    Refusal,
    Refuse,
    RemoveSet,
    RestOver,
    Resume,
    Resumed,
    ShowCard,
    Skip,
    Stage,
    StartRest,
    StoreEffort,
    StoreSet,
    Undo,
    WorkoutState,
    is_stale,
    is_valid,
    start,
    transition,
)

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
STEP = Decimal("2.5")
SLUGS = [e.slug for e in PROGRAMME.exercises]


def log(reps: int, load: int | None = None, **extra: object) -> LogSet:
    return LogSet(
        reps=reps,
        logged_at=NOW,
        rest_seconds=60,
        unit=Unit.KG,
        step_size=STEP,
        load_grams=load,
        **extra,  # type: ignore[arg-type]
    )


def ask(exercise: str, set_number: int, sets: int, load: int | None, step: int) -> AskForSet:
    """The prompt for a set, with the cue the programme gives that set."""
    cue = PROGRAMME.exercise(exercise).cues.for_set(set_number)
    return AskForSet(exercise, set_number, sets, load, step, cue)


def at(exercise: str = "deadlift", set_number: int = 1, **extra: object) -> WorkoutState:
    fields: dict[str, object] = {
        "exercise": exercise,
        "set_number": set_number,
        "sets": 3,
        "stage": Stage.SET,
        "step": 4,
        "load_grams": 40_000,
    }
    fields.update(extra)
    return WorkoutState(**fields)  # type: ignore[arg-type]


def test_start_shows_the_first_card_and_asks_for_set_one() -> None:
    outcome = start(PROGRAMME, sets=3, load_grams=None)
    assert outcome.state == WorkoutState("deadlift", 1, 3, Stage.SET, 0, None)
    assert outcome.effects == (
        ShowCard("deadlift", 1, len(PROGRAMME.exercises), 3, None),
        ask("deadlift", 1, 3, None, 0),
    )


def test_a_set_in_range_is_stored_and_the_rest_starts() -> None:
    outcome = transition(PROGRAMME, at(), log(10))
    assert outcome.state == at(set_number=2, step=5, rest_until=NOW + timedelta(seconds=60))
    assert outcome.effects == (
        StoreSet("deadlift", 1, 3, 10, None, 40_000, None, None, next_set=2),
        StartRest(60),
    )


def test_without_a_rest_the_next_set_is_asked_for_at_once() -> None:
    outcome = transition(PROGRAMME, at(), replace(log(10), rest_seconds=0))
    assert outcome.state == at(set_number=2, step=5)
    assert outcome.effects[1:] == (ask("deadlift", 2, 3, 40_000, 5),)


def test_a_set_under_the_range_lightens_the_next_one() -> None:
    outcome = transition(PROGRAMME, at(), log(PROGRAMME.rep_min - 1))
    assert outcome.state is not None and outcome.state.load_grams == 37_500
    stored = outcome.effects[0]
    assert isinstance(stored, StoreSet) and stored.lighter_grams == 37_500


@pytest.mark.parametrize(
    ("reps", "effort"), [(PROGRAMME.rep_max + 1, None), (PROGRAMME.rep_max, Effort.EASY)]
)
def test_a_set_past_the_range_or_an_easy_twelve_makes_the_next_one_heavier(
    reps: int, effort: Effort | None
) -> None:
    outcome = transition(PROGRAMME, at(), replace(log(reps, effort=effort), rest_seconds=0))
    assert outcome.state is not None and outcome.state.load_grams == 42_500
    stored, prompt = outcome.effects
    assert isinstance(stored, StoreSet) and stored.heavier_grams == 42_500
    assert stored.lighter_grams is None and prompt == ask("deadlift", 2, 3, 42_500, 5)


def test_a_hard_twelve_keeps_the_load() -> None:
    outcome = transition(PROGRAMME, at(), log(PROGRAMME.rep_max, effort=Effort.HARD))
    assert outcome.state is not None and outcome.state.load_grams == 40_000


def test_an_effort_with_the_last_set_answers_the_question_and_moves_on() -> None:
    outcome = transition(PROGRAMME, at(set_number=3), log(12, effort=Effort.EASY, next_load=25_000))
    assert outcome.state == at("leg_curl", step=6, load_grams=25_000)
    stored, *opening = outcome.effects
    assert isinstance(stored, StoreSet) and stored.effort is Effort.EASY
    assert stored.heavier_grams is None  # no next set to make heavier
    assert opening == [
        ShowCard("leg_curl", 2, len(PROGRAMME.exercises), 3, 25_000),
        ask("leg_curl", 1, 3, 25_000, 6),
    ]
    last = PROGRAMME.exercises[-1].slug
    finished = transition(PROGRAMME, at(last, 3), log(10, effort=Effort.OK))
    assert finished.state is None and finished.effects[1:] == (Finish(keep=True),)


def test_the_first_card_with_more_sets_says_so() -> None:
    card = start(PROGRAMME, sets=4, load_grams=None, more_sets=True).effects[0]
    assert isinstance(card, ShowCard) and card.more_sets
    assert not any(
        isinstance(e, ShowCard) and e.more_sets
        for e in transition(PROGRAMME, at(set_number=3, stage=Stage.EFFORT), Skip(None)).effects
    )


def test_a_typed_load_replaces_the_expected_one() -> None:
    outcome = transition(PROGRAMME, at(load_grams=None), log(10, 42_500))
    assert outcome.state is not None and outcome.state.load_grams == 42_500


def test_the_lunge_counts_both_legs() -> None:
    stored = transition(PROGRAMME, at("lunge"), log(10)).effects[0]
    assert isinstance(stored, StoreSet) and stored.reps_other_leg == 10
    stored = transition(PROGRAMME, at("lunge"), log(10, reps_other_leg=9)).effects[0]
    assert isinstance(stored, StoreSet) and stored.reps_other_leg == 9
    stored = transition(PROGRAMME, at(), log(10, reps_other_leg=9)).effects[0]
    assert isinstance(stored, StoreSet) and stored.reps_other_leg is None


def test_the_last_set_asks_about_effort() -> None:
    outcome = transition(PROGRAMME, at(set_number=3), log(12))
    assert outcome.state == at(set_number=3, stage=Stage.EFFORT, step=5)
    assert outcome.effects[1:] == (AskEffort("deadlift", 5),)


@pytest.mark.parametrize(
    ("state", "event", "reason"),
    [
        (at(load_grams=None), log(10), Refusal.NEED_LOAD),
        (at(), log(10, MAX_LOAD_GRAMS + 1), Refusal.LOAD_TOO_HIGH),
        (at(), log(10, at_step=3), Refusal.STALE),
        (at(set_number=3, stage=Stage.EFFORT), log(10), Refusal.ANSWER_EFFORT),
        (at(), AnswerEffort(Effort.OK, None), Refusal.STALE),
        (at(set_number=3, stage=Stage.EFFORT), AnswerEffort(Effort.OK, None, 3), Refusal.STALE),
        (at(), Undo(None), Refusal.NOTHING_TO_UNDO),
        (None, log(10), Refusal.NO_WORKOUT),
        (None, log(10, at_step=4), Refusal.STALE),
        (None, Skip(None), Refusal.NO_WORKOUT),
        (None, End(), Refusal.NO_WORKOUT),
        (None, Resume(), Refusal.NO_WORKOUT),
    ],
)
def test_refusals_change_nothing(
    state: WorkoutState | None, event: LogSet | AnswerEffort | Undo, reason: Refusal
) -> None:
    assert transition(PROGRAMME, state, event) == Outcome(state, (Refuse(reason),))


def test_an_effort_answer_moves_to_the_next_exercise() -> None:
    outcome = transition(
        PROGRAMME, at(set_number=3, stage=Stage.EFFORT), AnswerEffort(Effort.HARD, 25_000, 4)
    )
    assert outcome.state == at("leg_curl", step=5, load_grams=25_000)
    assert outcome.effects == (
        StoreEffort(Effort.HARD),
        ShowCard("leg_curl", 2, len(PROGRAMME.exercises), 3, 25_000),
        ask("leg_curl", 1, 3, 25_000, 5),
    )


def test_after_the_last_exercise_the_workout_finishes() -> None:
    last = PROGRAMME.exercises[-1].slug
    effort = transition(PROGRAMME, at(last, 3, stage=Stage.EFFORT), AnswerEffort(Effort.OK, None))
    assert effort == Outcome(None, (StoreEffort(Effort.OK), Finish(keep=True)))
    assert transition(PROGRAMME, at(last, 2), Skip(None)) == Outcome(None, (Finish(keep=True),))


def test_skipping_before_any_set_is_remembered() -> None:
    outcome = transition(PROGRAMME, at(), Skip(None))
    assert outcome.state is not None and outcome.state.skipped == ("deadlift",)
    outcome = transition(PROGRAMME, at(set_number=2), Skip(None))
    assert outcome.state is not None and outcome.state.skipped == ()


def test_undo_goes_back_to_the_removed_set() -> None:
    removed = LastSet("deadlift", 3, 12, None, 40_000)
    outcome = transition(PROGRAMME, at("leg_curl", load_grams=None), Undo(removed))
    assert outcome.state == at(set_number=3, step=5)
    assert outcome.effects == (RemoveSet(removed), ask("deadlift", 3, 3, 40_000, 5))


def test_the_rest_ends_once() -> None:
    resting = at(set_number=2, rest_until=NOW)
    assert transition(PROGRAMME, resting, RestOver(NOW - timedelta(seconds=1))).effects == ()
    over = transition(PROGRAMME, resting, RestOver(NOW))
    assert over == Outcome(at(set_number=2), (ask("deadlift", 2, 3, 40_000, 4),))
    assert transition(PROGRAMME, at(set_number=2), RestOver(NOW)).effects == ()


def test_end_and_cancel_finish() -> None:
    assert transition(PROGRAMME, at(), End()) == Outcome(None, (Finish(keep=True),))
    assert transition(PROGRAMME, at(), Cancel(keep=False)) == Outcome(None, (Finish(keep=False),))


@pytest.mark.parametrize(
    ("state", "effects"),
    [
        (
            at(),
            (Resumed("deadlift", 1, 3, 40_000, Stage.SET), ask("deadlift", 1, 3, 40_000, 4)),
        ),
        (
            at(set_number=2, rest_until=NOW),
            (Resumed("deadlift", 2, 3, 40_000, Stage.SET), ask("deadlift", 2, 3, 40_000, 4)),
        ),
        (
            at(set_number=3, stage=Stage.EFFORT),
            (Resumed("deadlift", 3, 3, 40_000, Stage.EFFORT), AskEffort("deadlift", 4)),
        ),
    ],
    ids=["card", "rest", "effort"],
)
def test_resume_shows_exactly_where_the_user_is(
    state: WorkoutState, effects: tuple[object]
) -> None:
    resumed = replace(state, rest_until=None)  # the prompt is shown now, not at the rest's end
    assert transition(PROGRAMME, state, Resume()) == Outcome(resumed, effects)  # type: ignore[arg-type]


def test_an_edit_corrects_without_moving() -> None:
    assert transition(PROGRAMME, at(), EditSet(None)) == Outcome(at(), (CorrectSet(None),))
    assert transition(PROGRAMME, None, EditSet(1000)) == Outcome(None, (CorrectSet(1000),))


class Workouts(RuleBasedStateMachine):
    """Random events against a model of the stored sets: every state stays valid."""

    def __init__(self) -> None:
        super().__init__()
        outcome = start(PROGRAMME, sets=3, load_grams=None)
        self.state: WorkoutState | None = outcome.state
        self.stored: list[LastSet] = []
        self.now = NOW

    def apply(self, event: object) -> None:
        before = self.state
        outcome = transition(PROGRAMME, self.state, event)  # type: ignore[arg-type]
        for effect in outcome.effects:
            if isinstance(effect, StoreSet):
                self.stored.append(
                    LastSet(
                        effect.exercise,
                        effect.set_number,
                        effect.reps,
                        effect.reps_other_leg,
                        effect.load_grams,
                    )
                )
            elif isinstance(effect, RemoveSet):
                assert self.stored.pop() == effect.removed
            elif isinstance(effect, Refuse):
                assert outcome.state == before  # a refusal changes nothing
        if before is not None and outcome.state is not None and outcome.state != before:
            # Any move makes the buttons shown before it stale, except the rest ending.
            assert outcome.state.step > before.step or isinstance(event, RestOver | Resume)
        self.state = outcome.state

    @rule(
        reps=st.integers(1, 100),
        load=st.none() | st.integers(1, MAX_LOAD_GRAMS + 1000),
        button=st.booleans(),
        effort=st.none() | st.sampled_from(Effort),
        next_load=st.none() | st.integers(1, MAX_LOAD_GRAMS),
    )
    def log_set(
        self,
        reps: int,
        load: int | None,
        button: bool,
        effort: Effort | None,
        next_load: int | None,
    ) -> None:
        step = self.state.step if button and self.state is not None else None
        self.apply(log(reps, load, at_step=step, effort=effort, next_load=next_load))

    @rule()
    def undo(self) -> None:
        self.apply(Undo(self.stored[-1] if self.stored else None))

    @rule(load=st.none() | st.integers(1, MAX_LOAD_GRAMS))
    def skip(self, load: int | None) -> None:
        self.apply(Skip(load))

    @rule(effort=st.sampled_from(Effort), load=st.none() | st.integers(1, MAX_LOAD_GRAMS))
    def answer_effort(self, effort: Effort, load: int | None) -> None:
        self.apply(AnswerEffort(effort, load))

    @rule(seconds=st.integers(0, 120))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)
        self.apply(RestOver(self.now))

    @rule()
    def resume(self) -> None:
        self.apply(Resume())

    @precondition(lambda self: self.state is not None)
    @rule()
    def end(self) -> None:
        self.apply(End())

    @invariant()
    def state_is_valid(self) -> None:
        if self.state is not None:
            assert is_valid(PROGRAMME, self.state)
            # the sets stored for the current exercise are the ones before the one asked for
            done = [s.set_number for s in self.stored if s.exercise == self.state.exercise]
            expected = self.state.set_number - (self.state.stage is Stage.SET)
            assert done[-expected:] == list(range(1, expected + 1)) if expected else True


Workouts.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
test_random_event_sequences = Workouts.TestCase


DAY, DAY_ = NOW.date(), timedelta(days=1)


@given(
    idle=st.timedeltas(timedelta(0), timedelta(days=4)),
    later=st.timedeltas(timedelta(0), timedelta(days=4)),
    days_on=st.integers(0, 4),
)
def test_a_workout_is_left_behind_after_three_hours_or_its_day(
    idle: timedelta, later: timedelta, days_on: int
) -> None:
    today = DAY + timedelta(days=days_on)
    stale = is_stale(NOW, NOW + idle, DAY, today)
    assert stale == (idle >= timedelta(hours=3) or today > DAY)
    if stale:  # once left behind, it stays so
        assert is_stale(NOW, NOW + idle + later, DAY, today + later // DAY_ * DAY_)


def test_a_workout_on_its_day_within_three_hours_runs_on() -> None:
    assert not is_stale(NOW, NOW + timedelta(hours=2, minutes=59), DAY, DAY)
    assert is_stale(NOW, NOW + timedelta(hours=3), DAY, DAY)
    assert is_stale(NOW, NOW + timedelta(minutes=5), DAY, DAY + DAY_)
    assert not is_stale(NOW, NOW, date(2026, 11, 26), date(2026, 11, 26))


def test_a_stale_state_is_invalid() -> None:
    assert not is_valid(PROGRAMME, at("press"))
    assert not is_valid(PROGRAMME, at(set_number=4))
    assert not is_valid(PROGRAMME, at(rest_until=NOW))
    assert not is_valid(PROGRAMME, replace(at(), stage=Stage.EFFORT, load_grams=None))
