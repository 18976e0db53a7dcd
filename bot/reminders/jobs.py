"""The periodic sweep on PTB's JobQueue. The jobs are triggers; the database holds the truth."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from telegram.ext import Application, ContextTypes, JobQueue

from bot import metrics
from bot.chat import reminders, workout
from bot.chat.common import coach, now
from bot.config import Settings

log = logging.getLogger(__name__)

# Rests are prompted on time by their own one-off job; the sweep only catches those whose job
# was lost (a restart), so it leaves alone rests that ended moments ago.
REST_SAFETY_NET = timedelta(seconds=2)
REDELIVERY_WINDOW = timedelta(days=2)
# Workouts left behind are closed lazily when their user comes back; this catches the others,
# so history, progress and reminders see them filed. Minutes late is early enough.
LEFT_BEHIND_EVERY = timedelta(minutes=5)


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    db = coach(context).db
    with metrics.SWEEP_SECONDS.time():
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


class EveryFromNow(IntervalTrigger):  # type: ignore[misc]
    """An interval that owes nothing after a clock jump or a suspended machine.

    APScheduler's own interval walks every missed run time up to now before it runs the job
    once (about a second of blocked event loop per day skipped at a 0.2 s interval). The sweep
    catches up from the database, so after a jump it runs once and goes on from now.
    """

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        upcoming: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        if previous_fire_time is not None and upcoming is not None and upcoming <= now:
            return now + self.interval  # type: ignore[no-any-return]
        return upcoming


def _every(
    job_queue: JobQueue,  # type: ignore[type-arg]
    callback: Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]],
    seconds: float,
    first: float,
) -> None:
    name = callback.__name__
    trigger = EveryFromNow(
        seconds=seconds,
        start_date=datetime.now(UTC) + timedelta(seconds=first),
        timezone=UTC,
    )
    job_queue.run_custom(
        callback,
        name=name,
        job_kwargs={
            "trigger": trigger,
            "id": name,
            "replace_existing": True,
            # A run that starts late still runs (APScheduler's default grace of 1 s would skip
            # it silently), and a backlog of runs is one run.
            "misfire_grace_time": None,
            "coalesce": True,
            "max_instances": 1,
        },
    )


def schedule_sweeps(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    _every(job_queue, sweep, settings.sweep_seconds, first=1.0)
    _every(job_queue, forget_old_updates, 3600, first=60)
    _every(job_queue, workout.close_left_behind, LEFT_BEHIND_EVERY.total_seconds(), first=30)
