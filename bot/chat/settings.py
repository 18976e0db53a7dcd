"""Onboarding (/start), /settings, /pause, /resume and /next: questions, answers, wording."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import ContextTypes

from bot import i18n
from bot.chat import buttons
from bot.chat.bar import bar_question, bar_text, bar_value, typed_bar
from bot.chat.buttons import PauseReminders, Setting
from bot.chat.common import coach, now, sender, speak_to
from bot.chat.loads import load_text
from bot.chat.names import exercise_name
from bot.chat.workout import next_training_text
from bot.domain import program
from bot.domain.clock_times import (
    format_clock_time,
    parse_clock_time,
    parse_date,
    parse_weekday_pair,
)
from bot.domain.reminders import DEFAULT_DAYS
from bot.domain.schedule import VALID_PAIRS, Reason
from bot.domain.starting_loads import parse_starting_loads
from bot.domain.units import Equipment, Unit
from bot.domain.zones import Found, city_of, find_zone, is_zone
from bot.i18n import N_, _
from bot.services import settings as service
from bot.services.conversation import Conversation
from bot.services.settings import Answered, Invalid, Step, View

log = logging.getLogger(__name__)

# What to send once the update's unit of work is committed.
Send = Callable[[], Awaitable[None]]

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

TIME_BUTTONS = ("06:30", "07:00", "07:30", "08:00", "12:00", "17:00", "18:00", "19:00", "20:00")
SHARE_LOCATION = N_("📍 Share my location")
SKIP = N_("Skip")
KEEP = N_("Keep as is")
PAUSE_BUTTONS = ((N_("For a week"), 7), (N_("For two weeks"), 14))
# A Monday: the weekdays' names are the locale's, from this date on.
_A_MONDAY = date(2024, 1, 1)

# Setting buttons: kind <step> saves the value, "skip" keeps what is stored, "ask" asks again.
DAYS_DATA = re.compile(r"^(\d):(\d)$")
TIME_DATA = re.compile(r"^(\d{2})(\d{2})$")

INVALID = {
    Invalid.UNKNOWN_ZONE: N_("I don't know that time zone."),
    Invalid.BAD_DAYS: N_(
        "Those two days leave too little rest. Pick days 3 or 4 apart, like Mon and Thu."
    ),
    Invalid.BAD_EQUIPMENT: N_("That lift is done with dumbbells or a barbell."),
    Invalid.BAD_UNIT: N_("Pick kg or lb."),
    Invalid.BAD_LOADS: N_(
        "I couldn't read those loads. Send them like "
        "<code>deadlift 40, curl 25, squat 30, lunge 10</code> (500 kg at most)."
    ),
    Invalid.PAST_DATE: N_(
        "That date isn't in the future. Send a later one, like <code>20 Dec</code>."
    ),
    Invalid.FAR_DATE: N_("That's more than a year away. Use /pause without a date instead."),
    Invalid.BAD_BAR: N_(
        "A bar weighs between 2 and 30 kg (5 and 66 lb). Send its weight, like <code>15</code>."
    ),
}


def invalid_text(problem: Invalid) -> str:
    return _(INVALID[problem])


# --- wording ---------------------------------------------------------------------------------


def day_name(weekday: int) -> str:
    """`Monday` for 0, in the user's language (`lunes`, `понедельник`: lower case where the
    language writes it so)."""
    language = i18n.current()
    name = language.weekday(_A_MONDAY + timedelta(days=weekday))
    return name[:1].upper() + name[1:] if language.tag in ("en", "de") else name


def days_text(days: tuple[int, int]) -> str:
    """`Monday &amp; Thursday` (HTML), in the user's language."""
    return _("%(first)s &amp; %(second)s", first=day_name(days[0]), second=day_name(days[1]))


def _short_days(days: tuple[int, int]) -> str:
    """`Mon & Thu`: a button's label."""
    language = i18n.current()
    first, second = (language.locale.days["format"]["abbreviated"][day].rstrip(".") for day in days)
    return f"{first[:1].upper()}{first[1:]} & {second[:1].upper()}{second[1:]}"


def _day(day: date) -> str:
    """`Tuesday 1 Dec`, `Dienstag, 1. Dez.`."""
    return i18n.current().day(day)


def zone_text(zone: str, at: datetime) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return _("%(zone)s (it's %(time)s there)", zone=escape(zone), time=f"{local:%H:%M}")


def reminders_text(view: View) -> str:
    if not view.reachable:
        return _("off (you had blocked me)")
    if not view.reminders_on:
        return _("off — /resume turns them on")
    parts = []
    if view.paused_until is not None:
        parts.append(_("paused, back on %(day)s", day=_day(view.paused_until)))
    if view.next_reminder is not None:
        parts.append(_("next %(day)s", day=_day(view.next_reminder.day)))
    elif not view.onboarded:
        parts.append(_("on once you finish setting up"))
    return ", ".join(parts) if parts else _("on")


def settings_text(view: View) -> str:
    zone = (
        escape(view.time_zone)
        if view.zone_confirmed
        else _("%(zone)s (not confirmed)", zone=escape(view.time_zone))
    )
    loads = ", ".join(
        f"{escape(i18n.current().in_sentence(exercise_name(exercise.slug)))} "
        f"{load_text(grams, view.kit, exercise.slug)}"
        for exercise in program.PROGRAMME.exercises
        if (grams := view.loads.get(exercise.slug)) is not None
    )
    lines = [
        _("<b>Your settings</b>"),
        _("Units: %(unit)s", unit=i18n.current().unit(view.unit)),
        _("Time zone: %(zone)s", zone=zone),
        _("Training days: %(days)s", days=days_text(view.days)),
        _("Reminder time: %(time)s", time=format_clock_time(view.reminder_time)),
        _(
            "Squat: %(squat)s · Lunge: %(lunge)s",
            squat=equipment_name(view.squat),
            lunge=equipment_name(view.lunge),
        ),
        _("Loads: %(loads)s", loads=loads or _("I ask at your first set")),
        _("Bar: %(bar)s", bar=bar_text(view.kit)),
        _("Reminders: %(reminders)s", reminders=reminders_text(view)),
    ]
    return "\n".join(lines)


def equipment_name(equipment: Equipment) -> str:
    return _("dumbbells") if equipment is Equipment.DUMBBELLS else _("barbell")


def settings_keyboard() -> InlineKeyboardMarkup:
    def ask(label: str, step: Step) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=buttons.encode(Setting("ask", step.value)))

    return InlineKeyboardMarkup(
        [
            [ask(_("Units"), Step.UNIT), ask(_("Time zone"), Step.ZONE)],
            [ask(_("Training days"), Step.DAYS), ask(_("Reminder time"), Step.TIME)],
            [ask(_("Squat kit"), Step.SQUAT), ask(_("Lunge kit"), Step.LUNGE)],
            [ask(_("Starting loads"), Step.LOADS), ask(_("Bar weight"), Step.BAR)],
        ]
    )


def _skip_button(step: Step, onboarding: bool) -> InlineKeyboardButton:
    data = buttons.encode(Setting("skip", step.value))
    return InlineKeyboardButton(_(SKIP) if onboarding else _(KEEP), callback_data=data)


def question(step: Step, view: View, *, onboarding: bool) -> tuple[str, Markup]:
    """The text and buttons that ask for one setting."""
    skip = _skip_button(step, onboarding)
    if step is Step.UNIT:
        units = i18n.current()
        return _("Kilograms or pounds?"), InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        units.unit(Unit.KG), callback_data=buttons.encode(Setting("unit", "kg"))
                    ),
                    InlineKeyboardButton(
                        units.unit(Unit.LB), callback_data=buttons.encode(Setting("unit", "lb"))
                    ),
                ],
                [skip],
            ]
        )
    if step is Step.ZONE:
        rows = [[KeyboardButton(_(SHARE_LOCATION), request_location=True)]]
        guess = view.zone_guess if onboarding and not view.zone_confirmed else None
        if guess is not None:
            rows.append([KeyboardButton(guess)])
        rows.append([KeyboardButton(_(SKIP) if onboarding else _(KEEP))])
        hint = " " + _("Is it %(zone)s? Tap it to confirm.", zone=escape(guess)) if guess else ""
        return (
            _(
                "Which time zone are you in? Share your location, or type a city "
                "(<code>Berlin</code>) or a zone name (<code>Europe/Berlin</code>)."
            )
            + hint,
            ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True),
        )
    if step is Step.DAYS:
        pairs = [
            InlineKeyboardButton(
                _short_days(pair),
                callback_data=buttons.encode(Setting("days", f"{pair[0]}:{pair[1]}")),
            )
            for pair in VALID_PAIRS
        ]
        rows_ = [pairs[i : i + 2] for i in range(0, len(pairs), 2)]
        question = (
            _(
                "Which two days will you train? Each pair leaves two rest days both ways "
                "(skip: %(days)s).",
                days=escape(_short_days(DEFAULT_DAYS)),
            )
            if onboarding
            else _("Which two days will you train? Each pair leaves two rest days both ways.")
        )
        return (
            question,
            InlineKeyboardMarkup([*rows_, [skip]]),
        )
    if step is Step.TIME:
        times = [
            InlineKeyboardButton(
                label, callback_data=buttons.encode(Setting("time", label.replace(":", "")))
            )
            for label in TIME_BUTTONS
        ]
        return (
            _(
                "When should I remind you on training days? Tap a time or type one, like "
                "<code>7:30</code>, <code>19:00</code> or <code>7pm</code> (now %(time)s).",
                time=format_clock_time(view.reminder_time),
            ),
            InlineKeyboardMarkup([times[0:3], times[3:6], times[6:9], [skip]]),
        )
    if step in (Step.SQUAT, Step.LUNGE):
        asked = (
            _("Squats: dumbbells or a barbell?")
            if step is Step.SQUAT
            else _("Lunges: dumbbells or a barbell?")
        )
        return asked, InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Dumbbells"),
                        callback_data=buttons.encode(
                            Setting(step.value, Equipment.DUMBBELLS.value)
                        ),
                    ),
                    InlineKeyboardButton(
                        _("Barbell"),
                        callback_data=buttons.encode(Setting(step.value, Equipment.BARBELL.value)),
                    ),
                ],
                [skip],
            ]
        )
    if step is Step.BAR:
        return bar_question(view)
    return (
        _(
            "Know your starting loads? Send them in one message, like "
            "<code>deadlift 40, curl 25, squat 30, lunge 10</code> (%(unit)s). "
            "Otherwise I'll ask at your first set.",
            unit=i18n.current().unit(view.unit),
        ),
        InlineKeyboardMarkup([[skip]]),
    )


def finished_text(view: View) -> str:
    nxt = view.next_reminder
    at = format_clock_time(view.reminder_time)
    when = (
        " " + _("I'll remind you on %(day)s at %(time)s.", day=_day(nxt.day), time=at)
        if nxt is not None
        else ""
    )
    return (
        _(
            "All set! %(days)s at %(time)s, %(zone)s time.",
            days=days_text(view.days),
            time=at,
            zone=escape(view.time_zone),
        )
        + when
        + "\n"
        + _("/start_workout when you're at the gym, /settings to change anything.")
    )


@dataclass(frozen=True)
class _Problem:
    text: str


@dataclass(frozen=True)
class _Suggestions:
    zones: tuple[str, ...]


# --- sending ---------------------------------------------------------------------------------


async def _send(update: Update, text: str, markup: Markup | None = None) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, reply_markup=markup)


async def _ask(update: Update, step: Step, view: View, *, onboarding: bool, lead: str = "") -> None:
    text, markup = question(step, view, onboarding=onboarding)
    await _send(update, f"{lead}{text}", markup)


async def _show_settings(update: Update, view: View, lead: str = "") -> None:
    await _send(update, f"{lead}{settings_text(view)}", settings_keyboard())


def _confirmation(step: Step, view: View, skipped: bool) -> str:
    if step is Step.ZONE:
        if skipped:
            return _("Keeping %(zone)s for now.", zone=escape(view.time_zone))
        return _("Time zone: %(zone)s.", zone=zone_text(view.time_zone, now()))
    return _("Saved.")


async def _answered(
    update: Update, step: Step, result: Answered | Invalid, *, skipped: bool = False
) -> None:
    if isinstance(result, Invalid):
        await _send(update, invalid_text(result))
        return
    view = result.view
    # A zone answer came from the reply keyboard: the confirmation takes that keyboard away.
    lead = ""
    if step is Step.ZONE:
        await _send(update, _confirmation(step, view, skipped), ReplyKeyboardRemove())
    elif not result.finished_onboarding and result.ask is None:
        lead = _("Saved.") + "\n\n"
    if result.ask is not None:
        await _ask(update, result.ask, view, onboarding=True)
    elif result.finished_onboarding:
        await _send(update, finished_text(view))
    else:
        await _show_settings(update, view, lead)


async def _save(
    update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step, value: object
) -> None:
    user = sender(update)
    result = await service.answer(
        coach(context).db,
        user.id,
        step,
        value,
        now(),
        first_name=user.first_name,
        language_code=user.language_code,
    )
    await _answered(update, step, result, skipped=value is None)


# --- handlers --------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: onboarding for a new user (or one who didn't finish), settings for the rest."""
    user = sender(update)
    met = await service.meet(coach(context).db, user.id, user.first_name, user.language_code, now())
    name = escape(met.view.first_name)
    if met.ask is None:
        lead = _("Welcome back, %(name)s! /start_workout to train, /help for the rest.", name=name)
        await _show_settings(update, met.view, lead + "\n\n")
        return
    if met.new:
        lead = (
            _(
                "Hi %(name)s! I'm your toning coach for hamstrings and glutes: two workouts a "
                "week, four exercises, and I'll suggest the load for every set.",
                name=name,
            )
            + "\n\n"
            + _("A few quick questions to set you up (skip any). /language changes my language.")
            + "\n\n"
        )
    else:
        lead = _("Welcome back, %(name)s! Let's finish setting you up.", name=name) + "\n\n"
    await _ask(update, met.ask, met.view, onboarding=True, lead=lead)


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = sender(update)
    view = await service.settings_of(
        coach(context).db, user.id, user.first_name, user.language_code, now()
    )
    await _show_settings(update, view)


async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE, button: Setting) -> None:
    """Every onboarding/settings button; a value this version cannot use is answered as expired."""
    query = update.callback_query
    assert query is not None
    parsed = _button_value(button.kind, button.raw)
    if parsed is None:
        await query.answer(_("That button has expired."))
        return
    step, value, asking = parsed
    if button.kind == "skip" and not await service.awaits(
        coach(context).db, sender(update).id, step
    ):
        # An old question's Skip: a toast, not the question asked again.
        await query.answer(_("That question is behind you already: nothing changed."))
        return
    await query.answer()
    if asking:
        user = sender(update)
        view = await service.ask(
            coach(context).db, user.id, step, user.first_name, user.language_code, now()
        )
        await _ask(update, step, view, onboarding=False)
        return
    await _save(update, context, step, value)


def _button_value(kind: str, raw: str) -> tuple[Step, object, bool] | None:
    """(step, value, whether it asks rather than answers); None when the data is unusable."""
    if kind in ("ask", "skip"):
        if raw not in Step.__members__.values():
            return None
        return Step(raw), None, kind == "ask"
    if kind not in Step.__members__.values() or len(raw) > 56:
        return None
    step = Step(kind)
    if step is Step.UNIT:
        return (step, Unit(raw), False) if raw in Unit.__members__.values() else None
    if step is Step.ZONE:
        return (step, raw, False) if is_zone(raw) else None
    if step is Step.DAYS:
        days = DAYS_DATA.match(raw)
        return (step, (int(days[1]), int(days[2])), False) if days else None
    if step is Step.TIME:
        clock = TIME_DATA.match(raw)
        if clock is None or int(clock[1]) > 23 or int(clock[2]) > 59:
            return None
        return step, time(int(clock[1]), int(clock[2])), False
    if step is Step.BAR:
        bar = bar_value(raw)
        return None if bar is None else (step, bar, False)
    if raw in Equipment.__members__.values():
        return step, Equipment(raw), False
    return None


async def typed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, talk: Conversation, text: str
) -> Send:
    """A typed answer to the settings question the conversation says is pending."""
    step = service.pending_step(talk.awaiting)
    user = sender(update)
    if step is None:
        return partial(
            _send, update, _("I don't know what that answers. /help lists what I can do.")
        )
    cleaned = text.strip()
    unit = Unit(talk.user.unit) if talk.user is not None else Unit.KG
    words = i18n.current().words
    value = None if cleaned.lower() in words.skip else _typed_value(step, cleaned, unit, words)
    if isinstance(value, _Problem):
        return partial(_send, update, value.text)
    if isinstance(value, _Suggestions):
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"{city_of(zone)} ({zone})",
                        callback_data=buttons.encode(Setting("zone", zone)),
                    )
                ]
                for zone in value.zones
            ]
        )
        suggestion = _(
            "I don't know “%(place)s”. Did you mean one of these?", place=escape(cleaned[:64])
        )
        return partial(_send, update, suggestion, keyboard)
    result = await service.answer_in(
        talk, step, value, now(), first_name=user.first_name, language_code=user.language_code
    )
    return partial(_answered, update, step, result, skipped=value is None)


def _typed_value(step: Step, text: str, unit: Unit, words: i18n.Words) -> object:
    """The value typed for a step, or a problem to explain, or zone suggestions."""
    lowered = text.lower()
    if step is Step.UNIT:
        if lowered in words.kg:
            return Unit.KG
        if lowered in words.lb:
            return Unit.LB
        return _Problem(_("Send <code>kg</code> or <code>lb</code>, or tap a button above."))
    if step is Step.ZONE:
        found = find_zone(text)
        if isinstance(found, Found):
            return found.zone
        if found.zones:
            return _Suggestions(found.zones)
        return _Problem(
            _(
                "I don't know “%(place)s”. Type a bigger city nearby, a zone name like "
                "<code>Europe/Berlin</code>, or share your location.",
                place=escape(text[:64]),
            )
        )
    if step is Step.DAYS:
        days = parse_weekday_pair(text, words.days)
        if days is None:
            return _Problem(_("Send two weekdays, like <code>Mon Thu</code>, or tap a pair above."))
        return days
    if step is Step.TIME:
        clock = parse_clock_time(text, words.hour_words)
        if clock is None:
            return _Problem(
                _(
                    "I couldn't read that time. Try <code>7:30</code>, <code>19:00</code> or "
                    "<code>7pm</code>."
                )
            )
        return clock
    if step is Step.BAR:
        return typed_bar(text, unit) or _Problem(invalid_text(Invalid.BAD_BAR))
    if step in (Step.SQUAT, Step.LUNGE):
        if lowered.startswith(words.dumbbells):
            return Equipment.DUMBBELLS
        if lowered.startswith(words.barbell):
            return Equipment.BARBELL
        return _Problem(_("Send <code>dumbbells</code> or <code>barbell</code>, or tap a button."))
    loads = parse_starting_loads(text, program.PROGRAMME.exercises, words.lifts)
    if loads is None:
        return _Problem(invalid_text(Invalid.BAD_LOADS))
    return loads


async def location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location sets the time zone, worked out offline."""
    message = update.effective_message
    assert message is not None and message.location is not None
    zone = await service.zone_at(message.location.latitude, message.location.longitude)
    if zone is None:
        await _send(update, _("I couldn't tell the time zone there. Type your city instead."))
        return
    await _save(update, context, Step.ZONE, zone)


async def pause(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/pause: buttons for how long; `/pause 20 Dec` pauses until that date."""
    user = sender(update)
    argument = " ".join(context.args or []).strip()
    if not argument:
        await _send(
            update,
            _("Pause reminders for how long?"),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _(label), callback_data=buttons.encode(PauseReminders(days))
                        )
                        for label, days in PAUSE_BUTTONS
                    ],
                    [
                        InlineKeyboardButton(
                            _("Until I /resume"),
                            callback_data=buttons.encode(PauseReminders(None)),
                        )
                    ],
                ]
            ),
        )
        return
    view = await service.settings_of(
        coach(context).db, user.id, user.first_name, user.language_code, now()
    )
    today = now().astimezone(ZoneInfo(view.time_zone)).date()
    until = parse_date(argument, today, i18n.current().words.dates)
    if until is None:
        await _send(
            update,
            _(
                "I couldn't read that date. Try <code>/pause 20 Dec</code>, "
                "<code>/pause 3 days</code> or <code>/pause tomorrow</code>."
            ),
        )
        return
    await _paused(update, context, until)


async def tapped_pause(
    update: Update, context: ContextTypes.DEFAULT_TYPE, button: PauseReminders
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    if button.days is None:
        await _paused(update, context, None)
        return
    user = sender(update)
    view = await service.settings_of(
        coach(context).db, user.id, user.first_name, user.language_code, now()
    )
    today = now().astimezone(ZoneInfo(view.time_zone)).date()
    await _paused(update, context, today + timedelta(days=button.days))


async def _paused(update: Update, context: ContextTypes.DEFAULT_TYPE, until: date | None) -> None:
    user = sender(update)
    result = await service.pause(
        coach(context).db,
        user.id,
        until,
        now(),
        first_name=user.first_name,
        language_code=user.language_code,
    )
    if isinstance(result, Invalid):
        await _send(update, invalid_text(result))
    elif until is None:
        await _send(update, _("Reminders paused. /resume starts them again."))
    else:
        await _send(
            update, _("Reminders paused; they're back on %(day)s. /resume sooner.", day=_day(until))
        )


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = sender(update)
    view = await service.resume(
        coach(context).db,
        user.id,
        now(),
        first_name=user.first_name,
        language_code=user.language_code,
    )
    nxt = view.next_reminder
    when = (
        " "
        + _(
            "Next: %(day)s at %(time)s.",
            day=_day(nxt.day),
            time=format_clock_time(view.reminder_time),
        )
        if nxt
        else ""
    )
    await _send(update, _("Reminders are on.") + when)


async def next_workout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = sender(update)
    info = await service.next_workout(
        coach(context).db, user.id, user.first_name, user.language_code, now()
    )
    view = info.view
    text = _("Next workout: %(when)s.", when=next_training_text(info.upcoming))
    if info.upcoming.reason is Reason.USUAL_DAY and not view.days_chosen:
        text += " " + _("Pick your days in /settings.")
    nxt = view.next_reminder
    at = format_clock_time(view.reminder_time)
    if nxt is not None and nxt.day == info.upcoming.day:
        text += "\n" + _(
            "I'll remind you at %(time)s (%(zone)s).", time=at, zone=escape(view.time_zone)
        )
    elif nxt is not None:
        text += "\n" + _("Next reminder: %(day)s at %(time)s.", day=_day(nxt.day), time=at)
    else:
        text += "\n" + _("Reminders: %(reminders)s.", reminders=reminders_text(view))
    await _send(update, text)


async def note_return(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every update: answered in the user's language; one from a user Telegram said had
    blocked us: they're back, plan reminders."""
    user = update.effective_user
    speak_to(update)  # Telegram's language until the stored choice is read
    if user is None or _noted_by_its_handler(update):
        return  # its handler reads the user, and their language with it
    try:
        returning = await service.came_back(coach(context).db, user.id, now())
        speak_to(update, returning.language)
    except SQLAlchemyError:
        # The handler that answers this update meets the same database and tells the user;
        # failing here too would tell them twice.
        log.warning("could not check whether user %s came back", user.id, exc_info=True)


# Buttons whose handlers open the update's conversation.
_WORKOUT_BUTTONS = (
    buttons.LogReps,
    buttons.LogSetsOf,
    buttons.LogCheckedSet,
    buttons.RateEffort,
    buttons.UndoSet,
    buttons.StopWorkout,
    buttons.TrainAnyway,
)


def _noted_by_its_handler(update: Update) -> bool:
    """Text, edits and workout buttons open the update's conversation, which notes a return
    in the same unit of work: one read fewer on the hot path."""
    message = update.message
    if message is not None and message.text is not None and not message.text.startswith("/"):
        return True
    if update.edited_message is not None:
        return True
    query = update.callback_query
    return query is not None and isinstance(buttons.decode(query.data or ""), _WORKOUT_BUTTONS)
