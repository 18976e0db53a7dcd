"""Training-day reminders: their wording, the "Start workout" button, and sending them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot import i18n, metrics
from bot.chat import buttons, workout
from bot.chat.buttons import StartFromReminder
from bot.chat.loads import load_on
from bot.chat.names import exercise_name
from bot.chat.programme_words import rep_range, top_reps
from bot.domain.program import PlannedExercise
from bot.domain.schedule import Reason
from bot.domain.units import Equipment, Unit
from bot.i18n import _
from bot.services import reminders as service
from bot.services.reminders import DueReminder, Outcomes
from bot.storage.database import Database

log = logging.getLogger(__name__)

# Sends in flight at once; the rate limiter spaces them to Telegram's 30 a second.
SEND_CONCURRENCY = 32


def _line(planned: PlannedExercise, unit: Unit) -> str:
    exercise = planned.exercise
    name = escape(exercise_name(exercise.slug))
    if len(exercise.equipment) > 1:
        kit = _("dumbbells") if planned.equipment is Equipment.DUMBBELLS else _("barbell")
        name = f"{name} ({kit})"
    sets = f"{planned.sets} × {rep_range()}"
    if exercise.one_leg_at_a_time:
        sets = _("%(sets)s per leg", sets=sets)
    if planned.load_grams is not None:
        load = load_on(planned.load_grams, unit, planned.equipment)
        return "• " + _("%(exercise)s: %(sets)s at %(load)s", exercise=name, sets=sets, load=load)
    return "• " + _(
        "%(exercise)s: %(sets)s, a load that makes %(reps)s hard",
        exercise=name,
        sets=sets,
        reps=top_reps(),
    )


def reminder_text(due: DueReminder) -> str:
    """In the language of the update or job that writes it (see `_deliver_one`)."""
    language = i18n.current()
    if due.reason is Reason.MAKE_UP and due.because_of is not None:
        head = _(
            "<b>Make-up day</b>: %(day)s slipped by, so today's the day.",
            day=language.weekday(due.because_of),
        )
    elif due.reason is Reason.AFTER_REST and due.because_of is not None:
        head = _(
            "<b>Training day</b>: two rest days since %(day)s's workout.",
            day=language.weekday(due.because_of),
        )
    else:
        head = _(
            "<b>Training day</b>, %(name)s! Your usual %(day)s.",
            name=escape(due.first_name),
            day=language.weekday(due.day),
        )
    plan = "\n".join(_line(planned, due.unit) for planned in due.plan)
    return f"🏋️ {head}\n\n" + _("Today's plan:") + f"\n{plan}"


def reminder_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Start workout"), callback_data=buttons.encode(StartFromReminder())
                )
            ]
        ]
    )


async def _deliver_one(bot: Bot, due: DueReminder) -> str:
    try:
        with i18n.speaking(i18n.language_of(due.language)):
            text, keyboard = reminder_text(due), reminder_keyboard()
        await bot.send_message(due.chat_id, text, reply_markup=keyboard)
    except Forbidden:
        return "blocked"
    except RetryAfter:
        return "retry"  # the rate limiter's retries ran out: Telegram did not take it
    except TelegramError as error:
        log.warning("reminder %s to chat %s failed: %s", due.reminder_id, due.chat_id, error)
        return "failed"
    except Exception:
        log.exception("reminder %s to chat %s failed", due.reminder_id, due.chat_id)
        return "failed"
    return "sent"


async def deliver(bot: Bot, batch: Sequence[DueReminder]) -> Outcomes:
    """Sends a batch through the bot's rate limiter; one outcome per reminder."""
    gate = asyncio.Semaphore(SEND_CONCURRENCY)

    async def one(due: DueReminder) -> str:
        async with gate:
            return await _deliver_one(bot, due)

    results = await asyncio.gather(*(one(due) for due in batch))
    by_kind: dict[str, list[DueReminder]] = {}
    for due, result in zip(batch, results, strict=True):
        by_kind.setdefault(result, []).append(due)
    return Outcomes(
        sent=[due.reminder_id for due in by_kind.get("sent", [])],
        blocked=[(due.reminder_id, due.chat_id) for due in by_kind.get("blocked", [])],
        failed=[due.reminder_id for due in by_kind.get("failed", [])],
        retry=[due.reminder_id for due in by_kind.get("retry", [])],
    )


async def send_due_reminders(bot: Bot, db: Database, clock: Callable[[], datetime]) -> int:
    """Claims, sends and records due reminders, a batch at a time; returns how many went out."""
    metrics.REMINDERS_DROPPED.inc(await service.drop_stale_claims(db, clock()))
    sent = 0
    while True:
        claim = await service.claim_due(db, clock())
        if claim.claimed == 0:
            return sent
        metrics.REMINDERS_DUE.inc(claim.claimed)
        metrics.REMINDERS_DROPPED.inc(claim.claimed - len(claim.to_send))
        outcomes = await deliver(bot, claim.to_send) if claim.to_send else Outcomes()
        await service.record(db, outcomes, clock())
        metrics.REMINDERS_SENT.inc(len(outcomes.sent))
        metrics.REMINDERS_UNDELIVERABLE.inc(len(outcomes.blocked) + len(outcomes.failed))
        sent += len(outcomes.sent)
        if claim.claimed < service.BATCH:
            return sent


async def tapped_start(
    update: Update, context: ContextTypes.DEFAULT_TYPE, _: StartFromReminder
) -> None:
    """The reminder's "Start workout": exactly what /start_workout does."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await workout.start_workout(update, context)
