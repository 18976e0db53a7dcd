"""The periodic sweep on PTB's JobQueue. The jobs are triggers; the database holds the truth."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.chat import reminders, workout
from bot.chat.common import coach, now
from bot.config import Settings

log = logging.getLogger(__name__)

# Rests are prompted on time by their own one-off job; the sweep only catches those whose job
# was lost (a restart), so it leaves alone rests that ended moments ago.
REST_SAFETY_NET = timedelta(seconds=2)
REDELIVERY_WINDOW = timedelta(days=2)


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    db = coach(context).db
    sent = await reminders.send_due_reminders(context.bot, db, now)
    if sent:
        log.info("sent %d reminder(s)", sent)
    await workout.prompt_after_rest(context, ended_by=now() - REST_SAFETY_NET)


async def forget_old_updates(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram stops redelivering an update within a day; older keys are dead weight.

    They must go well before a week: after a week without updates Telegram may pick new
    update ids at random, which could then meet an old key and be taken for a redelivery.
    """
    await coach(context).db.forget_handled_updates(now() - REDELIVERY_WINDOW)


def schedule_sweeps(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    job_queue.run_repeating(
        sweep,
        interval=settings.sweep_seconds,
        first=1.0,
        name="sweep",
        # APScheduler's default grace of 1 s skips a late run silently; coalesce a backlog.
        job_kwargs={
            "id": "sweep",
            "replace_existing": True,
            "misfire_grace_time": None,
            "coalesce": True,
            "max_instances": 1,
        },
    )
    job_queue.run_repeating(
        forget_old_updates,
        interval=3600,
        first=60,
        name="forget_old_updates",
        job_kwargs={"id": "forget_old_updates", "replace_existing": True, "coalesce": True},
    )
