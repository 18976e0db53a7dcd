"""Everything a user does during a workout, each as one unit of work.

Every function takes the database and plain inputs and returns plain data for the chat layer
to word. A set is committed before its answer is returned, so before it is acknowledged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import program
from bot.domain.exercises import EXERCISES, Exercise
from bot.domain.progression import (
    Effort,
    LiftedSet,
    LoadSuggestion,
    epley_one_rep_max,
    next_set_load,
    next_workout_load,
    reached_top,
)
from bot.domain.schedule import (
    NextTraining,
    too_soon,
)
from bot.domain.units import (
    MAX_LOAD_GRAMS,
    Equipment,
    Unit,
    round_to_step,
    to_grams,
)
from bot.services import reminders
from bot.services.profile import equipment_for, local_today, plan_ahead, step_for, unit_of
from bot.storage import users, workouts
from bot.storage.database import Database
from bot.storage.models import LoggedSet, User, Workout

SET_STAGE = "set"
EFFORT_STAGE = "effort"


class Refusal(StrEnum):
    """Why an action changed nothing."""

    NO_WORKOUT = "no_workout"
    STALE = "stale"
    DUPLICATE = "duplicate"
    NEED_LOAD = "need_load"
    ANSWER_EFFORT = "answer_effort"
    NOTHING_TO_UNDO = "nothing_to_undo"
    UNKNOWN_SET = "unknown_set"
    LOAD_TOO_HIGH = "load_too_high"


@dataclass(frozen=True)
class SetPrompt:
    workout_id: int
    step: int
    exercise: Exercise
    set_number: int
    sets: int
    load_grams: int | None
    unit: Unit
    equipment: Equipment


@dataclass(frozen=True)
class ExerciseCard:
    exercise: Exercise
    position: int  # 1-based place in today's workout
    of: int
    sets: int
    load_grams: int | None
    unit: Unit
    equipment: Equipment


@dataclass(frozen=True)
class EffortQuestion:
    workout_id: int
    step: int
    exercise: Exercise


@dataclass(frozen=True)
class Started:
    card: ExerciseCard
    prompt: SetPrompt
    resumed: bool
    # Resumed while the exercise's effort question was open: ask it again, not for a set.
    effort: EffortQuestion | None = None


@dataclass(frozen=True)
class TooSoon:
    last_workout: date
    earliest: date
    next: NextTraining


@dataclass(frozen=True)
class SetLogged:
    set_id: int
    workout_id: int
    step: int
    exercise: Exercise
    set_number: int
    sets: int
    reps: int
    reps_other_leg: int | None
    load_grams: int
    unit: Unit
    lighter_grams: int | None  # the load for the next set after one under the range
    rest_seconds: int
    then: SetPrompt | EffortQuestion


@dataclass(frozen=True)
class LoggedLine:
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int


@dataclass(frozen=True)
class ExerciseSummary:
    exercise: Exercise
    sets: tuple[LoggedLine, ...]
    volume_grams: int  # reps × load summed (both legs for the lunge)
    best: LoggedLine | None
    record: bool
    next_load: LoadSuggestion | None
    skipped: bool


@dataclass(frozen=True)
class Summary:
    workout_id: int
    exercises: tuple[ExerciseSummary, ...]
    unit: Unit
    next: NextTraining | None
    kept: bool


@dataclass(frozen=True)
class Moved:
    """The workout went on to the next exercise (after an effort answer or a skip)."""

    card: ExerciseCard
    prompt: SetPrompt


@dataclass(frozen=True)
class Undone:
    exercise: Exercise
    set_number: int
    reps: int
    reps_other_leg: int | None
    load_grams: int
    unit: Unit
    prompt: SetPrompt


@dataclass(frozen=True)
class Corrected:
    exercise: Exercise
    set_number: int
    old: LoggedLine
    new: LoggedLine
    unit: Unit


@dataclass(frozen=True)
class SetInput:
    """A set as the user gave it: by button or by text (already parsed)."""

    reps: int
    reps_other_leg: int | None = None
    load: Decimal | None = None
    load_unit: Unit | None = None
    effort: Effort | None = None


# --- reading the user's settings -------------------------------------------------------------


# --- state transitions -----------------------------------------------------------------------


def _exercise(workout: Workout) -> Exercise:
    return EXERCISES[workout.exercise_index]


def _prompt(workout: Workout, user: User) -> SetPrompt:
    exercise = _exercise(workout)
    return SetPrompt(
        workout_id=workout.id,
        step=workout.step,
        exercise=exercise,
        set_number=workout.set_number,
        sets=workout.sets_per_exercise,
        load_grams=workout.load_grams,
        unit=unit_of(user),
        equipment=equipment_for(user, exercise),
    )


def _card(workout: Workout, user: User) -> ExerciseCard:
    exercise = _exercise(workout)
    return ExerciseCard(
        exercise=exercise,
        position=workout.exercise_index + 1,
        of=len(EXERCISES),
        sets=workout.sets_per_exercise,
        load_grams=workout.load_grams,
        unit=unit_of(user),
        equipment=equipment_for(user, exercise),
    )


def _effort_question(workout: Workout) -> EffortQuestion:
    return EffortQuestion(workout_id=workout.id, step=workout.step, exercise=_exercise(workout))


async def _suggested_load(session: AsyncSession, user: User, exercise: Exercise) -> int | None:
    known = (await workouts.loads(session, user.id)).get(exercise.slug)
    if known is None or known.load_grams is None:
        return None
    step = step_for(user, equipment_for(user, exercise))
    return round_to_step(known.load_grams, unit_of(user), step)


async def _go_to_exercise(session: AsyncSession, workout: Workout, user: User, index: int) -> bool:
    """Moves to exercise `index`; False when the workout has no exercise left."""
    workout.step += 1
    workout.rest_until = None
    if index >= len(EXERCISES):
        return False
    workout.exercise_index = index
    workout.set_number = 1
    workout.stage = SET_STAGE
    workout.load_grams = await _suggested_load(session, user, EXERCISES[index])
    return True


# --- what a user can do ----------------------------------------------------------------------


async def start_workout(
    db: Database,
    user_id: int,
    first_name: str,
    language_code: str | None,
    now: datetime,
    *,
    train_anyway: bool = False,
) -> Started | TooSoon:
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        current = await workouts.active(session, user_id, lock=True)
        if current is not None:
            return _resume(current, user)
        today = local_today(user, now)
        past = await workouts.finished_dates(session, user_id)
        earliest = too_soon(past, today)
        if earliest is not None and not train_anyway:
            return TooSoon(
                last_workout=max(past),
                earliest=earliest,
                next=plan_ahead(user, past, today),
            )
        completed = await workouts.count_finished(session, user_id)
        workout = Workout(
            user_id=user_id,
            started_at=now,
            local_date=today,
            sets_per_exercise=program.sets_per_exercise(completed),
            exercise_index=0,
            set_number=1,
            stage=SET_STAGE,
            step=0,
            skipped="",
            status=workouts.ACTIVE,
        )
        workout.load_grams = await _suggested_load(session, user, EXERCISES[0])
        session.add(workout)
        await session.flush()
        return Started(card=_card(workout, user), prompt=_prompt(workout, user), resumed=False)


def _resume(workout: Workout, user: User) -> Started:
    """Where the user is: at a set (its prompt), or at the exercise's effort question."""
    if workout.stage == EFFORT_STAGE:
        return Started(
            card=_card(workout, user),
            prompt=_prompt(workout, user),
            resumed=True,
            effort=_effort_question(workout),
        )
    # The prompt goes out now, so the rest timer must not send it again.
    workout.rest_until = None
    return Started(card=_card(workout, user), prompt=_prompt(workout, user), resumed=True)


async def log_set(
    db: Database,
    user_id: int,
    given: SetInput,
    now: datetime,
    *,
    message_id: int | None = None,
    button: tuple[int, int] | None = None,
    rest_seconds: int = program.REST_SECONDS,
) -> SetLogged | Refusal:
    """Logs the next set of the active workout.

    `message_id` keys a typed set to its Telegram message (a redelivery logs nothing);
    `button` is the (workout id, step) a tapped button was made for (an old one is stale).
    """
    try:
        async with db.writing() as session:
            return await _log_set(session, user_id, given, now, message_id, button, rest_seconds)
    except IntegrityError as error:
        if workouts.is_redelivered_set(error):
            # Two deliveries of one message raced past the update record; the first one won.
            return Refusal.DUPLICATE
        raise  # anything else is a real failure, and the user hears about it


async def _log_set(
    session: AsyncSession,
    user_id: int,
    given: SetInput,
    now: datetime,
    message_id: int | None,
    button: tuple[int, int] | None,
    rest_seconds: int,
) -> SetLogged | Refusal:
    # A redelivered message is caught by the unique (user, message) key when it is inserted.
    user, workout = await workouts.user_and_active(session, user_id)
    if user is None or workout is None:
        if message_id is not None and await workouts.set_by_message(session, user_id, message_id):
            return Refusal.DUPLICATE  # redelivered after its workout ended
        return Refusal.STALE if button else Refusal.NO_WORKOUT
    if button is not None and button != (workout.id, workout.step):
        return Refusal.STALE
    if workout.stage == EFFORT_STAGE:
        return Refusal.ANSWER_EFFORT
    exercise = _exercise(workout)
    unit = unit_of(user)
    load = to_grams(given.load, given.load_unit or unit) if given.load is not None else None
    load = load if load is not None else workout.load_grams
    if load is None:
        return Refusal.NEED_LOAD
    if load > MAX_LOAD_GRAMS:
        return Refusal.LOAD_TOO_HIGH  # "10 x 600" with no unit: only now is the unit known
    other_leg = given.reps_other_leg
    if exercise.one_leg_at_a_time and other_leg is None:
        other_leg = given.reps  # "10" on the lunge means ten on each leg
    if not exercise.one_leg_at_a_time:
        other_leg = None
    logged = LoggedSet(
        workout_id=workout.id,
        user_id=user_id,
        exercise=exercise.slug,
        set_number=workout.set_number,
        reps=given.reps,
        reps_other_leg=other_leg,
        load_grams=load,
        effort=given.effort.value if given.effort else None,
        message_id=message_id,
        logged_at=now,
    )
    session.add(logged)
    step = step_for(user, equipment_for(user, exercise))
    counted = min(given.reps, other_leg) if other_leg is not None else given.reps
    more_sets = workout.set_number < workout.sets_per_exercise
    lighter = next_set_load(counted, load, unit, step) if more_sets else None
    workout.step += 1
    then: SetPrompt | EffortQuestion
    if more_sets:
        workout.set_number += 1
        workout.load_grams = lighter if lighter is not None else load
        workout.rest_until = now + timedelta(seconds=rest_seconds)
        then = _prompt(workout, user)
    else:
        workout.stage = EFFORT_STAGE
        workout.load_grams = load
        workout.rest_until = None
        then = _effort_question(workout)
    await session.flush()
    return SetLogged(
        set_id=logged.id,
        workout_id=workout.id,
        step=workout.step,
        exercise=exercise,
        set_number=logged.set_number,
        sets=workout.sets_per_exercise,
        reps=logged.reps,
        reps_other_leg=logged.reps_other_leg,
        load_grams=load,
        unit=unit,
        lighter_grams=lighter,
        rest_seconds=rest_seconds if isinstance(then, SetPrompt) else 0,
        then=then,
    )


async def answer_effort(
    db: Database, user_id: int, effort: Effort, now: datetime, *, button: tuple[int, int] | None
) -> Moved | Summary | Refusal:
    """Records how the exercise's last set felt and moves on to the next exercise."""
    async with db.writing() as session:
        user, workout = await workouts.user_and_active(session, user_id)
        if user is None or workout is None:
            return Refusal.STALE if button else Refusal.NO_WORKOUT
        if (button is not None and button != (workout.id, workout.step)) or (
            workout.stage != EFFORT_STAGE
        ):
            return Refusal.STALE
        last = await workouts.last_set(session, workout.id)
        if last is not None:
            last.effort = effort.value
        return await _next_exercise(session, workout, user, now)


async def _next_exercise(
    session: AsyncSession, workout: Workout, user: User, now: datetime
) -> Moved | Summary:
    if await _go_to_exercise(session, workout, user, workout.exercise_index + 1):
        return Moved(card=_card(workout, user), prompt=_prompt(workout, user))
    return await _finish(session, workout, user, now, keep=True)


async def skip_exercise(db: Database, user_id: int, now: datetime) -> Moved | Summary | Refusal:
    async with db.writing() as session:
        user, workout = await workouts.user_and_active(session, user_id)
        if user is None or workout is None:
            return Refusal.NO_WORKOUT
        slug = _exercise(workout).slug
        if workout.set_number == 1 and workout.stage == SET_STAGE:
            workout.skipped = ",".join(filter(None, [workout.skipped, slug]))
        return await _next_exercise(session, workout, user, now)


async def end_workout(
    db: Database, user_id: int, now: datetime, *, keep: bool = True
) -> Summary | Refusal:
    """Finishes now: keeps what was logged, or (keep=False) discards it."""
    async with db.writing() as session:
        user, workout = await workouts.user_and_active(session, user_id)
        if user is None or workout is None:
            return Refusal.NO_WORKOUT
        return await _finish(session, workout, user, now, keep=keep)


async def undo_last_set(
    db: Database, user_id: int, *, set_id: int | None = None
) -> Undone | Refusal:
    """Removes the workout's newest set and puts the user back on it.

    From an Undo button, `set_id` names the set it was shown under: only the newest set can
    be undone that way, so an old button cannot remove a later set.
    """
    async with db.writing() as session:
        user, workout = await workouts.user_and_active(session, user_id)
        if user is None or workout is None:
            return Refusal.STALE if set_id is not None else Refusal.NO_WORKOUT
        last = await workouts.last_set(session, workout.id)
        if last is None:
            return Refusal.NOTHING_TO_UNDO
        if set_id is not None and last.id != set_id:
            return Refusal.STALE
        await session.delete(last)
        workout.exercise_index = next(
            i for i, exercise in enumerate(EXERCISES) if exercise.slug == last.exercise
        )
        workout.set_number = last.set_number
        workout.stage = SET_STAGE
        workout.load_grams = last.load_grams
        workout.rest_until = None
        workout.step += 1
        await session.flush()
        return Undone(
            exercise=_exercise(workout),
            set_number=last.set_number,
            reps=last.reps,
            reps_other_leg=last.reps_other_leg,
            load_grams=last.load_grams,
            unit=unit_of(user),
            prompt=_prompt(workout, user),
        )


async def correct_set(
    db: Database, user_id: int, message_id: int, given: SetInput
) -> Corrected | Refusal:
    """An edited rep message corrects the set it logged."""
    async with db.writing() as session:
        user = await users.get(session, user_id, lock=True)
        logged = await workouts.set_by_message(session, user_id, message_id)
        if user is None or logged is None:
            return Refusal.UNKNOWN_SET
        unit = unit_of(user)
        load = to_grams(given.load, given.load_unit or unit) if given.load is not None else None
        if load is not None and load > MAX_LOAD_GRAMS:
            return Refusal.LOAD_TOO_HIGH
        old = _line(logged)
        logged.reps = given.reps
        exercise = next(e for e in EXERCISES if e.slug == logged.exercise)
        if exercise.one_leg_at_a_time:
            logged.reps_other_leg = (
                given.reps_other_leg if given.reps_other_leg is not None else given.reps
            )
        if load is not None:
            logged.load_grams = load
        if given.effort is not None:
            logged.effort = given.effort.value
        return Corrected(
            exercise=exercise,
            set_number=logged.set_number,
            old=old,
            new=_line(logged),
            unit=unit,
        )


async def current_exercise(db: Database, user_id: int) -> Exercise | None:
    async with db.reading() as session:
        workout = await workouts.active(session, user_id)
        return _exercise(workout) if workout is not None else None


async def active_workout_id(db: Database, user_id: int) -> int | None:
    async with db.reading() as session:
        workout = await workouts.active(session, user_id)
        return workout.id if workout is not None else None


async def rests_over(db: Database, now: datetime) -> list[tuple[int, SetPrompt]]:
    """Claims every finished rest: (chat id, the next-set prompt) to send, each once."""
    async with db.writing() as session:
        claimed = await workouts.claim_finished_rests(session, now)
        prompts = []
        for workout in claimed:
            user = await users.get(session, workout.user_id)
            if user is not None:
                prompts.append((user.id, _prompt(workout, user)))
        return prompts


# --- the summary -----------------------------------------------------------------------------


def _line(logged: LoggedSet) -> LoggedLine:
    return LoggedLine(logged.set_number, logged.reps, logged.reps_other_leg, logged.load_grams)


def _counted_reps(line: LoggedLine) -> int:
    return min(line.reps, line.reps_other_leg) if line.reps_other_leg is not None else line.reps


def _volume(line: LoggedLine) -> int:
    return (line.reps + (line.reps_other_leg or 0)) * line.load_grams


def _best(lines: Sequence[LoggedLine]) -> LoggedLine | None:
    if not lines:
        return None
    return max(lines, key=lambda line: epley_one_rep_max(_counted_reps(line), line.load_grams))


async def _finish(
    session: AsyncSession, workout: Workout, user: User, now: datetime, *, keep: bool
) -> Summary:
    unit = unit_of(user)
    if not keep:
        await workouts.delete_sets(session, workout.id)
    logged = await workouts.sets_of(session, workout.id) if keep else []
    workout.status = workouts.FINISHED if logged else workouts.ABANDONED
    workout.finished_at = now
    workout.rest_until = None
    workout.step += 1
    known = await workouts.loads(session, user.id)
    skipped = set(filter(None, workout.skipped.split(",")))
    summaries = []
    for exercise in EXERCISES:
        mine = [s for s in logged if s.exercise == exercise.slug]
        lines = tuple(_line(s) for s in mine)
        if not lines:
            if exercise.slug in skipped:
                summaries.append(ExerciseSummary(exercise, (), 0, None, False, None, skipped=True))
            continue
        best = _best(lines)
        assert best is not None
        earlier = await workouts.earlier_sets(session, user.id, exercise.slug, workout.id)
        best_e1rm = epley_one_rep_max(_counted_reps(best), best.load_grams)
        record = bool(earlier) and all(
            best_e1rm > epley_one_rep_max(reps, load) for reps, load in earlier
        )
        lifted = [LiftedSet(_counted_reps(line), line.load_grams) for line in lines]
        last_effort = Effort(mine[-1].effort) if mine[-1].effort else None
        before = known.get(exercise.slug)
        suggestion = next_workout_load(
            lifted,
            last_effort,
            unit,
            step_for(user, equipment_for(user, exercise)),
            reached_top_last_time=bool(before and before.reached_top_last_time),
        )
        await workouts.save_load(
            session,
            user.id,
            exercise.slug,
            suggestion.load_grams,
            suggestion.change.value,
            suggestion.why.value,
            reached_top(lifted),
            now,
        )
        summaries.append(
            ExerciseSummary(
                exercise=exercise,
                sets=lines,
                volume_grams=sum(_volume(line) for line in lines),
                best=best,
                record=record,
                next_load=suggestion,
                skipped=False,
            )
        )
    await session.flush()
    past = await workouts.finished_dates(session, user.id)
    today = local_today(user, now)
    upcoming = plan_ahead(user, past, today)
    await reminders.replan(session, user, now)  # the next reminder follows this workout
    return Summary(
        workout_id=workout.id,
        exercises=tuple(summaries),
        unit=unit,
        next=upcoming,
        kept=bool(logged),
    )
