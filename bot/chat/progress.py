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

from bot.chat import buttons
from bot.chat.buttons import EraseEverything, KeepData, ShowChart, ShowHistoryPage, ShowPastWorkout
from bot.chat.chart import render_chart
from bot.chat.common import coach, drop_buttons, now, sender
from bot.chat.loads import load_text, set_text, sets_text
from bot.chat.programme_words import rep_range, rest_words
from bot.chat.workout import next_training_text, why_text
from bot.domain import program
from bot.domain.progression import Change, LoadSuggestion
from bot.domain.units import Unit, format_amount, format_load, grams_per
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

NOTHING_YET = (
    "No finished workouts yet, so there is nothing to show. Type /start_workout at the gym: "
    "I'll log every set, and your loads, best sets and streak show up here after the first one."
)
EFFORTS = {"easy": "2 more were easy", "ok": "just about", "hard": "it was hard"}

CHART_KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("📈 Chart", callback_data=buttons.encode(ShowChart()))]]
)


# --- wording ---------------------------------------------------------------------------------


def _approx(grams: int, unit: Unit) -> str:
    """An estimate, to a tenth of the unit: `56 kg`, `59.5 kg`."""
    amount = (Decimal(grams) / grams_per(unit)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format_amount(amount)} {unit.value}"


def _signed(grams: int, unit: Unit) -> str:
    if grams == 0:
        return "no change"
    sign = "+" if grams > 0 else "−"
    return f"{sign}{_approx(abs(grams), unit)}"


def _reps(reps: int, other_leg: int | None) -> str:
    return f"{reps}/{other_leg}" if other_leg is not None and other_leg != reps else f"{reps}"


def _short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def _minutes(started: datetime, finished: datetime | None) -> str:
    if finished is None:
        return ""
    return f" · {max(0, int((finished - started).total_seconds() // 60))} min"


def _trend_text(trend: Trend, unit: Unit) -> str:
    if trend.change_grams is None:
        return f"{trend.weeks} wk: —"
    return f"{trend.weeks} wk: {_signed(trend.change_grams, unit)}"


def _next_load_text(suggestion: LoadSuggestion | None, kit: Kit, exercise: str) -> str:
    if suggestion is None or suggestion.load_grams is None:
        return "Next time: tell me the load you use."
    load = load_text(suggestion.load_grams, kit, exercise)
    verb = {Change.UP: "up to", Change.DOWN: "down to", Change.HOLD: "stay at"}.get(
        suggestion.change, "at"
    )
    return f"Next time: {verb} {load} ({why_text(suggestion.why)})."


def exercise_text(part: ExerciseProgress, kit: Kit) -> str:
    unit, slug = kit.unit, part.exercise.slug
    best = part.best
    trends = " · ".join(_trend_text(trend, unit) for trend in part.trends)
    return (
        f"<b>{escape(part.exercise.name)}</b> · {part.workouts} workout"
        f"{'s' if part.workouts != 1 else ''}\n"
        f"Working load {load_text(part.working_load_grams, kit, slug)} · best set "
        f"{set_text(best.reps, best.reps_other_leg, best.load_grams, kit, slug, each=False)} "
        f"({_short_day(best.on)})\n"
        f"Estimated 1-rep max {_approx(part.one_rep_max_grams, unit)} · {trends}\n"
        f"{_next_load_text(part.next_load, kit, slug)}"
    )


def adherence_text(adherence: Adherence) -> str:
    lines = ["<b>Sticking with it</b>"]
    if adherence.full_weeks:
        rate = Decimal(adherence.workouts_in_full_weeks) / adherence.full_weeks
        weeks = "week" if adherence.full_weeks == 1 else f"{adherence.full_weeks} weeks"
        lines.append(
            f"Last {weeks}: {adherence.workouts_in_full_weeks} workouts, "
            f"{format_amount(rate.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP))} a week "
            f"(the programme asks for {program.PROGRAMME.workouts_per_week})"
        )
    streak = adherence.streak_weeks
    lines.append(
        f"This week: {adherence.this_week} of {program.PROGRAMME.workouts_per_week} · "
        f"streak: {streak} week"
        f"{'s' if streak != 1 else ''} with both workouts"
    )
    if adherence.gaps:
        lines.append(
            f"Two rest days kept before {adherence.gaps_rested} of {adherence.gaps} workouts "
            "(last 12 weeks)"
        )
    return "\n".join(lines)


def progress_text(report: Progress) -> str:
    parts = [f"<b>Your progress</b> · {report.finished} workouts done"]
    parts += [exercise_text(part, report.kit) for part in report.exercises]
    parts.append(adherence_text(report.adherence))
    if report.workouts_to_more_sets:
        more = report.workouts_to_more_sets
        sets = (
            f"{report.sets_now} sets of each exercise now; "
            f"{program.PROGRAMME.sets_later} sets after {more} more "
            f"workout{'s' if more != 1 else ''}."
        )
    else:
        sets = f"{report.sets_now} sets of each exercise."
    parts.append(
        f"<b>Coming next</b>\n{sets}\nNext workout: {next_training_text(report.next_training)}."
    )
    return "\n\n".join(parts)


def history_text(page: HistoryPage) -> str:
    first = page.page * history.PAGE_SIZE + 1
    last = first + len(page.workouts) - 1
    lines = [f"<b>Your workouts</b> · {first}–{last} of {page.total}, newest first"]
    for line in page.workouts:
        lines.append(
            f"• {_short_day(line.local_date)} {line.local_date.year} · {line.sets} sets"
            f"{_minutes(line.started_at, line.finished_at)}"
        )
    lines.append("Tap a workout to see its sets.")
    return "\n".join(lines)


def history_keyboard(page: HistoryPage) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"{_short_day(line.local_date)} {line.local_date.year}",
                callback_data=buttons.encode(ShowPastWorkout(line.id)),
            )
        ]
        for line in page.workouts
    ]
    moves = []
    if page.page > 0:
        moves.append(
            InlineKeyboardButton(
                "◀ Previous", callback_data=buttons.encode(ShowHistoryPage(page.page - 1))
            )
        )
    if page.page + 1 < page.pages:
        moves.append(
            InlineKeyboardButton(
                "Next ▶", callback_data=buttons.encode(ShowHistoryPage(page.page + 1))
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
        felt = f" · last set: {EFFORTS[effort]}" if effort in EFFORTS else ""
        lines.append(f"<b>{escape(exercise.name)}</b>: {logged}{felt}")
    return "\n".join(lines)


def calendar_events(plan: Plan, rest_seconds: int) -> list[CalendarEvent]:
    events = []
    for planned in plan.days:
        loads = "\n".join(
            f"{exercise.name}: {planned.sets} × {rep_range()}"
            + (f" at {format_load(load, plan.unit)}" if load is not None else "")
            for exercise, load in planned.loads
        )
        events.append(
            CalendarEvent(
                uid=f"{planned.day:%Y%m%d}-{plan.user_id}@toning-coach",
                day=planned.day,
                summary="Hamstring and glute workout",
                description=f"{loads}\n{rest_words(rest_seconds).capitalize()} of rest "
                "between sets.",
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
        await _say(update, NOTHING_YET)
        return
    await _say(update, progress_text(report), CHART_KEYBOARD)


async def send_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    data = await progress.chart_of(coach(context).db, sender(update).id)
    chat = update.effective_chat
    assert chat is not None
    if data is None:
        await _say(update, NOTHING_YET)
        return
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO)
    png = await render_chart(data)
    await chat.send_photo(
        InputFile(png, filename="progress.png"),
        caption=f"Working load per workout, in {data.unit.value}; ★ marks each exercise's "
        "best set.",
    )


async def show_history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _history_page(update, context, 0)


async def _history_page(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int) -> None:
    page = await history.history_page(coach(context).db, sender(update).id, number)
    if page is None:
        await _show(update, NOTHING_YET, None)
        return
    await _show(update, history_text(page), history_keyboard(page))


async def export_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    db = coach(context).db
    user_id = sender(update).id
    chat = update.effective_chat
    assert chat is not None
    if await erase.workouts_stored(db, user_id) is None:
        await _say(update, "Nothing is stored about you yet. /start_workout to begin.")
        return
    moment = now()
    with tempfile.SpooledTemporaryFile(max_size=CSV_IN_MEMORY) as file:
        rows = await export.write_sets_csv(db, user_id, file)
        if rows:
            file.seek(0)
            await chat.send_document(
                InputFile(file.read(), filename=f"toning-coach-sets-{moment:%Y-%m-%d}.csv"),
                caption=f"Every set you logged ({rows}). The columns follow Strong's export, "
                "so other workout apps can import it.",
            )
        else:
            await _say(update, "No sets logged yet, so there is no CSV to send.")
    plan = await export.plan_of(db, user_id, moment)
    await chat.send_document(
        InputFile(
            export.calendar(calendar_events(plan, coach(context).settings.rest_seconds), moment),
            filename="toning-coach-plan.ics",
        ),
        caption=f"Your next {len(plan.days)} training days: open the file to add them to "
        "your calendar.",
    )


async def delete_me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    stored = await erase.workouts_stored(coach(context).db, sender(update).id)
    if stored is None:
        await _say(update, "Nothing is stored about you, so there is nothing to erase.")
        return
    held = (
        f"your {stored} workout{'s' if stored != 1 else ''} and every set in them, "
        if stored
        else ""
    )
    asked = int(now().timestamp())
    await _say(
        update,
        "<b>Erase everything I store about you?</b>\n"
        f"That is {held}your loads, settings and reminders. It can't be undone — "
        "/export first if you want to keep a copy.",
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        "Yes, erase everything",
                        callback_data=buttons.encode(EraseEverything(asked)),
                    )
                ],
                [
                    InlineKeyboardButton(
                        "No, keep my data", callback_data=buttons.encode(KeepData())
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
            update, "That question has expired, so nothing was erased. /delete_me to ask again."
        )
        return
    erased = await erase.erase_user(coach(context).db, sender(update).id)
    await drop_buttons(update)
    if erased:
        await _say(
            update,
            "Done: everything I stored about you is erased. If you ever want to train "
            "together again, /start begins afresh.",
        )
    else:
        await _say(update, "Nothing is stored about you any more.")


async def tapped_chart(update: Update, context: ContextTypes.DEFAULT_TYPE, _: ShowChart) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Drawing your chart…")
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
        await query.answer("That workout isn't in your history.")
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


async def tapped_keep(update: Update, context: ContextTypes.DEFAULT_TYPE, _: KeepData) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Kept")
    await drop_buttons(update)
    await _say(update, "Good — nothing was erased.")
