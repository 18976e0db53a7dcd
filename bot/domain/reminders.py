"""When to remind: the next training day at the user's wall-clock time, and when it is too late.

- A reminder is due on the day `schedule.next_training_day` names, at the reminder time in
  the user's IANA zone (DST-safe through `schedule.reminder_instant`).
- A day already reminded, or whose reminder time has passed, is never planned again.
- A missed day earns one make-up nudge: once a make-up reminder went out after it, the next
  reminder is the next usual day. A pause earns none (a holiday is not a missed day).
- A reminder that could not go out on time (the bot was down) still goes out while it is the
  same local day and at least LATE_CUTOFF before midnight; otherwise it is dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.schedule import (
    NextTraining,
    Reason,
    next_training_day,
    reminder_instant,
    too_soon,
)

DEFAULT_DAYS = (0, 3)  # Monday and Thursday: three and four days apart
DEFAULT_TIME = time(18, 0)
# Sent late (after a restart) only while at least this long remains before local midnight.
LATE_CUTOFF = timedelta(hours=2)
# A sweep this late after the due instant still counts as on time (a big fan-out takes minutes).
ON_TIME_GRACE = timedelta(minutes=30)


@dataclass(frozen=True)
class PlannedReminder:
    day: date  # the local date
    due_at: datetime  # UTC
    reason: Reason
    because_of: date | None


def local_date(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def _next_usual_day(preferred: Sequence[int], past: Sequence[date], start: date) -> date:
    day = start
    while day.weekday() not in preferred or too_soon(past, day) is not None:
        day += timedelta(days=1)
    return day


def plan_reminder(
    *,
    preferred: Sequence[int],
    at: time,
    zone: str,
    past: Sequence[date],
    now: datetime,
    reminded: Collection[date] = (),
    made_up_on: Collection[date] = (),
    paused_until: date | None = None,
) -> PlannedReminder:
    """The next reminder from `now` on.

    `reminded`: local dates that already had their reminder (sent or dropped);
    `made_up_on`: local dates on which a make-up reminder went out;
    `paused_until`: the first day reminders may come again.
    """
    start = local_date(now, zone)
    while start in reminded or reminder_instant(start, at, zone) <= now:
        start += timedelta(days=1)
    paused = paused_until is not None and paused_until > start
    if paused_until is not None and paused:
        start = paused_until
    upcoming: NextTraining = next_training_day(preferred, past, start)
    if upcoming.reason is Reason.MAKE_UP and (
        paused or any(day > (upcoming.because_of or day) for day in made_up_on)
    ):
        upcoming = NextTraining(
            _next_usual_day(preferred, past, upcoming.day), Reason.USUAL_DAY, None
        )
    while upcoming.day in reminded:  # only past days are in `reminded`; kept for safety
        upcoming = NextTraining(
            _next_usual_day(preferred, past, upcoming.day + timedelta(days=1)),
            Reason.USUAL_DAY,
            None,
        )
    return PlannedReminder(
        day=upcoming.day,
        due_at=reminder_instant(upcoming.day, at, zone),
        reason=upcoming.reason,
        because_of=upcoming.because_of,
    )


def still_worth_sending(due_at: datetime, day: date, zone: str, now: datetime) -> bool:
    """On time, or late but the same local day with at least LATE_CUTOFF left before midnight."""
    if now < due_at + ON_TIME_GRACE:
        return local_date(now, zone) <= day
    midnight = reminder_instant(day + timedelta(days=1), time(0, 0), zone)
    return now <= midnight - LATE_CUTOFF
