"""The workout conversation: cards, set prompts, confirmations, the rest timer, the summary.

Each handler opens the update's one unit of work (`conversation`), calls the one service for
it, and words the effects it gets back once the unit of work is committed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP
from functools import partial
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import i18n, metrics
from bot.chat import buttons
from bot.chat.buttons import (
    LogReps,
    RateEffort,
    RestInstead,
    RestMore,
    RestSkip,
    ShowChart,
    ShowCues,
    StopWorkout,
    TrainAnyway,
    UndoSet,
)
from bot.chat.cards import card_text
from bot.chat.common import coach, drop_buttons, now, sender, speak_to
from bot.chat.loads import load_text, set_text, sets_text
from bot.chat.names import exercise_name, said
from bot.chat.programme_words import rep_range, top_reps
from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.progression import TARGET_REPS, Change, Effort, Why
from bot.domain.replies import Problem, SetReply, parse_effort, parse_set_reply
from bot.domain.schedule import NextTraining, Reason
from bot.domain.units import Unit, in_unit
from bot.domain.workout import (
    AskEffort,
    AskForSet,
    Refusal,
    Refuse,
    RemoveSet,
    Resumed,
    ShowCard,
    Stage,
    StartRest,
    StoreSet,
)
from bot.i18n import N_, _, ngettext
from bot.services import workout as service
from bot.services.conversation import Conversation, conversation
from bot.services.profile import Kit
from bot.services.workout import (
    Corrected,
    Live,
    Reply,
    SetInput,
    SetStored,
    Summary,
    TooSoon,
)
from bot.storage.workouts import Lifted

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
# What to send once the update's unit of work is committed.
Send = Callable[[], Awaitable[None]]

# Around the rep range (6-15 for 8-12), for a set that went long or short.
REP_SLACK_BELOW, REP_SLACK_ABOVE = 2, 3

PROBLEMS = {
    Problem.EMPTY: N_("Send the reps you did, like <code>10</code> or <code>10 x 40</code>."),
    Problem.NOT_UNDERSTOOD: N_(
        "I didn't get that. Send the reps, like <code>10</code>, or reps and load, "
        "like <code>10 x 42.5</code>."
    ),
    Problem.REPS_TOO_HIGH: N_(
        "That's more reps than I can log (100 at most). Send the reps you did."
    ),
    Problem.REPS_ZERO_OR_NEGATIVE: N_(
        "Reps start at 1. Send the reps you did, like <code>10</code>."
    ),
    Problem.LOAD_TOO_HIGH: N_(
        "That load is beyond what I log (500 kg at most). Check it and resend."
    ),
    Problem.LOAD_NOT_POSITIVE: N_("The load has to be above zero, like <code>10 x 40</code>."),
    Problem.TOO_MANY_NUMBERS: N_(
        "Too many numbers for me. Send reps and load, like <code>10 x 40</code>."
    ),
    Problem.REPS_NOT_WHOLE: N_(
        "Reps are whole numbers. Send the reps you did, like <code>10</code>."
    ),
    Problem.ONLY_EFFORT: N_("Send the reps too, like <code>12 easy</code>."),
}

REFUSALS = {
    Refusal.NO_WORKOUT: N_(
        "No workout is running. /start_workout to begin one, or /help to see what I do."
    ),
    Refusal.STALE: N_("That button is from an earlier step, so I left everything as it was."),
    Refusal.NEED_LOAD: N_(
        "What load did you use? Send reps and load together, like <code>10 x 20</code>."
    ),
    Refusal.ANSWER_EFFORT: N_("First, tap an answer above: could you have done 2 more reps?"),
    Refusal.NOTHING_TO_UNDO: N_("Nothing to undo yet in this workout."),
    Refusal.UNKNOWN_SET: N_("That message didn't log a set, so there is nothing to correct."),
    Refusal.LOAD_TOO_HIGH: N_(
        "That load is beyond what I log (500 kg at most). Check it and resend."
    ),
}

# A stale tap is answered by a toast on the button, never a new message.
STALE_TOAST = N_("That button is from an earlier step: nothing changed.")
REST_MORE_SECONDS = 30

EFFORT_LABELS = (
    (Effort.EASY, N_("Yes, easily")),
    (Effort.OK, N_("Just about")),
    (Effort.HARD, N_("No, it was hard")),
)


def problem_text(problem: Problem) -> str:
    return _(PROBLEMS[problem])


def refusal_text(refusal: Refusal) -> str:
    return _(REFUSALS[refusal])


def why_text(why: Why) -> str:
    top, bottom = program.PROGRAMME.rep_max, program.PROGRAMME.rep_min
    if why is Why.TOP_OF_RANGE:
        return _("every set reached %(top)s", top=top)
    if why is Why.TOP_OF_RANGE_ONCE:
        return _("%(top)s every set again next time, then it goes up", top=top)
    if why is Why.WELL_PAST_RANGE:
        return _(
            "every set went well past %(top)s, so this is sized for about %(target)s reps",
            top=top,
            target=TARGET_REPS,
        )
    if why is Why.LAST_SET_HARD:
        return _("%(top)s reached, but the last set was hard", top=top)
    if why is Why.UNDER_RANGE:
        return _("a set fell short of %(bottom)s", bottom=bottom)
    if why is Why.IN_RANGE:
        return _("keep working towards %(top)s on every set", top=top)
    return _("tell me the load you use")


def rep_buttons() -> range:
    return range(
        program.PROGRAMME.rep_min - REP_SLACK_BELOW, program.PROGRAMME.rep_max + REP_SLACK_ABOVE + 1
    )


def _exercise(slug: str) -> Exercise:
    return program.PROGRAMME.exercise(slug)


# --- wording ---------------------------------------------------------------------------------


def _day(day: date) -> str:
    """`Tuesday 1 Dec`, `Dienstag, 1. Dez.`."""
    return i18n.current().day(day)


def next_training_text(upcoming: NextTraining) -> str:
    day = _day(upcoming.day)
    weekday = i18n.current().weekday
    if upcoming.reason is Reason.MAKE_UP and upcoming.because_of is not None:
        return _("%(day)s, a make-up for %(missed)s", day=day, missed=weekday(upcoming.because_of))
    if upcoming.reason is Reason.AFTER_REST and upcoming.because_of is not None:
        if upcoming.because_of < upcoming.day:
            return _(
                "%(day)s: two rest days after %(last)s's workout",
                day=day,
                last=weekday(upcoming.because_of),
            )
        return day
    return _("%(day)s, your usual %(weekday)s", day=day, weekday=weekday(upcoming.day))


def cues_text(exercise: Exercise) -> str:
    cues = exercise.cues
    faults = "\n".join(f"• {escape(said(fault))}" for fault in cues.faults)
    return "\n".join(
        (
            _("<b>%(exercise)s: form cues</b>", exercise=escape(exercise_name(exercise.slug))),
            _("<b>Set up:</b> %(cue)s", cue=escape(said(cues.setup))),
            _("<b>Move:</b> %(cue)s", cue=escape(said(cues.movement))),
            _("<b>Turn around:</b> %(cue)s", cue=escape(said(cues.turnaround))),
            _("<b>Watch for:</b>") + f"\n{faults}",
        )
    )


def prompt_text(prompt: AskForSet, kit: Kit, last_time: str = "") -> str:
    exercise = _exercise(prompt.exercise)
    head = _(
        "<b>%(exercise)s</b> · Set %(number)s of %(sets)s",
        exercise=escape(exercise_name(exercise.slug)),
        number=prompt.set_number,
        sets=prompt.sets,
    )
    reps = (
        _("%(reps)s reps per leg", reps=rep_range())
        if exercise.one_leg_at_a_time
        else _("%(reps)s reps", reps=rep_range())
    )
    cue = f"\n<i>{escape(said(prompt.cue))}</i>" if prompt.cue else ""
    # "last time 10 × 37.5 kg": the figure to beat, on the prompt's first line.
    figure = f" · {last_time}" if last_time else ""
    if prompt.load_grams is None:
        return (
            f"{head} · {reps}{figure}\n"
            + _(
                "Pick a load that makes %(top)s hard, then send reps × load, "
                "like <code>10 x 20</code>.",
                top=top_reps(),
            )
            + cue
        )
    load = load_text(prompt.load_grams, kit, prompt.exercise, plates=True)
    ask = (
        _(
            "Tap your reps, or type them (send 10/9 if your legs differ). "
            "A different load? Send <code>10 x 45</code>."
        )
        if exercise.one_leg_at_a_time
        else _("Tap your reps, or type them. A different load? Send <code>10 x 45</code>.")
    )
    return f"{head} · {reps} · {load}{figure}\n{ask}{cue}"


def prompt_keyboard(prompt: AskForSet, workout_id: int) -> InlineKeyboardMarkup | None:
    if prompt.load_grams is None:
        return None  # the first time we need the load too, so the answer must be typed
    keys = [
        InlineKeyboardButton(
            str(reps), callback_data=buttons.encode(LogReps(workout_id, prompt.step, reps))
        )
        for reps in rep_buttons()
    ]
    return InlineKeyboardMarkup([keys[:5], keys[5:]])


def card_keyboard(exercise: Exercise) -> InlineKeyboardMarkup:
    data = buttons.encode(ShowCues(exercise.slug))
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("Form cues"), callback_data=data)]])


def effort_keyboard(question: AskEffort, workout_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _(label),
                    callback_data=buttons.encode(RateEffort(workout_id, question.step, effort)),
                )
            ]
            for effort, label in EFFORT_LABELS
        ]
    )


def done_line(lifted: Lifted, kit: Kit, exercise: str) -> str:
    figure = set_text(lifted.reps, lifted.reps_other_leg, lifted.load_grams, kit, exercise)
    return "✅ " + _("Set %(number)s · %(set)s", number=lifted.set_number, set=figure)


def last_time_text(live: Live, set_number: int, kit: Kit) -> str:
    """ "last time 10 × 37.5 kg": this set in the last workout that had the exercise."""
    for lifted in live.last_time:
        if lifted.set_number == set_number:
            figure = set_text(
                lifted.reps, lifted.reps_other_leg, lifted.load_grams, kit, live.exercise
            )
            return _("last time %(set)s", set=figure)
    return ""


def advice_lines(logged: StoreSet, kit: Kit) -> list[str]:
    lines = []
    if logged.lighter_grams is not None:
        lines.append(
            _(
                "That's too heavy for now — take it down to %(load)s for the next set.",
                load=load_text(logged.lighter_grams, kit, logged.exercise),
            )
        )
    if logged.heavier_grams is not None:
        lines.append(
            _(
                "That's light for you — go up to %(load)s for the next set.",
                load=load_text(logged.heavier_grams, kit, logged.exercise),
            )
        )
    return lines


def _local_time(instant: datetime, zone: str, *, seconds: bool = False) -> str:
    try:
        local = instant.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        local = instant
    return f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"


def rest_text(live: Live, prompt: AskForSet, until: datetime, kit: Kit) -> str:
    """ "⏱ Rest until 18:42 · next: set 2, 40 kg · last time 10 × 37.5 kg"."""
    parts = ["⏱ " + _("Rest until %(time)s", time=_local_time(until, live.zone))]
    if prompt.load_grams is None:
        parts.append(_("next: set %(number)s", number=prompt.set_number))
    else:
        parts.append(
            _(
                "next: set %(number)s, %(load)s",
                number=prompt.set_number,
                load=load_text(prompt.load_grams, kit, prompt.exercise),
            )
        )
    last = last_time_text(live, prompt.set_number, kit)
    if last:
        parts.append(last)
    cue = f"\n<i>{escape(said(prompt.cue))}</i>" if prompt.cue else ""
    return " · ".join(parts) + "\n" + _("Ready sooner? Tap or type your reps.") + cue


def live_text(live: Live, kit: Kit) -> str:
    """The exercise's live message: its sets so far, then what it asks for now."""
    name = escape(exercise_name(live.exercise))
    lines = []
    if live.ask is None:
        lines.append(
            f"<b>{name}</b>"
            if live.done
            else _("<b>%(exercise)s</b>: no sets logged", exercise=name)
        )
    lines += [done_line(lifted, kit, live.exercise) for lifted in live.done]
    match live.ask:
        case AskForSet() as prompt:
            if live.logged is not None:
                lines += advice_lines(live.logged, kit)
            if live.rest_until is not None:
                lines.append(rest_text(live, prompt, live.rest_until, kit))
            else:
                last = last_time_text(live, prompt.set_number, kit)
                lines.append(prompt_text(prompt, kit, last))
        case AskEffort() as question:
            lines.append(effort_question_text(question))
    return "\n".join(lines)


def live_keyboard(live: Live) -> InlineKeyboardMarkup | None:
    """The live message's buttons: the next set's reps (during the rest too), the rest's own
    two, and undo of the newest set. None once the exercise is over."""
    rows: list[list[InlineKeyboardButton]] = []
    match live.ask:
        case AskForSet() as prompt:
            keys = prompt_keyboard(prompt, live.workout_id)
            if keys is not None:
                rows += [list(row) for row in keys.inline_keyboard]
            if live.rest_until is not None:
                more = buttons.encode(RestMore(live.workout_id, prompt.step))
                skip = buttons.encode(RestSkip(live.workout_id, prompt.step))
                rows.append(
                    [
                        InlineKeyboardButton(
                            _("+%(seconds)s s", seconds=REST_MORE_SECONDS), callback_data=more
                        ),
                        InlineKeyboardButton(_("Skip rest"), callback_data=skip),
                    ]
                )
        case AskEffort() as question:
            rows += [
                list(row) for row in effort_keyboard(question, live.workout_id).inline_keyboard
            ]
        case None:
            return None
    if live.done:
        newest = max(live.done, key=lambda lifted: lifted.set_id)
        undo = buttons.encode(UndoSet(live.workout_id, newest.set_id))
        label = "↩️ " + _("Undo set %(number)s", number=newest.set_number)
        rows.append([InlineKeyboardButton(label, callback_data=undo)])
    return InlineKeyboardMarkup(rows) if rows else None


def resumed_text(resumed: Resumed, kit: Kit) -> str:
    name = escape(exercise_name(resumed.exercise))
    if resumed.stage is Stage.EFFORT:
        return _(
            "Picking up where you were: %(exercise)s, all %(sets)s sets logged.",
            exercise=name,
            sets=resumed.sets,
        )
    if resumed.load_grams:
        return _(
            "Picking up where you were: %(exercise)s, set %(number)s of %(sets)s, %(load)s.",
            exercise=name,
            number=resumed.set_number,
            sets=resumed.sets,
            load=load_text(resumed.load_grams, kit, resumed.exercise),
        )
    return _(
        "Picking up where you were: %(exercise)s, set %(number)s of %(sets)s.",
        exercise=name,
        number=resumed.set_number,
        sets=resumed.sets,
    )


def effort_question_text(question: AskEffort) -> str:
    return _(
        "That was the last set of %(exercise)s. Could you have done 2 more reps?",
        exercise=escape(exercise_name(question.exercise)),
    )


def removed_text(removed: RemoveSet, kit: Kit) -> str:
    gone = removed.removed
    return "↩️ " + _(
        "Removed %(exercise)s, set %(number)s: %(set)s.",
        exercise=escape(exercise_name(gone.exercise)),
        number=gone.set_number,
        set=set_text(gone.reps, gone.reps_other_leg, gone.load_grams, kit, gone.exercise),
    )


def summary_text(summary: Summary, kit: Kit) -> str:
    if not summary.kept:
        text = _("Workout closed, nothing logged.")
    else:
        lines = [_("<b>Workout done</b>") + " 💪"]
        if summary.closed_on is not None:
            filed = sum(len(part.sets) for part in summary.exercises)
            lines[0] = ngettext(
                "<b>Your workout of %(day)s is closed</b>: no set for a while, so I filed it "
                "with the %(count)s set you logged.",
                "<b>Your workout of %(day)s is closed</b>: no set for a while, so I filed it "
                "with the %(count)s sets you logged.",
                filed,
                day=_day(summary.closed_on),
            )
        for part in summary.exercises:
            name = escape(exercise_name(part.exercise.slug))
            if part.skipped:
                lines.append("\n" + _("<b>%(exercise)s</b>: skipped", exercise=name))
                continue
            slug = part.exercise.slug
            sets = sets_text(part.sets, kit, slug)
            lines.append(f"\n<b>{name}</b>: {sets}")
            volume = _volume(part.volume_grams, summary.unit)
            if part.best is not None:
                best = set_text(
                    part.best.reps, part.best.reps_other_leg, part.best.load_grams, kit, slug
                )
                if part.record:
                    lines.append(
                        _(
                            "Volume %(volume)s · best set %(set)s 🏆 personal record",
                            volume=volume,
                            set=best,
                        )
                    )
                else:
                    lines.append(_("Volume %(volume)s · best set %(set)s", volume=volume, set=best))
            if part.next_load is not None:
                lines.append(
                    _next_load_text(
                        part.next_load.change,
                        part.next_load.load_grams,
                        part.next_load.why,
                        kit,
                        slug,
                    )
                )
        if summary.more_sets_next is not None:
            lines.append(
                "\n🆕 "
                + _(
                    "From next workout: %(sets)s sets of each exercise.",
                    sets=summary.more_sets_next,
                )
            )
        text = "\n".join(lines)
    if summary.next is not None:
        text += "\n\n" + _("Next workout: %(when)s.", when=next_training_text(summary.next))
    return text


def _volume(grams: int, unit: Unit) -> str:
    """A total of reps × load, in whole units (the sum of 30 × 105 lb is 3150, not 3149.98)."""
    whole = in_unit(grams, unit).to_integral_value(rounding=ROUND_HALF_UP)
    language = i18n.current()
    return f"{language.amount(whole)} {language.unit(unit)}"


def _next_load_text(
    change: Change, load_grams: int | None, why: Why, kit: Kit, exercise: str
) -> str:
    if load_grams is None:
        return _("Next time: %(why)s.", why=why_text(why))
    load = load_text(load_grams, kit, exercise)
    reason = why_text(why)
    if change is Change.UP:
        return _("Next time: up to %(load)s (%(why)s).", load=load, why=reason)
    if change is Change.DOWN:
        return _("Next time: down to %(load)s (%(why)s).", load=load, why=reason)
    if change is Change.HOLD:
        return _("Next time: stay at %(load)s (%(why)s).", load=load, why=reason)
    return _("Next time: at %(load)s (%(why)s).", load=load, why=reason)


def too_soon_text(refusal: TooSoon) -> str:
    return _(
        "Your last workout was %(day)s. Muscles tone on the rest days, so the programme wants "
        "two of them: the next workout is due %(when)s.",
        day=_day(refusal.last_workout),
        when=next_training_text(refusal.next),
    )


def corrected_text(corrected: Corrected, kit: Kit) -> str:
    old, new, slug = corrected.old, corrected.new, corrected.exercise.slug
    return "✏️ " + _(
        "Corrected %(exercise)s, set %(number)s: %(old)s → %(new)s",
        exercise=escape(exercise_name(slug)),
        number=corrected.set_number,
        old=set_text(old.reps, old.reps_other_leg, old.load_grams, kit, slug),
        new=set_text(new.reps, new.reps_other_leg, new.load_grams, kit, slug),
    )


def too_soon_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Train anyway"), callback_data=buttons.encode(TrainAnyway())
                ),
                InlineKeyboardButton(_("I'll rest"), callback_data=buttons.encode(RestInstead())),
            ]
        ]
    )


def chart_keyboard() -> InlineKeyboardMarkup:
    data = buttons.encode(ShowChart())
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("📈 Chart"), callback_data=data)]])


# --- sending ---------------------------------------------------------------------------------


Say = Callable[[str, InlineKeyboardMarkup | None], Awaitable[object]]


def _to_chat(update: Update) -> Say:
    chat = update.effective_chat
    assert chat is not None
    return lambda text, markup: chat.send_message(text, reply_markup=markup)


async def say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await _to_chat(update)(text, markup)


def _gone(error: BadRequest) -> bool:
    """The message can't be changed any more: deleted, or too old to delete."""
    return "not modified" not in str(error).lower()


async def show_live(context: Context, chat_id: int, live: Live, kit: Kit) -> None:
    """Edits the live message in place; sends it anew when it must notify or is gone, then
    takes the older copy away and remembers the new one."""
    text, markup = live_text(live, kit), live_keyboard(live)
    if live.message_id is not None:
        try:
            await context.bot.edit_message_text(text, chat_id, live.message_id, reply_markup=markup)
            return
        except BadRequest as error:
            if not _gone(error) or live.ask is None:
                return  # unchanged, or a folded message that is gone: nothing to show
            # Sent anew below; whatever is left of the old one must not keep live buttons.
            live = replace(live, replaces=live.message_id)
    sent = await context.bot.send_message(chat_id, text, reply_markup=markup)
    await service.remember_live_message(coach(context).db, live.workout_id, sent.message_id)
    if live.replaces is not None and live.replaces != sent.message_id:
        await fold_away(context, chat_id, replace(live, message_id=live.replaces, ask=None), kit)


async def fold_away(context: Context, chat_id: int, old: Live, kit: Kit) -> None:
    """Deletes an older copy of the live message; one too old to delete (48 hours) keeps its
    text and loses its buttons."""
    assert old.message_id is not None
    try:
        await context.bot.delete_message(chat_id, old.message_id)
        return
    except BadRequest:
        pass
    # editMessageText, not editMessageReplyMarkup: PTB adds the default parse_mode to the
    # latter, a parameter it doesn't have. A message gone already needs nothing.
    with suppress(BadRequest):
        await context.bot.edit_message_text(
            live_text(old, kit), chat_id, old.message_id, reply_markup=None
        )


async def send_reply(context: Context, chat_id: int, reply: Reply) -> None:
    """Words every effect of a reply, in order: the live messages edited in place first,
    a new exercise's card before its live message, and arms the rest timer it asks for."""
    kit = reply.athlete.kit

    async def say_it(text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await context.bot.send_message(chat_id, text, reply_markup=markup)

    fresh = [live for live in reply.lives if live.message_id is None]
    for live in reply.lives:
        if live.message_id is not None:
            await show_live(context, chat_id, live, kit)

    async def show_fresh(exercise: str | None = None) -> None:
        for live in list(fresh):
            if exercise is None or live.exercise == exercise:
                fresh.remove(live)
                await show_live(context, chat_id, live, kit)

    for effect in reply.effects:
        match effect:
            case ShowCard():
                await say_it(
                    card_text(effect, reply.athlete), card_keyboard(_exercise(effect.exercise))
                )
                await show_fresh(effect.exercise)
            case StartRest(seconds=seconds):
                schedule_rest_end(context, seconds, reply)
            case Resumed():
                await say_it(resumed_text(effect, kit))
            case RemoveSet():
                await say_it(removed_text(effect, kit))
            case Summary():
                if effect.fold is not None:
                    await show_live(context, chat_id, effect.fold, kit)
                if effect.kept:
                    metrics.workout_finished()
                await say_it(summary_text(effect, kit), chart_keyboard() if effect.kept else None)
            case Corrected():
                await say_it(corrected_text(effect, kit))
            case TooSoon():
                await say_it(too_soon_text(effect), too_soon_keyboard())
            case Refuse(reason=reason):
                if reason not in (Refusal.DUPLICATE, Refusal.UNKNOWN_SET):
                    # DUPLICATE: the first delivery answered; UNKNOWN_SET: not worth a reply
                    await say_it(refusal_text(reason))
            case _:
                pass  # a set logged, a prompt or a question: the live message shows them
    await show_fresh()


def later(update: Update, context: Context, reply: Reply) -> Send:
    chat = update.effective_chat
    assert chat is not None
    return partial(send_reply, context, chat.id, reply)


def schedule_rest_end(context: Context, seconds: int, reply: Reply) -> None:
    """A timer for this workout's rest; the database says whether it is still running."""
    assert context.job_queue is not None and reply.workout_id is not None
    context.job_queue.run_once(
        rest_over,
        when=seconds,
        data=reply.workout_id,
        job_kwargs={"misfire_grace_time": None},
    )


async def rest_over(context: Context) -> None:
    """The rest of one workout ends: its live message arrives anew, so the phone notifies."""
    assert context.job is not None and isinstance(context.job.data, int)
    # A little slack so a timer that fires a hair early still finds its rest over.
    ended = await service.rest_over(
        coach(context).db, context.job.data, now() + timedelta(seconds=1)
    )
    if ended is not None:
        with i18n.speaking(i18n.language_of(ended[1].athlete.language)):
            await send_reply(context, ended[0], ended[1])


async def prompt_after_rest(context: Context, ended_by: datetime) -> None:
    """Sends the next-set prompt of every rest over by `ended_by`, each exactly once (the
    safety net for timers lost in a restart)."""
    for chat_id, reply in await service.rests_over(coach(context).db, ended_by):
        # These rests are claimed already: one chat that can't be written to must not cost
        # the chats after it their message.
        try:
            with i18n.speaking(i18n.language_of(reply.athlete.language)):
                await send_reply(context, chat_id, reply)
        except Forbidden:
            continue  # blocked: nobody to tell
        except TelegramError:
            log.exception("could not end the rest in chat %s", chat_id)


async def close_left_behind(context: Context) -> None:
    """Closes workouts left without a set, each summary sent silently: it may be past midnight."""
    for chat_id, summary, kit, language in await service.close_left_behind(
        coach(context).db, now()
    ):
        metrics.workout_finished()  # as a summary sent in a chat counts it
        try:
            with i18n.speaking(i18n.language_of(language)):
                if summary.fold is not None:
                    await show_live(context, chat_id, summary.fold, kit)
                await context.bot.send_message(
                    chat_id,
                    summary_text(summary, kit),
                    reply_markup=chart_keyboard(),
                    disable_notification=True,
                )
        except Forbidden:
            continue  # blocked: the workout is filed all the same, and there is nobody to tell


# --- handlers --------------------------------------------------------------------------------


@asynccontextmanager
async def talking(update: Update, context: Context) -> AsyncIterator[Conversation]:
    """The update's unit of work; its texts are in the language of the user it reads."""
    async with conversation(coach(context).db, sender(update).id, now()) as talk:
        speak_to(update, talk.user.language if talk.user is not None else None)
        yield talk


def words() -> i18n.Words:
    """What the user may type, in their language and in English."""
    return i18n.current().words


async def _start(update: Update, context: Context, *, train_anyway: bool) -> None:
    user = sender(update)
    async with talking(update, context) as talk:
        reply = await service.start_workout(
            talk, user.first_name, user.language_code, now(), train_anyway=train_anyway
        )
    if any(isinstance(effect, ShowCard) for effect in reply.effects):
        metrics.workout_started()  # a new workout opens on its first card; a resume doesn't
    await later(update, context, reply)()


async def start_workout(update: Update, context: Context) -> None:
    await _start(update, context, train_anyway=False)


def set_input(reply: SetReply) -> SetInput:
    return SetInput(
        reps=reply.reps,
        reps_other_leg=reply.reps_other_leg,
        load=reply.load,
        load_unit=reply.unit,
        effort=reply.effort,
    )


async def typed(update: Update, context: Context, talk: Conversation, text: str) -> Send:
    """Text while a workout runs: a set, an effort answer, or something to explain."""
    message = update.effective_message
    assert message is not None
    effort = parse_effort(text, words().reply)
    if effort is not None:
        reply = await service.answer_effort(talk, effort, now())
        if reply.effects == (Refuse(Refusal.STALE),):  # not the effort question now
            return partial(say, update, problem_text(Problem.ONLY_EFFORT))
        return later(update, context, reply)
    parsed = parse_set_reply(text, words=words().reply)
    if not isinstance(parsed, SetReply):
        return partial(say, update, problem_text(parsed.problem))
    reply = await service.log_set(
        talk,
        set_input(parsed),
        now(),
        rest_seconds=coach(context).settings.rest_seconds,
        message_id=message.message_id,
    )
    return later(update, context, reply)


async def edited_set(update: Update, context: Context) -> None:
    message = update.edited_message
    if message is None or message.text is None:
        return
    async with talking(update, context) as talk:
        parsed = parse_set_reply(message.text, words=words().reply)
        if not isinstance(parsed, SetReply):
            unread = _("I couldn't read the edited message, so the set stays as it was.")
            send: Send = partial(say, update, unread)
        else:
            reply = await service.correct_set(talk, message.message_id, set_input(parsed), now())
            send = later(update, context, reply)
    await send()


async def undo(update: Update, context: Context) -> None:
    async with talking(update, context) as talk:
        reply = await service.undo_last_set(talk, now())
    await later(update, context, reply)()


async def skip(update: Update, context: Context) -> None:
    async with talking(update, context) as talk:
        reply = await service.skip_exercise(talk, now())
    await later(update, context, reply)()


async def end(update: Update, context: Context) -> None:
    async with talking(update, context) as talk:
        reply = await service.end_workout(talk, now())
    await later(update, context, reply)()


async def cancel(update: Update, context: Context) -> None:
    workout_id = await service.active_workout_id(coach(context).db, sender(update).id)
    if workout_id is None:
        await say(update, refusal_text(Refusal.NO_WORKOUT))
        return
    keep = buttons.encode(StopWorkout(workout_id, keep=True))
    discard = buttons.encode(StopWorkout(workout_id, keep=False))
    await say(
        update,
        _("Stop this workout? Keep the sets you logged, or throw them away?"),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(_("Keep my sets"), callback_data=keep),
                    InlineKeyboardButton(_("Discard them"), callback_data=discard),
                ]
            ]
        ),
    )


async def cues(update: Update, context: Context) -> None:
    slug = await service.current_exercise(coach(context).db, sender(update).id)
    if slug is None or not program.PROGRAMME.holds(slug):
        await say(update, "\n\n".join(cues_text(e) for e in program.PROGRAMME.exercises))
        return
    await say(update, cues_text(program.PROGRAMME.exercise(slug)))


# --- buttons: one handler per kind -----------------------------------------------------------


def stale_tap(reply: Reply) -> bool:
    """A tap on a button of an earlier step: answered by a toast, nothing else."""
    return reply.effects == (Refuse(Refusal.STALE),)


async def tapped_reps(update: Update, context: Context, button: LogReps) -> None:
    query = update.callback_query
    assert query is not None
    async with talking(update, context) as talk:
        reply = await service.log_set(
            talk,
            SetInput(reps=button.reps),
            now(),
            rest_seconds=coach(context).settings.rest_seconds,
            at=(button.workout_id, button.step),
        )
    if stale_tap(reply):
        await query.answer(_(STALE_TOAST))
        return
    logged = any(isinstance(effect, SetStored) for effect in reply.effects)
    await query.answer(_("Logged") if logged else None)
    await later(update, context, reply)()


async def _tap_through(
    update: Update,
    context: Context,
    act: Callable[[Conversation], Awaitable[Reply]],
    toast: Callable[[Reply], str | None] = lambda reply: None,
) -> None:
    """One tap, one unit of work: the tap is answered (with `toast`'s text, if any), then the
    service's reply is worded; a stale one only gets a toast."""
    query = update.callback_query
    assert query is not None
    async with talking(update, context) as talk:
        reply = await act(talk)
    if stale_tap(reply):
        await query.answer(_(STALE_TOAST))
        return
    await query.answer(toast(reply))
    await later(update, context, reply)()


async def tapped_effort(update: Update, context: Context, button: RateEffort) -> None:
    await _tap_through(
        update,
        context,
        lambda talk: service.answer_effort(
            talk, button.effort, now(), at=(button.workout_id, button.step)
        ),
    )


async def tapped_undo(update: Update, context: Context, button: UndoSet) -> None:
    await _tap_through(
        update,
        context,
        lambda talk: service.undo_last_set(
            talk, now(), set_id=button.set_id, workout_id=button.workout_id
        ),
    )


async def tapped_stop(update: Update, context: Context, button: StopWorkout) -> None:
    # The question is settled (or its workout is over): its buttons go either way.
    await drop_buttons(update)
    await _tap_through(
        update,
        context,
        lambda talk: service.end_workout(
            talk, now(), keep=button.keep, workout_id=button.workout_id
        ),
    )


async def tapped_rest_more(update: Update, context: Context, button: RestMore) -> None:
    await _tap_through(
        update,
        context,
        lambda talk: service.change_rest(
            talk, now(), at=(button.workout_id, button.step), more_seconds=REST_MORE_SECONDS
        ),
        toast=_rest_end_to_the_second,
    )


def _rest_end_to_the_second(reply: Reply) -> str | None:
    """The message shows minutes, so 30 s more may leave it as it was: the toast tells."""
    resting = next((live for live in reply.lives if live.rest_until is not None), None)
    if resting is None or resting.rest_until is None:
        return None
    until = _local_time(resting.rest_until, resting.zone, seconds=True)
    return "⏱ " + _("Rest until %(time)s", time=until)


async def tapped_rest_skip(update: Update, context: Context, button: RestSkip) -> None:
    await _tap_through(
        update,
        context,
        lambda talk: service.change_rest(
            talk, now(), at=(button.workout_id, button.step), more_seconds=None
        ),
    )


async def tapped_cues(update: Update, context: Context, button: ShowCues) -> None:
    query = update.callback_query
    assert query is not None
    if not program.PROGRAMME.holds(button.exercise):
        await query.answer(_(STALE_TOAST))
        return
    await query.answer()
    await say(update, cues_text(program.PROGRAMME.exercise(button.exercise)))


async def tapped_train_anyway(update: Update, context: Context, button: TrainAnyway) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _start(update, context, train_anyway=True)


async def tapped_rest_instead(update: Update, context: Context, button: RestInstead) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(_("Enjoy the rest"))
    await say(update, _("Good call — rest is when the muscles adapt. See you next time."))
