"""When to train: two preferred weekdays, at least two full rest days between workouts.

Rules the schedule keeps:
- a workout is allowed on a day at least MIN_REST_DAYS full days after the last workout, in an
  ISO week (Mon-Sun) that holds fewer than WORKOUTS_PER_WEEK workouts;
- each workout covers the latest preferred day on or before it (a late workout is that day's
  make-up), so the next one owed is the first preferred day after the last workout;
- an owed day that passed unused is made up as soon as allowed, from today;
- an owed day blocked by rest after an off-schedule workout moves to the first day rest allows;
- an owed day blocked because the week is already full is dropped: the week had its two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.program import PROGRAMME

DAYS_IN_WEEK = 7

# Both gaps round the week must leave MIN_REST_DAYS full days, so the gap is 3 or 4 days.
VALID_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (first, second)
    for first in range(DAYS_IN_WEEK)
    for second in range(first + 1, DAYS_IN_WEEK)
    if min(second - first, DAYS_IN_WEEK - (second - first)) > PROGRAMME.min_rest_days
)


def is_valid_pair(days: Sequence[int]) -> bool:
    return len(days) == 2 and tuple(sorted(days)) in VALID_PAIRS


class Reason(StrEnum):
    USUAL_DAY = "usual_day"
    MAKE_UP = "make_up"
    AFTER_REST = "after_rest"


@dataclass(frozen=True)
class NextTraining:
    day: date
    reason: Reason
    because_of: date | None  # the missed day (MAKE_UP) or the workout whose rest pushed it


def earliest_after_rest(last_workout: date) -> date:
    return last_workout + timedelta(days=PROGRAMME.min_rest_days + 1)


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def _allowed(day: date, past: Sequence[date]) -> bool:
    if past and day < earliest_after_rest(max(past)):
        return False
    week = _week(day)
    return sum(1 for d in past if _week(d) == week) < PROGRAMME.workouts_per_week


def _first_allowed(start: date, past: Sequence[date]) -> date:
    day = start
    while not _allowed(day, past):
        day += timedelta(days=1)
    return day


def _first_preferred(start: date, preferred: Sequence[int], past: Sequence[date]) -> date:
    day = start
    while day.weekday() not in preferred or not _allowed(day, past):
        day += timedelta(days=1)
    return day


def _last_preferred_before(day: date, preferred: Sequence[int]) -> date:
    day -= timedelta(days=1)
    while day.weekday() not in preferred:
        day -= timedelta(days=1)
    return day


def too_soon(past_workout_dates: Sequence[date], today: date) -> date | None:
    """The earliest allowed date if training today would break the rules, else None."""
    earliest = _first_allowed(today, past_workout_dates)
    return earliest if earliest > today else None


def next_training_day(
    preferred_days: Sequence[int], past_workout_dates: Sequence[date], today: date
) -> NextTraining:
    if not is_valid_pair(preferred_days):
        raise ValueError(f"not a valid pair of training days: {preferred_days!r}")
    past = past_workout_dates
    if not past:
        return NextTraining(_first_preferred(today, preferred_days, past), Reason.USUAL_DAY, None)

    last = max(past)
    rest_ends = max(today, earliest_after_rest(last))
    earliest = _first_allowed(rest_ends, past)
    usual = NextTraining(_first_preferred(earliest, preferred_days, past), Reason.USUAL_DAY, None)
    owed = _first_preferred(last + timedelta(days=1), preferred_days, ())
    if owed >= earliest or earliest.weekday() in preferred_days:
        return usual
    if earliest > rest_ends:
        # The week is full: its owed day is dropped and the schedule resumes next week.
        return usual
    latest_owed = _last_preferred_before(earliest, preferred_days)
    if latest_owed < earliest_after_rest(last):
        return NextTraining(earliest, Reason.AFTER_REST, last)
    return NextTraining(earliest, Reason.MAKE_UP, latest_owed)


def reminder_instant(local_date: date, local_time: time, zone: str) -> datetime:
    """The UTC instant of a wall-clock time on a local date in an IANA zone.

    fold=0 gives what people expect at both DST changes: in the autumn overlap, the first
    occurrence; in the spring gap, the offset from before the change, which lands the instant
    the gap's length later on the wall clock (02:30 that doesn't exist -> 03:30).
    """
    if local_time.tzinfo is not None:
        raise ValueError("local_time must be naive: the zone is given separately")
    wall = datetime.combine(local_date, local_time.replace(fold=0), tzinfo=ZoneInfo(zone))
    return wall.astimezone(UTC)
