"""The periodic sweep on PTB's JobQueue. The jobs are triggers; the database holds the truth."""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from bot.chat.workout import rest_sweep
from bot.config import Settings

log = logging.getLogger(__name__)


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    # Rests that ended while no timer was in memory (a restart mid-rest) are caught here.
    await rest_sweep(context)


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
