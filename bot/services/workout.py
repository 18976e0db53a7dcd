"""Everything a user does during a workout: the domain's state machine, carried out in storage.

Each function takes the update's `Conversation` (the unit of work, its user and active workout
already read and locked), feeds one event to `bot.domain.workout.transition`, does what the
effects ask of the database, and returns the effects for the chat layer to word. The caller
commits before it answers, so every set is stored before it is acknowledged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.progression import (
    Effort,
    LiftedSet,
    LoadSuggestion,
    epley_one_rep_max,
    heavier_set_load,
    next_set_load,
    next_workout_load,
    reached_top,
)
from bot.domain.schedule import NextTraining, too_soon
from bot.domain.units import (
    DEFAULT_STEPS,
    MAX_LOAD_GRAMS,
    Equipment,
    Unit,
    round_to_step,
    to_grams,
)
from bot.domain.workout import (
    AnswerEffort,
    AskEffort,
    AskForSet,
    Cancel,
    CorrectSet,
    EditSet,
    Effect,
    End,
    Event,
    Finish,
    LastSet,
    LogSet,
    Refusal,
    Refuse,
    RemoveSet,
    RestOver,
    Resume,
    Skip,
    Stage,
    StartRest,
    StoreEffort,
    StoreSet,
    Undo,
    WorkoutState,
    asking,
    is_stale,
    start,
    transition,
)
from bot.services import reminders
from bot.services.conversation import Conversation
from bot.services.profile import (
    Kit,
    equipment_for,
    kit_of,
    local_today,
    plan_ahead,
    step_for,
    unit_of,
)
from bot.storage import users, workouts
from bot.storage.database import Database
from bot.storage.models import LoggedSet, User, Workout
from bot.storage.workouts import ExerciseSets, Lifted


@dataclass(frozen=True)
class Athlete:
    """What wording needs of the user: their unit and equipment per exercise."""

    unit: Unit
    equipment: Mapping[str, Equipment]
    kit: Kit  # for showing loads as loadable
    # The language to word it in when no update says so (a rest's end): chosen with
    # /language, else Telegram's language_code at first contact.
    language: str | None = None


@dataclass(frozen=True)
class SetStored:
    workout_id: int
    set_id: int
    stored: StoreSet


@dataclass(frozen=True)
class TooSoon:
    last_workout: date
    earliest: date
    next: NextTraining


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
    more_sets_next: int | None = None  # this workout earned more sets per exercise: how many
    closed_on: date | None = None  # closed by the coach, left without a set: the day it's filed
    # Closed by the coach: the workout's live message, folded (its buttons go).
    fold: Live | None = None


@dataclass(frozen=True)
class Corrected:
    exercise: Exercise
    set_number: int
    old: LoggedLine
    new: LoggedLine


# What the chat layer words: the domain's effects, with what only the database knows filled in.
Shown = Effect | SetStored | Summary | Corrected | TooSoon


@dataclass(frozen=True)
class Live:
    """One exercise's live message: the sets logged so far and what it asks for now.

    The chat edits it in place (`message_id`), or sends it anew when there is none (a new
    exercise) or when it must notify (the rest is over): then `replaces` is the older copy
    to take away.
    """

    workout_id: int
    exercise: str
    message_id: int | None
    done: tuple[Lifted, ...]
    last_time: tuple[Lifted, ...]  # this exercise's sets in the last workout that had it
    ask: AskForSet | AskEffort | None  # None: the exercise is over, its buttons go
    zone: str
    rest_until: datetime | None = None
    logged: StoreSet | None = None  # the set this update logged, for its advice
    replaces: int | None = None


@dataclass(frozen=True)
class Reply:
    effects: tuple[Shown, ...]
    athlete: Athlete
    workout_id: int | None  # the workout the effects belong to (for its buttons)
    lives: tuple[Live, ...] = ()  # the live messages to edit or send, in order


@dataclass(frozen=True)
class SetInput:
    """A set as the user gave it: by button or by text (already parsed)."""

    reps: int
    reps_other_leg: int | None = None
    load: Decimal | None = None
    load_unit: Unit | None = None
    effort: Effort | None = None


# --- state in and out of the row -------------------------------------------------------------


def state_of(workout: Workout) -> WorkoutState:
    return WorkoutState(
        exercise=workout.exercise,
        set_number=workout.set_number,
        sets=workout.sets_per_exercise,
        stage=Stage(workout.stage),
        step=workout.step,
        load_grams=workout.load_grams,
        rest_until=workout.rest_until,
        skipped=tuple(filter(None, workout.skipped.split(","))),
    )


async def _save(session: AsyncSession, workout_id: int, state: WorkoutState) -> None:
    await workouts.save_place(
        session,
        workout_id,
        exercise=state.exercise,
        set_number=state.set_number,
        stage=state.stage.value,
        step=state.step,
        load_grams=state.load_grams,
        rest_until=state.rest_until,
        skipped=",".join(state.skipped),
    )


def athlete(user: User | None) -> Athlete:
    if user is None:
        return Athlete(Unit.KG, {}, Kit(Unit.KG, {}, DEFAULT_STEPS[Unit.KG], None))
    kit = kit_of(user)
    return Athlete(kit.unit, kit.equipment, kit, user.language or user.language_code)


async def _suggested_load(
    session: AsyncSession, user: User, exercise: Exercise | None
) -> int | None:
    if exercise is None:
        return None
    known = (await workouts.loads(session, user.id)).get(exercise.slug)
    if known is None or known.load_grams is None:
        return None
    step = step_for(user, equipment_for(user, exercise))
    return round_to_step(known.load_grams, unit_of(user), step)


def _grams(given: SetInput, user: User) -> int | None:
    if given.load is None:
        return None
    return to_grams(given.load, given.load_unit or unit_of(user))


# The (workout id, step) a button was made for.
Made = tuple[int, int]


def _other_workout(talk: Conversation, at: Made | None) -> bool:
    """A button made for a workout that is not the running one."""
    return at is not None and talk.workout is not None and talk.workout.id != at[0]


def _refused(talk: Conversation, reason: Refusal) -> Reply:
    workout_id = talk.workout.id if talk.workout is not None else None
    return Reply((Refuse(reason),), athlete(talk.user), workout_id)


# --- carrying out the effects ----------------------------------------------------------------


async def _carry_out(
    talk: Conversation, event: Event, now: datetime, *, message_id: int | None = None
) -> Reply:
    """Feeds `event` to the state machine, stores what it asks, returns what to say."""
    shown: list[Shown] = []
    closed = await _close_if_stale(talk, now)
    if closed is not None:
        shown.append(closed)
    session, user, workout = talk.session, talk.user, talk.workout
    state = state_of(workout) if workout is not None else None
    outcome = transition(program.PROGRAMME, state, event)
    sets = await _sets_of(talk) if state is not None else None
    for effect in outcome.effects:
        match effect:
            case StoreSet():
                assert user is not None and workout is not None
                set_id = await workouts.store_set(
                    session,
                    workout_id=workout.id,
                    user_id=user.id,
                    exercise=effect.exercise,
                    set_number=effect.set_number,
                    reps=effect.reps,
                    reps_other_leg=effect.reps_other_leg,
                    load_grams=effect.load_grams,
                    effort=effect.effort.value if effect.effort else None,
                    message_id=message_id,
                    logged_at=now,
                )
                if set_id is None:  # this message logged its set already: say nothing more
                    return Reply((Refuse(Refusal.DUPLICATE),), athlete(user), workout.id)
                shown.append(SetStored(workout.id, set_id, effect))
            case StoreEffort(effort=effort):
                assert workout is not None
                await workouts.store_effort(session, workout.id, effort.value)
            case RemoveSet():
                assert workout is not None
                last = await workouts.last_set(session, workout.id)
                assert last is not None
                await session.delete(last)
                shown.append(effect)
            case Finish(keep=keep, skipped=skipped):
                assert user is not None and workout is not None
                shown.append(await _finish(session, workout, user, now, keep=keep, skipped=skipped))
            case _:
                shown.append(effect)
    if workout is not None and outcome.state is not None and outcome.state != state:
        await _save(session, workout.id, outcome.state)
    lives: tuple[Live, ...] = ()
    if state is not None and sets is not None and not _only_refusals(outcome.effects):
        lives = await _lives(
            talk, state, sets, shown, outcome.state, resend=isinstance(event, Resume)
        )
    return Reply(tuple(shown), athlete(user), workout.id if workout is not None else None, lives)


def _only_refusals(effects: Sequence[Effect]) -> bool:
    return all(isinstance(effect, Refuse) for effect in effects)


async def _sets_of(talk: Conversation) -> ExerciseSets | None:
    """The sets of the workout's current exercise: read with the lock, else read now."""
    if talk.sets is not None or talk.workout is None:
        return talk.sets
    workout = talk.workout
    talk.sets = await workouts.exercise_sets(
        talk.session, workout.id, workout.user_id, workout.exercise
    )
    return talk.sets


async def _lives(
    talk: Conversation,
    before: WorkoutState,
    sets: ExerciseSets,
    shown: Sequence[Shown],
    after: WorkoutState | None,
    *,
    resend: bool = False,
) -> tuple[Live, ...]:
    """The live messages after a move: the current one edited, or folded and a new one for
    the next exercise. Only a move to another exercise reads more sets."""
    workout, user = talk.workout, talk.user
    if workout is None or user is None:
        return ()
    done = list(sets.done)
    logged = None
    for effect in shown:
        if isinstance(effect, SetStored) and effect.stored.exercise == before.exercise:
            stored = effect.stored
            done.append(
                Lifted(
                    effect.set_id,
                    stored.set_number,
                    stored.reps,
                    stored.reps_other_leg,
                    stored.load_grams,
                )
            )
            logged = stored
        elif isinstance(effect, RemoveSet) and effect.removed.exercise == before.exercise:
            done = [d for d in done if d.set_number != effect.removed.set_number]
    message = workout.prompt_message_id
    current = Live(
        workout.id,
        before.exercise,
        message,
        tuple(done),
        sets.last_time,
        None,
        user.time_zone,
        logged=logged,
    )
    if after is None:  # the workout is over: the last live message loses its buttons
        if any(isinstance(effect, Summary) and not effect.kept for effect in shown):
            current = replace(current, done=())  # discarded: no set shows as done
        return (current,) if message is not None else ()
    ask = asking(program.PROGRAMME, after)
    if after.exercise == before.exercise:
        talk.sets = ExerciseSets(current.done, current.last_time)  # for a next move (3x10)
        live = replace(current, ask=ask, rest_until=after.rest_until)
        if resend or message is None:
            live = replace(live, message_id=None, replaces=message)
        return (live,)
    following = await workouts.exercise_sets(talk.session, workout.id, user.id, after.exercise)
    talk.sets = following
    new = Live(
        workout.id,
        after.exercise,
        None,
        following.done,
        following.last_time,
        ask,
        user.time_zone,
        rest_until=after.rest_until,
    )
    undone_back = any(isinstance(effect, RemoveSet) for effect in shown)
    if message is not None and undone_back and not current.done:
        # Undone back into an earlier exercise: this one's message holds nothing, so it goes
        # rather than stay as "no sets logged".
        return (replace(new, replaces=message),)
    return (current, new) if message is not None else (new,)


# --- what a user can do ----------------------------------------------------------------------


async def start_workout(
    talk: Conversation,
    first_name: str,
    language_code: str | None,
    now: datetime,
    *,
    train_anyway: bool = False,
) -> Reply:
    """Starts today's workout, or shows where the running one is.

    A workout left behind (see `is_stale`) is closed first and a fresh one starts.
    """
    closed = await _close_if_stale(talk, now)
    if talk.workout is not None:
        return await _carry_out(talk, Resume(), now)
    reply = await _start_fresh(talk, first_name, language_code, now, train_anyway=train_anyway)
    if closed is None:
        return reply
    return Reply((closed, *reply.effects), reply.athlete, reply.workout_id, reply.lives)


async def _start_fresh(
    talk: Conversation,
    first_name: str,
    language_code: str | None,
    now: datetime,
    *,
    train_anyway: bool,
) -> Reply:
    session = talk.session
    user, _ = await users.get_or_create(session, talk.user_id, first_name, language_code, now)
    talk.user = user
    today = local_today(user, now)
    past = await workouts.finished_dates(session, user.id)
    earliest = too_soon(past, today)
    if earliest is not None and not train_anyway:
        refusal = TooSoon(
            last_workout=max(past), earliest=earliest, next=plan_ahead(user, past, today)
        )
        return Reply((refusal,), athlete(user), None)
    programme = program.PROGRAMME
    done = await workouts.sets_done_per_workout(session, user.id)
    sets = programme.sets_per_exercise(_counted(done))
    more_sets = sets > programme.sets_at_first and all(planned < sets for planned, _ in done)
    load = await _suggested_load(session, user, programme.first)
    outcome = start(programme, sets, load, more_sets=more_sets)
    state = outcome.state
    assert state is not None
    workout = Workout(
        user_id=user.id,
        started_at=now,
        local_date=today,
        sets_per_exercise=state.sets,
        exercise=state.exercise,
        set_number=state.set_number,
        stage=state.stage.value,
        step=state.step,
        load_grams=state.load_grams,
        skipped="",
        status=workouts.ACTIVE,
    )
    session.add(workout)
    await session.flush()
    before = await workouts.exercise_sets(session, workout.id, user.id, state.exercise)
    live = Live(
        workout.id,
        state.exercise,
        None,
        (),
        before.last_time,
        asking(programme, state),
        user.time_zone,
    )
    return Reply(outcome.effects, athlete(user), workout.id, (live,))


async def log_set(
    talk: Conversation,
    given: SetInput,
    now: datetime,
    *,
    rest_seconds: int,
    message_id: int | None = None,
    at: Made | None = None,
) -> Reply:
    """Logs the next set of the active workout.

    `message_id` keys a typed set to its Telegram message (a redelivery logs nothing);
    `at` is the (workout, step) a tapped button was made for (an older one is stale).
    """
    if _other_workout(talk, at):
        return _refused(talk, Refusal.STALE)
    at_step = at[1] if at is not None else None
    user, workout = talk.user, talk.workout
    if (
        workout is None
        and message_id is not None
        and await workouts.set_by_message(talk.session, talk.user_id, message_id) is not None
    ):
        return _refused(talk, Refusal.DUPLICATE)  # redelivered after its workout ended
    if user is None or workout is None:
        return _refused(talk, Refusal.STALE if at_step is not None else Refusal.NO_WORKOUT)
    exercise = program.PROGRAMME.exercise(workout.exercise)
    # An effort typed with the last set moves on to the next exercise: it needs its load.
    last_set = given.effort is not None and workout.set_number == workout.sets_per_exercise
    event = LogSet(
        reps=given.reps,
        logged_at=now,
        rest_seconds=rest_seconds,
        unit=unit_of(user),
        step_size=step_for(user, equipment_for(user, exercise)),
        reps_other_leg=given.reps_other_leg,
        load_grams=_grams(given, user),
        effort=given.effort,
        at_step=at_step,
        next_load=await _next_load(talk) if last_set else None,
    )
    return await _carry_out(talk, event, now, message_id=message_id)


async def log_sets(
    talk: Conversation,
    reps: int,
    count: int,
    now: datetime,
    *,
    rest_seconds: int,
    at: Made,
) -> Reply:
    """ "3x10" meant as sets: up to `count` sets of `reps` at the current load, never past the
    exercise's last set. Says each set, then only what follows the last one."""
    replies: list[Reply] = []
    for _ in range(count):
        reply = await log_set(
            talk,
            SetInput(reps=reps),
            now,
            rest_seconds=rest_seconds,
            at=at if not replies else None,
        )
        replies.append(reply)
        if talk.workout is None or not any(isinstance(e, SetStored) for e in reply.effects):
            break
        if any(isinstance(e, AskEffort) for e in reply.effects):
            break  # the exercise's last set is in
        await talk.session.refresh(talk.workout)  # its place was saved by a Core UPDATE
    stored = [e for r in replies[:-1] for e in r.effects if isinstance(e, SetStored)]
    last = replies[-1]
    lives = last.lives or next((r.lives for r in reversed(replies) if r.lives), ())
    return Reply((*stored, *last.effects), last.athlete, last.workout_id, lives)


async def answer_effort(
    talk: Conversation, effort: Effort, now: datetime, *, at: Made | None = None
) -> Reply:
    """Records how the exercise's last set felt and moves on to the next exercise."""
    if _other_workout(talk, at):
        return _refused(talk, Refusal.STALE)
    at_step = at[1] if at is not None else None
    return await _carry_out(
        talk, AnswerEffort(effort, await _next_load(talk), at_step=at_step), now
    )


async def skip_exercise(talk: Conversation, now: datetime) -> Reply:
    return await _carry_out(talk, Skip(await _next_load(talk)), now)


async def _next_load(talk: Conversation) -> int | None:
    if talk.user is None or talk.workout is None:
        return None
    following = program.PROGRAMME.after(talk.workout.exercise)
    return await _suggested_load(talk.session, talk.user, following)


async def end_workout(
    talk: Conversation, now: datetime, *, keep: bool = True, workout_id: int | None = None
) -> Reply:
    """Finishes now: keeps what was logged, or (keep=False) discards it.

    From a button, `workout_id` is the workout it was shown for: it must still be running.
    """
    if workout_id is not None and (talk.workout is None or talk.workout.id != workout_id):
        return _refused(talk, Refusal.STALE)
    return await _carry_out(talk, End() if keep else Cancel(keep=False), now)


async def undo_last_set(
    talk: Conversation, now: datetime, *, set_id: int | None = None, workout_id: int | None = None
) -> Reply:
    """Removes the workout's newest set and puts the user back on it.

    From an Undo button, `set_id` names the set it was shown under: only the newest set can
    be undone that way, so an old button cannot remove a later set.
    """
    workout = talk.workout
    if workout is None or (workout_id is not None and workout.id != workout_id):
        return _refused(talk, Refusal.STALE if set_id is not None else Refusal.NO_WORKOUT)
    newest = await workouts.last_set(talk.session, workout.id)
    if set_id is not None and newest is not None and newest.id != set_id:
        return _refused(talk, Refusal.STALE)
    last = None
    if newest is not None:
        last = LastSet(
            newest.exercise,
            newest.set_number,
            newest.reps,
            newest.reps_other_leg,
            newest.load_grams,
        )
    return await _carry_out(talk, Undo(last), now)


async def correct_set(talk: Conversation, message_id: int, given: SetInput, now: datetime) -> Reply:
    """An edited rep message corrects the set it logged; where the user is stays the same."""
    user = talk.user
    load = _grams(given, user) if user is not None else None
    if load is not None and load > MAX_LOAD_GRAMS:
        return _refused(talk, Refusal.LOAD_TOO_HIGH)
    state = state_of(talk.workout) if talk.workout is not None else None
    shown: list[Shown] = []
    for effect in transition(program.PROGRAMME, state, EditSet(load)).effects:
        if isinstance(effect, CorrectSet):
            shown.append(await _correct(talk, message_id, given, effect.load_grams))
        else:
            shown.append(effect)
    lives: tuple[Live, ...] = ()
    if any(isinstance(effect, Corrected) for effect in shown):
        await _next_set_follows(talk, message_id)
        lives = await _corrected_live(talk, message_id)
    return Reply(tuple(shown), athlete(user), None, lives)


async def _next_set_follows(talk: Conversation, message_id: int) -> None:
    """The newest set corrected while the next one waits: the next set's load follows the
    corrected set as it would have followed it typed (so its rep buttons log the right load)."""
    workout, user = talk.workout, talk.user
    if workout is None or user is None or workout.stage != Stage.SET.value:
        return
    logged = await workouts.set_by_message(talk.session, talk.user_id, message_id)
    newest = await workouts.last_set(talk.session, workout.id)
    if (
        logged is None
        or newest is None
        or logged.id != newest.id
        or logged.exercise != workout.exercise
        or logged.set_number + 1 != workout.set_number
    ):
        return
    exercise = program.PROGRAMME.exercise(logged.exercise)
    unit, step = unit_of(user), step_for(user, equipment_for(user, exercise))
    counted = _counted_reps(_line(logged))
    effort = Effort(logged.effort) if logged.effort else None
    workout.load_grams = (
        next_set_load(counted, logged.load_grams, unit, step)
        or heavier_set_load(counted, effort, logged.load_grams, unit, step)
        or logged.load_grams
    )


async def _corrected_live(talk: Conversation, message_id: int) -> tuple[Live, ...]:
    """The live message with the corrected set's line, if it shows that set."""
    workout, user, sets = talk.workout, talk.user, talk.sets
    if workout is None or user is None or sets is None or workout.prompt_message_id is None:
        return ()
    logged = await workouts.set_by_message(talk.session, talk.user_id, message_id)
    if logged is None or logged.workout_id != workout.id or logged.exercise != workout.exercise:
        return ()
    done = tuple(
        replace(
            lifted,
            reps=logged.reps,
            reps_other_leg=logged.reps_other_leg,
            load_grams=logged.load_grams,
        )
        if lifted.set_id == logged.id
        else lifted
        for lifted in sets.done
    )
    live = Live(
        workout.id,
        workout.exercise,
        workout.prompt_message_id,
        done,
        sets.last_time,
        asking(program.PROGRAMME, state_of(workout)),
        user.time_zone,
        rest_until=workout.rest_until,
    )
    return (live,)


async def _correct(
    talk: Conversation, message_id: int, given: SetInput, load_grams: int | None
) -> Corrected | Refuse:
    logged = await workouts.set_by_message(talk.session, talk.user_id, message_id)
    if talk.user is None or logged is None or not program.PROGRAMME.holds(logged.exercise):
        return Refuse(Refusal.UNKNOWN_SET)
    exercise = program.PROGRAMME.exercise(logged.exercise)
    old = _line(logged)
    logged.reps = given.reps
    if exercise.one_leg_at_a_time:
        other = given.reps_other_leg
        logged.reps_other_leg = other if other is not None else given.reps
    if load_grams is not None:
        logged.load_grams = load_grams
    if given.effort is not None:
        logged.effort = given.effort.value
    return Corrected(exercise=exercise, set_number=logged.set_number, old=old, new=_line(logged))


async def current_exercise(db: Database, user_id: int) -> str | None:
    """The slug of the exercise the user is on, if a workout runs."""
    async with db.reading() as session:
        workout = await workouts.active(session, user_id)
        return workout.exercise if workout is not None else None


async def active_workout_id(db: Database, user_id: int) -> int | None:
    async with db.reading() as session:
        workout = await workouts.active(session, user_id)
        return workout.id if workout is not None else None


async def rest_over(db: Database, workout_id: int, now: datetime) -> tuple[int, Reply] | None:
    """Ends one workout's rest if it is over and still unclaimed: (chat id, what to send)."""
    async with db.writing() as session:
        claimed = await workouts.claim_rest(session, workout_id, now)
        if claimed is None:
            return None
        workout, user, sets = claimed
        return user.id, _rest_reply(workout, user, sets, now)


def _rest_reply(workout: Workout, user: User, sets: ExerciseSets, now: datetime) -> Reply:
    """The live message anew, so the phone notifies; the copy from the rest goes."""
    # The claim cleared the rest in the row; the machine still sees it as running.
    outcome = transition(program.PROGRAMME, state_of(workout), RestOver(now))
    if outcome.state is None or not outcome.effects:
        return Reply((), athlete(user), workout.id)
    live = Live(
        workout.id,
        workout.exercise,
        None,
        sets.done,
        sets.last_time,
        asking(program.PROGRAMME, outcome.state),
        user.time_zone,
        replaces=workout.prompt_message_id,
    )
    return Reply((), athlete(user), workout.id, (live,))


async def rests_over(db: Database, now: datetime) -> list[tuple[int, Reply]]:
    """Claims every finished rest: (chat id, the next-set prompt) to send, each once."""
    async with db.writing() as session:
        claimed = await workouts.claim_finished_rests(session, now)
        replies = []
        for workout in claimed:
            user = await users.get(session, workout.user_id)
            if user is None:
                continue
            sets = await workouts.exercise_sets(session, workout.id, user.id, workout.exercise)
            replies.append((user.id, _rest_reply(workout, user, sets, now)))
        return replies


async def remember_live_message(db: Database, workout_id: int, message_id: int) -> None:
    """The message now showing the workout's live prompt: the next move edits that one."""
    async with db.writing() as session:
        await workouts.remember_live_message(session, workout_id, message_id)


async def change_rest(
    talk: Conversation, now: datetime, *, at: Made, more_seconds: int | None
) -> Reply:
    """+30 s on the running rest (`more_seconds`), or the rest skipped (None): the live
    message says so; a button from another step or a rest already over is stale."""
    workout = talk.workout
    if (
        workout is None
        or (workout.id, workout.step) != at
        or workout.rest_until is None
        or workout.rest_until <= now
    ):
        return _refused(talk, Refusal.STALE)
    before = state_of(workout)
    until = None
    if more_seconds is not None:
        until = max(workout.rest_until, now) + timedelta(seconds=more_seconds)
    after = replace(before, rest_until=until)
    await _save(talk.session, workout.id, after)
    sets = await _sets_of(talk)
    assert sets is not None
    lives = await _lives(talk, before, sets, (), after)
    effects: tuple[Shown, ...] = ()
    if until is not None:
        effects = (StartRest(max(1, int((until - now).total_seconds() + 0.999))),)
    return Reply(effects, athlete(talk.user), workout.id, lives)


# --- workouts left behind --------------------------------------------------------------------


async def _close_if_stale(talk: Conversation, now: datetime) -> Summary | None:
    """Closes the running workout if it was left behind, as a normal finish would (records,
    next loads), filed on the day it was trained. The summary to show; None when nothing was
    closed, or nothing was logged (such a workout is discarded without a word)."""
    workout, user = talk.workout, talk.user
    if workout is None or user is None:
        return None
    today = local_today(user, now)
    # Started under 3 hours ago today, it cannot be left behind: no query on the hot path.
    if not is_stale(workout.started_at, now, workout.local_date, today):
        return None
    moved = await workouts.last_move(talk.session, workout)
    if not is_stale(moved, now, workout.local_date, today):
        return None
    talk.workout = None
    skipped = state_of(workout).skipped
    summary = await _finish(talk.session, workout, user, now, keep=True, skipped=skipped)
    workout.finished_at = moved  # it ended with its last set, not when we noticed
    if not summary.kept:
        return None
    fold = None
    if workout.prompt_message_id is not None:
        sets = talk.sets or await workouts.exercise_sets(
            talk.session, workout.id, user.id, workout.exercise
        )
        fold = Live(
            workout.id,
            workout.exercise,
            workout.prompt_message_id,
            sets.done,
            sets.last_time,
            None,
            user.time_zone,
        )
    return replace(summary, closed_on=workout.local_date, fold=fold)


async def close_left_behind(
    db: Database, now: datetime
) -> list[tuple[int, Summary, Kit, str | None]]:
    """Closes every workout left behind: (chat id, its summary, the user's kit and language to
    word it) for those with sets logged.

    Each is closed in its own unit of work, its row locked as an update would lock it, so a
    set typed at that moment either lands before the close or finds the workout closed.
    """
    async with db.reading() as session:
        running = await workouts.active_users(session)
    closed = []
    for user_id in running:
        async with db.writing() as session:
            found = await workouts.lock_active(session, user_id)
            if found is None:  # finished meanwhile
                continue
            workout, user, sets = found
            talk = Conversation(session, user_id, user, workout, sets)
            summary = await _close_if_stale(talk, now)
        if summary is not None:
            closed.append((user_id, summary, kit_of(user), user.language or user.language_code))
    return closed


def _counted(done: Sequence[tuple[int, int]]) -> int:
    """How many workouts count towards the switch to more sets."""
    return sum(program.PROGRAMME.counts_towards_more_sets(d, planned) for planned, d in done)


async def workouts_towards_more_sets(session: AsyncSession, user_id: int) -> int:
    """The user's finished workouts that count towards the switch to more sets."""
    return _counted(await workouts.sets_done_per_workout(session, user_id))


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
    session: AsyncSession,
    workout: Workout,
    user: User,
    now: datetime,
    *,
    keep: bool,
    skipped: Sequence[str],
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
    summaries = []
    for exercise in program.PROGRAMME.exercises:
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
    more_sets_next = None
    if logged:
        earned = program.PROGRAMME.sets_per_exercise(
            _counted(await workouts.sets_done_per_workout(session, user.id))
        )
        more_sets_next = earned if earned > workout.sets_per_exercise else None
    past = await workouts.finished_dates(session, user.id)
    upcoming = plan_ahead(user, past, local_today(user, now))
    await reminders.replan(session, user, now)  # the next reminder follows this workout
    return Summary(
        workout_id=workout.id,
        exercises=tuple(summaries),
        unit=unit,
        next=upcoming,
        kept=bool(logged),
        more_sets_next=more_sets_next,
    )
