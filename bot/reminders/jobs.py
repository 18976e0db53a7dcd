"""The periodic sweep on PTB's JobQueue. The jobs are triggers; the database holds the truth."""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from bot.config import Settings

log = logging.getLogger(__name__)


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    log.debug("sweep")


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
