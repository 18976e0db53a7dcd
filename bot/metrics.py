"""Prometheus metrics, so an operator can see the bot working without reading its logs.

Served at GET /metrics (see `bot.webhook`). Labels are only kinds, Bot API method names and
status codes: never a user or chat id, the token or the webhook secret. The metrics live in the
process's default registry, so instances run inside one process (as in tests) share them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram
from telegram import Update

UPDATES = Counter("coach_updates_handled", "Telegram updates handled, by kind", ["kind"])
HANDLER_SECONDS = Histogram("coach_handler_seconds", "Time to handle one update")
REPLIES = Counter(
    "coach_replies_sent", "Messages sent and edited by the bot, by Bot API method", ["method"]
)
TELEGRAM_ERRORS = Counter(
    "coach_telegram_errors",
    "Bot API requests that failed, by HTTP status ('network' when there was no answer)",
    ["code"],
)
DATABASE_ERRORS = Counter(
    "coach_database_errors", "Updates and jobs that failed on a database error"
)
REDELIVERIES = Counter(
    "coach_redeliveries", "Updates delivered again and recognised as already handled"
)
REMINDERS_DUE = Counter("coach_reminders_due", "Reminders that came due and were claimed")
REMINDERS_SENT = Counter("coach_reminders_sent", "Reminders Telegram accepted")
REMINDERS_DROPPED = Counter(
    "coach_reminders_dropped", "Due reminders not sent: no longer wanted, too late, or stale"
)
REMINDERS_UNDELIVERABLE = Counter(
    "coach_reminders_undeliverable", "Reminders Telegram refused (bot blocked, chat gone, ...)"
)
WORKOUTS_STARTED = Counter("coach_workouts_started", "Workouts started (not resumed)")
WORKOUTS_FINISHED = Counter("coach_workouts_finished", "Workouts finished with their sets kept")
SWEEP_SECONDS = Histogram(
    "coach_sweep_seconds", "Time one sweep of due reminders and finished rests takes"
)

# What the bot sends a user; other methods (getUpdates, answerCallbackQuery...) are not replies.
REPLY_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


def update_kind(update: object) -> str:
    """The update's type ("message", "callback_query", ...), never anything it carries."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


@contextmanager
def handled(update: object) -> Iterator[None]:
    """Counts the update and times its handling."""
    try:
        with HANDLER_SECONDS.time():
            yield
    finally:
        UPDATES.labels(kind=update_kind(update)).inc()


def bot_api_answered(method: str, status: int) -> None:
    if status >= 400:
        TELEGRAM_ERRORS.labels(code=str(status)).inc()
    elif method in REPLY_METHODS:
        REPLIES.labels(method=method).inc()


def bot_api_unreachable() -> None:
    TELEGRAM_ERRORS.labels(code="network").inc()


def workout_started() -> None:
    WORKOUTS_STARTED.inc()


def workout_finished() -> None:
    WORKOUTS_FINISHED.inc()
