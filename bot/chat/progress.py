"""/progress, the chart, /history, /export and /delete_me: the user's own data, in the chat."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import i18n
from bot.chat import buttons
from bot.chat.buttons import EraseEverything, KeepData, ShowChart, ShowHistoryPage, ShowPastWorkout
from bot.chat.chart import render_chart
from bot.chat.common import coach, drop_buttons, now, sender
from bot.chat.loads import load_text, set_text, sets_text
from bot.chat.names import exercise_name
from bot.chat.programme_words import rep_range
from bot.chat.workout import next_training_text, why_text
from bot.domain import program
from bot.domain.progression import Change, LoadSuggestion
from bot.domain.units import Unit, grams_per
from bot.i18n import N_, _, ngettext
from bot.services import erase, export, history, progress
from bot.services.export import CalendarEvent, Plan
from bot.services.history import HistoryPage, PastWorkout
from bot.services.profile import Kit
from bot.services.progress import Adherence, ExerciseProgress, Progress, Trend

# Button data: short, parsed by regex, checked against the tapping user's own rows.
# A confirmation to erase is good for this long after it was asked.
ERASE_CONFIRMATION_LIFETIME = timedelta(minutes=10)
# Up to this size the CSV is built in memory; beyond it, in a temporary file.
CSV_IN_MEMORY = 1 << 20

NOTHING_YET = N_(
    "No finished workouts yet, so there is nothing to show. Type /start_workout at the gym: "
    "I'll log every set, and your loads, best sets and streak show up here after the first one."
)
EFFORTS = {"easy": N_("2 more were easy"), "ok": N_("just about"), "hard": N_("it was hard")}


def chart_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("📈 Chart"), callback_data=buttons.encode(ShowChart()))]]
    )


# --- wording ---------------------------------------------------------------------------------


def _approx(grams: int, unit: Unit) -> str:
    """An estimate, to a tenth of the unit: `56 kg`, `59.5 kg`."""
    amount = (Decimal(grams) / grams_per(unit)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    language = i18n.current()
    return f"{language.amount(amount)} {language.unit(unit)}"


def _signed(grams: int, unit: Unit) -> str:
    if grams == 0:
        return _("no change")
    sign = "+" if grams > 0 else "−"
    return f"{sign}{_approx(abs(grams), unit)}"


def _reps(reps: int, other_leg: int | None) -> str:
    return f"{reps}/{other_leg}" if other_leg is not None and other_leg != reps else f"{reps}"


def _short_day(day: date) -> str:
    return i18n.current().short_day(day)


def _short_date(day: date) -> str:
    return i18n.current().short_date(day)


def _long_day(day: date) -> str:
    return i18n.current().long_date(day)


def _minutes(started: datetime, finished: datetime | None) -> str:
    if finished is None:
        return ""
    minutes = max(0, int((finished - started).total_seconds() // 60))
    return " · " + _("%(minutes)s min", minutes=minutes)


def _trend_text(trend: Trend, unit: Unit) -> str:
    change = "—" if trend.change_grams is None else _signed(trend.change_grams, unit)
    return _("%(weeks)s wk: %(change)s", weeks=trend.weeks, change=change)


def _next_load_text(suggestion: LoadSuggestion | None, kit: Kit, exercise: str) -> str:
    if suggestion is None or suggestion.load_grams is None:
        return _("Next time: tell me the load you use.")
    load = load_text(suggestion.load_grams, kit, exercise)
    why = why_text(suggestion.why)
    if suggestion.change is Change.UP:
        return _("Next time: up to %(load)s (%(why)s).", load=load, why=why)
    if suggestion.change is Change.DOWN:
        return _("Next time: down to %(load)s (%(why)s).", load=load, why=why)
    if suggestion.change is Change.HOLD:
        return _("Next time: stay at %(load)s (%(why)s).", load=load, why=why)
    return _("Next time: at %(load)s (%(why)s).", load=load, why=why)


def exercise_text(part: ExerciseProgress, kit: Kit) -> str:
    unit, slug = kit.unit, part.exercise.slug
    best = part.best
    trends = " · ".join(_trend_text(trend, unit) for trend in part.trends)
    workouts = ngettext("%(count)s workout", "%(count)s workouts", part.workouts)
    return (
        f"<b>{escape(exercise_name(slug))}</b> · {workouts}\n"
        + _(
            "Working load %(load)s · best set %(set)s (%(day)s)",
            load=load_text(part.working_load_grams, kit, slug),
            set=set_text(best.reps, best.reps_other_leg, best.load_grams, kit, slug, each=False),
            day=_short_day(best.on),
        )
        + "\n"
        + _(
            "Estimated 1-rep max %(max)s · %(trends)s",
            max=_approx(part.one_rep_max_grams, unit),
            trends=trends,
        )
        + "\n"
        + _next_load_text(part.next_load, kit, slug)
    )


def adherence_text(adherence: Adherence) -> str:
    lines = [_("<b>Sticking with it</b>")]
    per_week = program.PROGRAMME.workouts_per_week
    if adherence.full_weeks:
        rate = Decimal(adherence.workouts_in_full_weeks) / adherence.full_weeks
        rate_text = i18n.current().amount(rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        weeks = ngettext("Last week", "Last %(count)s weeks", adherence.full_weeks)
        done = ngettext("%(count)s workout", "%(count)s workouts", adherence.workouts_in_full_weeks)
        lines.append(
            _(
                "%(weeks)s: %(workouts)s, %(rate)s a week (the programme asks for %(asked)s)",
                weeks=weeks,
                workouts=done,
                rate=rate_text,
                asked=per_week,
            )
        )
    streak = ngettext(
        "streak: %(count)s week with both workouts",
        "streak: %(count)s weeks with both workouts",
        adherence.streak_weeks,
    )
    lines.append(
        _(
            "This week: %(done)s of %(asked)s · %(streak)s",
            done=adherence.this_week,
            asked=per_week,
            streak=streak,
        )
    )
    if adherence.gaps:
        lines.append(
            ngettext(
                "Two rest days kept before %(rested)s of %(count)s workout (last 12 weeks)",
                "Two rest days kept before %(rested)s of %(count)s workouts (last 12 weeks)",
                adherence.gaps,
                rested=adherence.gaps_rested,
            )
        )
    return "\n".join(lines)


def progress_text(report: Progress) -> str:
    parts = [
        _("<b>Your progress</b>")
        + " · "
        + ngettext("%(count)s workout done", "%(count)s workouts done", report.finished)
    ]
    parts += [exercise_text(part, report.kit) for part in report.exercises]
    parts.append(adherence_text(report.adherence))
    if report.workouts_to_more_sets:
        sets = ngettext(
            "%(now)s sets of each exercise now; %(later)s sets after %(count)s more workout.",
            "%(now)s sets of each exercise now; %(later)s sets after %(count)s more workouts.",
            report.workouts_to_more_sets,
            now=report.sets_now,
            later=program.PROGRAMME.sets_later,
        )
    else:
        sets = _("%(now)s sets of each exercise.", now=report.sets_now)
    parts.append(
        _("<b>Coming next</b>")
        + f"\n{sets}\n"
        + _("Next workout: %(when)s.", when=next_training_text(report.next_training))
    )
    return "\n\n".join(parts)


def history_text(page: HistoryPage) -> str:
    first = page.page * history.PAGE_SIZE + 1
    last = first + len(page.workouts) - 1
    lines = [
        _(
            "<b>Your workouts</b> · %(first)s–%(last)s of %(total)s, newest first",
            first=first,
            last=last,
            total=page.total,
        )
    ]
    for line in page.workouts:
        sets = ngettext("%(count)s set", "%(count)s sets", line.sets)
        lines.append(
            f"• {_short_date(line.local_date)} · {sets}"
            f"{_minutes(line.started_at, line.finished_at)}"
        )
    lines.append(_("Tap a workout to see its sets."))
    return "\n".join(lines)


def history_keyboard(page: HistoryPage) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                _short_date(line.local_date),
                callback_data=buttons.encode(ShowPastWorkout(line.id)),
            )
        ]
        for line in page.workouts
    ]
    moves = []
    if page.page > 0:
        moves.append(
            InlineKeyboardButton(
                _("◀ Previous"), callback_data=buttons.encode(ShowHistoryPage(page.page - 1))
            )
        )
    if page.page + 1 < page.pages:
        moves.append(
            InlineKeyboardButton(
                _("Next ▶"), callback_data=buttons.encode(ShowHistoryPage(page.page + 1))
            )
        )
    if moves:
        rows.append(moves)
    return InlineKeyboardMarkup(rows)


def workout_text(workout: PastWorkout) -> str:
    lines = [
        f"<b>{_long_day(workout.local_date)}</b>{_minutes(workout.started_at, workout.finished_at)}"
    ]
    for exercise, sets in workout.exercises:
        logged = sets_text(sets, workout.kit, exercise.slug)
        effort = sets[-1].effort
        felt = " · " + _("last set: %(felt)s", felt=_(EFFORTS[effort])) if effort in EFFORTS else ""
        lines.append(f"<b>{escape(exercise_name(exercise.slug))}</b>: {logged}{felt}")
    return "\n".join(lines)


def rest_between_sets(seconds: int) -> str:
    if seconds % 60 == 0 and seconds > 0:
        return ngettext(
            "About a minute of rest between sets.",
            "About %(count)s minutes of rest between sets.",
            seconds // 60,
        )
    return ngettext(
        "%(count)s second of rest between sets.", "%(count)s seconds of rest between sets.", seconds
    )


def csv_columns() -> tuple[str, ...]:
    """Our own columns after Strong's, in the user's language."""
    return (
        _("Weight Unit"),
        _("Reps Other Leg"),
        _("Effort"),
        _("Workout Id"),
        _("Logged At"),
    )


def calendar_events(plan: Plan, rest_seconds: int) -> list[CalendarEvent]:
    events = []
    for planned in plan.days:
        loads = "\n".join(
            (
                _(
                    "%(exercise)s: %(sets)s × %(reps)s at %(load)s",
                    exercise=exercise_name(exercise.slug),
                    sets=planned.sets,
                    reps=rep_range(),
                    load=i18n.current().load(load, plan.unit),
                )
                if load is not None
                else _(
                    "%(exercise)s: %(sets)s × %(reps)s",
                    exercise=exercise_name(exercise.slug),
                    sets=planned.sets,
                    reps=rep_range(),
                )
            )
            for exercise, load in planned.loads
        )
        events.append(
            CalendarEvent(
                uid=f"{planned.day:%Y%m%d}-{plan.user_id}@toning-coach",
                day=planned.day,
                summary=_("Hamstring and glute workout"),
                description=f"{loads}\n{rest_between_sets(rest_seconds)}",
            )
        )
    return events


# --- sending ---------------------------------------------------------------------------------


async def _say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(text, reply_markup=markup)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replaces the tapped message's text, or sends a new message if it can't be edited."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:
            if "not modified" not in str(error):
                raise
        return
    await _say(update, text, markup)


# --- handlers --------------------------------------------------------------------------------


async def show_progress(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    report = await progress.progress_of(coach(context).db, sender(update).id, now())
    if report is None:
        await _say(update, _(NOTHING_YET))
        return
    await _say(update, progress_text(report), chart_keyboard())


async def send_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    data = await progress.chart_of(coach(context).db, sender(update).id)
    chat = update.effective_chat
    assert chat is not None
    if data is None:
        await _say(update, _(NOTHING_YET))
        return
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO)
    png = await render_chart(data)
    await chat.send_photo(
        InputFile(png, filename="progress.png"),
        caption=_(
            "Working load per workout, in %(unit)s; ★ marks each exercise's best set.",
            unit=i18n.current().unit(data.unit),
        ),
    )


async def show_history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _history_page(update, context, 0)


async def _history_page(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int) -> None:
    page = await history.history_page(coach(context).db, sender(update).id, number)
    if page is None:
        await _show(update, _(NOTHING_YET), None)
        return
    await _show(update, history_text(page), history_keyboard(page))


async def export_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    db = coach(context).db
    user_id = sender(update).id
    chat = update.effective_chat
    assert chat is not None
    if await erase.workouts_stored(db, user_id) is None:
        await _say(update, _("Nothing is stored about you yet. /start_workout to begin."))
        return
    moment = now()
    with tempfile.SpooledTemporaryFile(max_size=CSV_IN_MEMORY) as file:
        rows = await export.write_sets_csv(db, user_id, file, our_columns=csv_columns())
        if rows:
            file.seek(0)
            await chat.send_document(
                InputFile(file.read(), filename=f"toning-coach-sets-{moment:%Y-%m-%d}.csv"),
                caption=_(
                    "Every set you logged (%(rows)s). The columns follow Strong's export, "
                    "so other workout apps can import it.",
                    rows=rows,
                ),
            )
        else:
            await _say(update, _("No sets logged yet, so there is no CSV to send."))
    plan = await export.plan_of(db, user_id, moment)
    await chat.send_document(
        InputFile(
            export.calendar(calendar_events(plan, coach(context).settings.rest_seconds), moment),
            filename="toning-coach-plan.ics",
        ),
        caption=ngettext(
            "Your next training day: open the file to add it to your calendar.",
            "Your next %(count)s training days: open the file to add them to your calendar.",
            len(plan.days),
        ),
    )


async def delete_me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    stored = await erase.workouts_stored(coach(context).db, sender(update).id)
    if stored is None:
        await _say(update, _("Nothing is stored about you, so there is nothing to erase."))
        return
    held = (
        ngettext(
            "That is your %(count)s workout and every set in it, your loads, settings and "
            "reminders.",
            "That is your %(count)s workouts and every set in them, your loads, settings and "
            "reminders.",
            stored,
        )
        if stored
        else _("That is your loads, settings and reminders.")
    )
    asked = int(now().timestamp())
    await _say(
        update,
        _("<b>Erase everything I store about you?</b>")
        + "\n"
        + held
        + " "
        + _("It can't be undone — /export first if you want to keep a copy."),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Yes, erase everything"),
                        callback_data=buttons.encode(EraseEverything(asked)),
                    )
                ],
                [
                    InlineKeyboardButton(
                        _("No, keep my data"), callback_data=buttons.encode(KeepData())
                    )
                ],
            ]
        ),
    )


async def _erase(update: Update, context: ContextTypes.DEFAULT_TYPE, asked: int) -> None:
    age = now() - datetime.fromtimestamp(asked, tz=UTC)
    if not timedelta(minutes=-1) <= age <= ERASE_CONFIRMATION_LIFETIME:
        await drop_buttons(update)
        await _say(
            update,
            _("That question has expired, so nothing was erased. /delete_me to ask again."),
        )
        return
    erased = await erase.erase_user(coach(context).db, sender(update).id)
    await drop_buttons(update)
    if erased:
        await _say(
            update,
            _(
                "Done: everything I stored about you is erased. If you ever want to train "
                "together again, /start begins afresh."
            ),
        )
    else:
        await _say(update, _("Nothing is stored about you any more."))


async def tapped_chart(
    update: Update, context: ContextTypes.DEFAULT_TYPE, _button: ShowChart
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(_("Drawing your chart…"))
    await send_chart(update, context)


async def tapped_page(
    update: Update, context: ContextTypes.DEFAULT_TYPE, page: HistoryPage
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _history_page(update, context, page.page)


async def tapped_workout(
    update: Update, context: ContextTypes.DEFAULT_TYPE, button: ShowPastWorkout
) -> None:
    query = update.callback_query
    assert query is not None
    workout = await history.past_workout(coach(context).db, sender(update).id, button.workout_id)
    if workout is None:
        await query.answer(_("That workout isn't in your history."))
        return
    await query.answer()
    await _say(update, workout_text(workout))


async def tapped_erase(
    update: Update, context: ContextTypes.DEFAULT_TYPE, button: EraseEverything
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _erase(update, context, button.asked)


async def tapped_keep(
    update: Update, context: ContextTypes.DEFAULT_TYPE, _button: KeepData
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(_("Kept"))
    await drop_buttons(update)
    await _say(update, _("Good — nothing was erased."))
