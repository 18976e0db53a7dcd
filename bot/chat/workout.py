"""The workout conversation: cards, set prompts, confirmations, the rest timer, the summary."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot.chat.common import coach, now, sender
from bot.domain.exercises import EXERCISES, Exercise
from bot.domain.program import REP_MAX, REP_MIN
from bot.domain.progression import Change, Effort, Why
from bot.domain.replies import Problem, SetReply, parse_effort, parse_set_reply
from bot.domain.schedule import NextTraining, Reason
from bot.domain.units import Unit, format_load, format_volume
from bot.services import workout as service
from bot.services.workout import (
    Corrected,
    EffortQuestion,
    ExerciseCard,
    Moved,
    Refusal,
    SetInput,
    SetLogged,
    SetPrompt,
    Started,
    Summary,
    TooSoon,
    Undone,
)

log = logging.getLogger(__name__)

REP_BUTTONS = range(6, 16)  # 6-15: around the 8-12 range, for a set that went long or short

# Button data: short strings checked against the database, so they survive a restart.
SET_DATA = re.compile(r"^s:(\d{1,12}):(\d{1,9}):(\d{1,3})$")
EFFORT_DATA = re.compile(r"^e:(\d{1,12}):(\d{1,9}):(easy|ok|hard)$")
UNDO_DATA = re.compile(r"^u:(\d{1,12}):(\d{1,12})$")
CUES_DATA = re.compile(r"^q:([a-z_]{1,32})$")
CANCEL_DATA = re.compile(r"^c:(\d{1,12}):(keep|discard)$")
TRAIN_ANYWAY = "w:go"
REST_INSTEAD = "w:rest"

PROBLEMS = {
    Problem.EMPTY: "Send the reps you did, like <code>10</code> or <code>10 x 40</code>.",
    Problem.NOT_UNDERSTOOD: (
        "I didn't get that. Send the reps, like <code>10</code>, or reps and load, "
        "like <code>10 x 42.5</code>."
    ),
    Problem.REPS_TOO_HIGH: "That's more reps than I can log (100 at most). Send the reps you did.",
    Problem.REPS_ZERO_OR_NEGATIVE: "Reps start at 1. Send the reps you did, like <code>10</code>.",
    Problem.LOAD_TOO_HIGH: "That load is beyond what I log (500 kg at most). Check it and resend.",
    Problem.LOAD_NOT_POSITIVE: "The load has to be above zero, like <code>10 x 40</code>.",
    Problem.TOO_MANY_NUMBERS: (
        "Too many numbers for me. Send reps and load, like <code>10 x 40</code>."
    ),
    Problem.REPS_NOT_WHOLE: "Reps are whole numbers. Send the reps you did, like <code>10</code>.",
    Problem.ONLY_EFFORT: "Send the reps too, like <code>12 easy</code>.",
}

REFUSALS = {
    Refusal.NO_WORKOUT: (
        "No workout is running. /start_workout to begin one, or /help to see what I do."
    ),
    Refusal.STALE: "That button is from an earlier step, so I left everything as it was.",
    Refusal.NEED_LOAD: (
        "What load did you use? Send reps and load together, like <code>10 x 20</code>."
    ),
    Refusal.ANSWER_EFFORT: "First, tap an answer above: could you have done 2 more reps?",
    Refusal.NOTHING_TO_UNDO: "Nothing to undo yet in this workout.",
    Refusal.UNKNOWN_SET: "That message didn't log a set, so there is nothing to correct.",
    Refusal.LOAD_TOO_HIGH: "That load is beyond what I log (500 kg at most). Check it and resend.",
}

EFFORT_LABELS = (
    (Effort.EASY, "Yes, easily"),
    (Effort.OK, "Just about"),
    (Effort.HARD, "No, it was hard"),
)

WHY = {
    Why.TOP_OF_RANGE: "every set reached 12",
    Why.TOP_OF_RANGE_ONCE: "12 every set again next time, then it goes up",
    Why.WELL_PAST_RANGE: "every set went well past 12, so this is sized for about 10 reps",
    Why.LAST_SET_HARD: "12 reached, but the last set was hard",
    Why.UNDER_RANGE: "a set fell short of 8",
    Why.IN_RANGE: "keep working towards 12 on every set",
    Why.NO_LOAD_YET: "tell me the load next time",
}


# --- wording ---------------------------------------------------------------------------------


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%b}"


def _target(sets: int, load_grams: int | None, unit: Unit) -> str:
    at = f" at {format_load(load_grams, unit)}" if load_grams is not None else ""
    return f"{sets} sets × {REP_MIN}–{REP_MAX} reps{at}"


def _set_text(reps: int, other_leg: int | None, load_grams: int, unit: Unit) -> str:
    counted = f"{reps}/{other_leg}" if other_leg is not None and other_leg != reps else f"{reps}"
    return f"{counted} × {format_load(load_grams, unit)}"


def next_training_text(upcoming: NextTraining) -> str:
    day = _day(upcoming.day)
    if upcoming.reason is Reason.MAKE_UP and upcoming.because_of is not None:
        return f"{day}, a make-up for {upcoming.because_of:%A}"
    if upcoming.reason is Reason.AFTER_REST and upcoming.because_of is not None:
        return (
            f"{day}: two rest days after {upcoming.because_of:%A}'s workout"
            if upcoming.because_of < upcoming.day
            else day
        )
    return f"{day}, your usual {upcoming.day:%A}"


def card_text(card: ExerciseCard) -> str:
    exercise = card.exercise
    cues = exercise.cues
    helpers = f" (helped by {', '.join(exercise.helpers)})" if exercise.helpers else ""
    return (
        f"<b>{card.position}/{card.of} · {escape(exercise.name)}</b> — "
        f"{', '.join(exercise.muscles)}{helpers}\n"
        f"{_target(card.sets, card.load_grams, card.unit)}"
        f"{' with ' + card.equipment.value if len(exercise.equipment) > 1 else ''}\n\n"
        f"• {escape(cues.setup)}\n• {escape(cues.movement)}\n• {escape(cues.turnaround)}"
    )


def cues_text(exercise: Exercise) -> str:
    cues = exercise.cues
    faults = "\n".join(f"• {escape(fault)}" for fault in cues.faults)
    return (
        f"<b>{escape(exercise.name)}: form cues</b>\n"
        f"<b>Set up:</b> {escape(cues.setup)}\n"
        f"<b>Move:</b> {escape(cues.movement)}\n"
        f"<b>Turn around:</b> {escape(cues.turnaround)}\n"
        f"<b>Watch for:</b>\n{faults}"
    )


def prompt_text(prompt: SetPrompt) -> str:
    head = f"<b>{escape(prompt.exercise.name)}</b> · Set {prompt.set_number} of {prompt.sets}"
    per_leg = " per leg" if prompt.exercise.one_leg_at_a_time else ""
    if prompt.load_grams is None:
        return (
            f"{head} · {REP_MIN}–{REP_MAX} reps{per_leg}\n"
            "Pick a load that makes 12 hard, then send reps × load, "
            "like <code>10 x 20</code>."
        )
    hint = " (send 10/9 if your legs differ)" if prompt.exercise.one_leg_at_a_time else ""
    load = format_load(prompt.load_grams, prompt.unit)
    return (
        f"{head} · {REP_MIN}–{REP_MAX} reps{per_leg} · {load}\n"
        f"Tap your reps, or type them{hint}. A different load? Send <code>10 x 45</code>."
    )


def prompt_keyboard(prompt: SetPrompt) -> InlineKeyboardMarkup | None:
    if prompt.load_grams is None:
        return None  # the first time we need the load too, so the answer must be typed
    buttons = [
        InlineKeyboardButton(str(reps), callback_data=f"s:{prompt.workout_id}:{prompt.step}:{reps}")
        for reps in REP_BUTTONS
    ]
    return InlineKeyboardMarkup([buttons[:5], buttons[5:]])


def card_keyboard(exercise: Exercise) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("Form cues", callback_data=f"q:{exercise.slug}")]]
    )


def effort_keyboard(question: EffortQuestion) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label, callback_data=f"e:{question.workout_id}:{question.step}:{effort.value}"
                )
            ]
            for effort, label in EFFORT_LABELS
        ]
    )


def effort_text(question: EffortQuestion) -> str:
    return (
        f"That was the last set of {escape(question.exercise.name)}. "
        "Could you have done 2 more reps?"
    )


def logged_text(logged: SetLogged) -> str:
    lines = [
        f"✅ {escape(logged.exercise.name)}, set {logged.set_number} of {logged.sets}: "
        f"{_set_text(logged.reps, logged.reps_other_leg, logged.load_grams, logged.unit)}"
    ]
    if logged.lighter_grams is not None:
        lines.append(
            "That's too heavy for now — take it down to "
            f"{format_load(logged.lighter_grams, logged.unit)} for the next set."
        )
    if isinstance(logged.then, SetPrompt):
        lines.append(
            f"Rest about a minute; I'll call you for set {logged.then.set_number}. "
            "Ready sooner? Just send your reps."
        )
    return "\n".join(lines)


def summary_text(summary: Summary) -> str:
    if not summary.kept:
        text = "Workout closed, nothing logged."
    else:
        lines = ["<b>Workout done</b> 💪"]
        for part in summary.exercises:
            name = escape(part.exercise.name)
            if part.skipped:
                lines.append(f"\n<b>{name}</b>: skipped")
                continue
            sets = ", ".join(
                _set_text(s.reps, s.reps_other_leg, s.load_grams, summary.unit) for s in part.sets
            )
            lines.append(f"\n<b>{name}</b>: {sets}")
            volume = format_volume(part.volume_grams, summary.unit)
            if part.best is not None:
                best = _set_text(
                    part.best.reps, part.best.reps_other_leg, part.best.load_grams, summary.unit
                )
                record = " 🏆 personal record" if part.record else ""
                lines.append(f"Volume {volume} · best set {best}{record}")
            if part.next_load is not None:
                lines.append(
                    _next_load_text(
                        part.next_load.change,
                        part.next_load.load_grams,
                        part.next_load.why,
                        summary.unit,
                    )
                )
        text = "\n".join(lines)
    if summary.next is not None:
        text += f"\n\nNext workout: {next_training_text(summary.next)}."
    return text


def _next_load_text(change: Change, load_grams: int | None, why: Why, unit: Unit) -> str:
    if load_grams is None:
        return f"Next time: {WHY[why]}."
    load = format_load(load_grams, unit)
    verb = {Change.UP: "up to", Change.DOWN: "down to", Change.HOLD: "stay at"}.get(change, "at")
    return f"Next time: {verb} {load} ({WHY[why]})."


def too_soon_text(refusal: TooSoon) -> str:
    return (
        f"Your last workout was {_day(refusal.last_workout)}. Muscles tone on the rest days, "
        f"so the programme wants two of them: the next workout is due "
        f"{next_training_text(refusal.next)}."
    )


TOO_SOON_KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Train anyway", callback_data=TRAIN_ANYWAY),
            InlineKeyboardButton("I'll rest", callback_data=REST_INSTEAD),
        ]
    ]
)


# --- sending ---------------------------------------------------------------------------------


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(text, reply_markup=markup)


async def send_exercise(update: Update, card: ExerciseCard, prompt: SetPrompt) -> None:
    await _reply(update, card_text(card), card_keyboard(card.exercise))
    await _reply(update, prompt_text(prompt), prompt_keyboard(prompt))


async def send_started(update: Update, started: Started | TooSoon) -> None:
    if isinstance(started, TooSoon):
        await _reply(update, too_soon_text(started), TOO_SOON_KEYBOARD)
        return
    if not started.resumed:
        await send_exercise(update, started.card, started.prompt)
        return
    prompt = started.prompt
    if started.effort is not None:
        await _reply(
            update,
            f"Picking up where you were: {escape(prompt.exercise.name)}, all {prompt.sets} sets "
            "logged.",
        )
        await _reply(update, effort_text(started.effort), effort_keyboard(started.effort))
        return
    load = f", {format_load(prompt.load_grams, prompt.unit)}" if prompt.load_grams else ""
    await _reply(
        update,
        f"Picking up where you were: {escape(prompt.exercise.name)}, "
        f"set {prompt.set_number} of {prompt.sets}{load}.",
    )
    await _reply(update, prompt_text(prompt), prompt_keyboard(prompt))


async def send_moved(update: Update, moved: Moved | Summary | Refusal) -> None:
    if isinstance(moved, Refusal):
        await _reply(update, REFUSALS[moved])
    elif isinstance(moved, Moved):
        await send_exercise(update, moved.card, moved.prompt)
    else:
        chart = InlineKeyboardMarkup([[InlineKeyboardButton("📈 Chart", callback_data="p:chart")]])
        await _reply(update, summary_text(moved), chart if moved.kept else None)


async def send_logged(
    update: Update, context: ContextTypes.DEFAULT_TYPE, logged: SetLogged | Refusal
) -> None:
    if logged is Refusal.DUPLICATE:
        return  # the first delivery already answered this message
    if isinstance(logged, Refusal):
        await _reply(update, REFUSALS[logged])
        return
    undo = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Undo", callback_data=f"u:{logged.workout_id}:{logged.set_id}")]]
    )
    await _reply(update, logged_text(logged), undo)
    if isinstance(logged.then, EffortQuestion):
        await _reply(update, effort_text(logged.then), effort_keyboard(logged.then))
    else:
        schedule_rest_end(context, logged.rest_seconds)


def schedule_rest_end(context: ContextTypes.DEFAULT_TYPE, seconds: int) -> None:
    """A timely trigger for the rest sweep; the database says whose rest is over."""
    assert context.job_queue is not None
    context.job_queue.run_once(rest_sweep, when=seconds, job_kwargs={"misfire_grace_time": None})


async def rest_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    # A little slack so a timer that fires a hair early still finds its rest over.
    await prompt_after_rest(context, ended_by=now() + timedelta(seconds=1))


async def prompt_after_rest(context: ContextTypes.DEFAULT_TYPE, ended_by: datetime) -> None:
    """Sends the next-set prompt of every rest over by `ended_by`, each exactly once."""
    for chat_id, prompt in await service.rests_over(coach(context).db, ended_by):
        await context.bot.send_message(
            chat_id, prompt_text(prompt), reply_markup=prompt_keyboard(prompt)
        )


# --- handlers --------------------------------------------------------------------------------


async def start_workout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = sender(update)
    started = await service.start_workout(
        coach(context).db, user.id, user.first_name, user.language_code, now()
    )
    await send_started(update, started)


def set_input(reply: SetReply) -> SetInput:
    return SetInput(
        reps=reply.reps,
        reps_other_leg=reply.reps_other_leg,
        load=reply.load,
        load_unit=reply.unit,
        effort=reply.effort,
    )


async def typed_set(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """A text mid-workout: a set, an effort answer, or something to explain.

    Returns False, having said nothing, when no workout is running: the text is then
    something else (an answer to a settings question, say).
    """
    user = sender(update)
    message = update.effective_message
    assert message is not None
    db = coach(context).db
    effort = parse_effort(text)
    if effort is not None:
        moved = await service.answer_effort(db, user.id, effort, now(), button=None)
        if moved is Refusal.NO_WORKOUT:
            return False
        if moved is Refusal.STALE:
            await _reply(update, PROBLEMS[Problem.ONLY_EFFORT])  # not the effort question now
        else:
            await send_moved(update, moved)
        return True
    parsed = parse_set_reply(text)
    if isinstance(parsed, SetReply):
        logged = await service.log_set(
            db,
            user.id,
            set_input(parsed),
            now(),
            message_id=message.message_id,
            rest_seconds=coach(context).settings.rest_seconds,
        )
        if logged is Refusal.NO_WORKOUT:
            return False
        await send_logged(update, context, logged)
        return True
    if await service.active_workout_id(db, user.id) is None:
        return False
    await _reply(update, PROBLEMS[parsed.problem])
    return True


async def edited_set(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.edited_message
    if message is None or message.text is None:
        return
    parsed = parse_set_reply(message.text)
    if not isinstance(parsed, SetReply):
        await _reply(update, "I couldn't read the edited message, so the set stays as it was.")
        return
    corrected = await service.correct_set(
        coach(context).db, sender(update).id, message.message_id, set_input(parsed)
    )
    if corrected is Refusal.UNKNOWN_SET:
        return  # an edit of a message that logged nothing: not worth a reply
    if isinstance(corrected, Refusal):
        await _reply(update, REFUSALS[corrected])
        return
    await _reply(update, corrected_text(corrected))


def corrected_text(corrected: Corrected) -> str:
    old, new = corrected.old, corrected.new
    return (
        f"✏️ Corrected {escape(corrected.exercise.name)}, set {corrected.set_number}: "
        f"{_set_text(old.reps, old.reps_other_leg, old.load_grams, corrected.unit)} → "
        f"{_set_text(new.reps, new.reps_other_leg, new.load_grams, corrected.unit)}"
    )


async def undo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    undone = await service.undo_last_set(coach(context).db, sender(update).id)
    await send_undone(update, undone)


async def send_undone(update: Update, undone: Undone | Refusal) -> None:
    if isinstance(undone, Refusal):
        await _reply(update, REFUSALS[undone])
        return
    await _reply(
        update,
        f"↩️ Removed {escape(undone.exercise.name)}, set {undone.set_number}: "
        f"{_set_text(undone.reps, undone.reps_other_leg, undone.load_grams, undone.unit)}.",
    )
    await _reply(update, prompt_text(undone.prompt), prompt_keyboard(undone.prompt))


async def skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_moved(
        update, await service.skip_exercise(coach(context).db, sender(update).id, now())
    )


async def end(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    summary = await service.end_workout(coach(context).db, sender(update).id, now())
    await send_moved(update, summary)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    db = coach(context).db
    exercise = await service.current_exercise(db, sender(update).id)
    if exercise is None:
        await _reply(update, REFUSALS[Refusal.NO_WORKOUT])
        return
    workout_id = await service.active_workout_id(db, sender(update).id)
    await _reply(
        update,
        "Stop this workout? Keep the sets you logged, or throw them away?",
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Keep my sets", callback_data=f"c:{workout_id}:keep"),
                    InlineKeyboardButton("Discard them", callback_data=f"c:{workout_id}:discard"),
                ]
            ]
        ),
    )


async def cues(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    exercise = await service.current_exercise(coach(context).db, sender(update).id)
    if exercise is None:
        await _reply(update, "\n\n".join(cues_text(e) for e in EXERCISES))
        return
    await _reply(update, cues_text(exercise))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every workout button; anything unrecognised is answered as stale."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    user = sender(update)
    db = coach(context).db
    if match := SET_DATA.match(data):
        workout_id, step, reps = (int(group) for group in match.groups())
        logged = await service.log_set(
            db,
            user.id,
            SetInput(reps=reps),
            now(),
            button=(workout_id, step),
            rest_seconds=coach(context).settings.rest_seconds,
        )
        await query.answer("Logged" if isinstance(logged, SetLogged) else None)
        await send_logged(update, context, logged)
    elif match := EFFORT_DATA.match(data):
        moved = await service.answer_effort(
            db,
            user.id,
            Effort(match.group(3)),
            now(),
            button=(int(match.group(1)), int(match.group(2))),
        )
        await query.answer()
        await send_moved(update, moved)
    elif match := UNDO_DATA.match(data):
        await query.answer()
        await send_undone(update, await service.undo_last_set(db, user.id, set_id=int(match[2])))
    elif match := CANCEL_DATA.match(data):
        await query.answer()
        if await service.active_workout_id(db, user.id) != int(match[1]):
            await _reply(update, REFUSALS[Refusal.STALE])
            return
        summary = await service.end_workout(db, user.id, now(), keep=match[2] == "keep")
        await send_moved(update, summary)
    elif match := CUES_DATA.match(data):
        found = next((e for e in EXERCISES if e.slug == match[1]), None)
        await query.answer()
        await _reply(update, cues_text(found) if found else REFUSALS[Refusal.STALE])
    elif data == TRAIN_ANYWAY:
        await query.answer()
        started = await service.start_workout(
            db, user.id, user.first_name, user.language_code, now(), train_anyway=True
        )
        await send_started(update, started)
    elif data == REST_INSTEAD:
        await query.answer("Enjoy the rest")
        await _reply(update, "Good call — rest is when the muscles adapt. See you next time.")
    else:
        await query.answer("That button has expired.")
        await _reply(update, REFUSALS[Refusal.STALE])
