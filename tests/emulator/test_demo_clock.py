"""The demo clock of `coach-bot try` moves the coach's time and its JobQueue timers together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram.ext import ContextTypes

from bot import clock
from bot.tryout import TryOut, move_coach_clock


async def _nothing(context: ContextTypes.DEFAULT_TYPE) -> None:
    pass


async def test_moving_the_clock_brings_the_job_queue_timers_closer(tryout: TryOut) -> None:
    application = tryout.application
    assert application is not None and application.job_queue is not None
    later = application.job_queue.run_once(_nothing, when=3600, name="in an hour")
    soon = application.job_queue.run_once(_nothing, when=60, name="in a minute")
    await move_coach_clock(application, timedelta(minutes=30))
    real_now = datetime.now(UTC)
    assert later.next_t is not None and soon.next_t is not None
    # Due at the same coach time as before: 30 minutes sooner in real time.
    assert abs(later.next_t - (real_now + timedelta(minutes=30))) < timedelta(seconds=2)
    # One whose moment has passed on the coach's clock is due at once, not in the past.
    assert real_now - timedelta(seconds=1) <= soon.next_t <= real_now + timedelta(seconds=1)
    assert clock.ahead() == timedelta(minutes=30)
