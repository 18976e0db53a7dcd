"""The sweep's trigger owes no runs after a clock jump or a suspended machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.job import Job
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.reminders.jobs import EveryFromNow

START = datetime.now(UTC)


def sweep() -> None:
    """Stands in for the job's function; never called here."""


def job_on(trigger: IntervalTrigger, scheduler: BaseScheduler) -> Job:
    return Job(
        scheduler,
        id="sweep",
        func=sweep,
        args=(),
        kwargs={},
        trigger=trigger,
        executor="default",
        name="sweep",
        misfire_grace_time=None,
        coalesce=True,
        max_instances=1,
        next_run_time=START,
    )


def test_a_jump_of_a_week_is_one_run_then_the_next_interval_from_now() -> None:
    trigger = EveryFromNow(seconds=0.2, start_date=START, timezone=UTC)
    later = START + timedelta(days=7)
    assert trigger.get_next_fire_time(START, later) == later + timedelta(seconds=0.2)


def test_on_time_runs_keep_their_rhythm() -> None:
    trigger = EveryFromNow(seconds=20, start_date=START, timezone=UTC)
    soon = START + timedelta(seconds=3)
    assert trigger.get_next_fire_time(START, soon) == START + timedelta(seconds=20)
    assert trigger.get_next_fire_time(None, START) == START


def test_apscheduler_counts_one_missed_run_not_every_interval() -> None:
    """APScheduler's own interval would list 3,024,000 run times for this week."""

    class Scheduler(BaseScheduler):
        def shutdown(self, wait: bool = True) -> None: ...
        def wakeup(self) -> None: ...

    later = START + timedelta(days=7)
    ours = job_on(EveryFromNow(seconds=0.2, start_date=START, timezone=UTC), Scheduler())
    assert ours._get_run_times(later) == [START]
    theirs = job_on(IntervalTrigger(seconds=20, start_date=START, timezone=UTC), Scheduler())
    assert len(theirs._get_run_times(later)) == 7 * 24 * 180 + 1
