"""Reading what people type for a time of day, a pair of weekdays or a date.

`7:30`, `19:00`, `7pm`, `7.30 am`, `19h30` are times; `Mon Thu`, `tuesday & friday` a pair of
weekdays (Monday=0); `2026-12-20`, `20 Dec`, `Dec 20` dates. Anything else is None.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?\s*m?\.?)?$"
)

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def parse_clock_time(text: str) -> time | None:
    """A wall-clock time from `7:30`, `19:00`, `7pm`, `7.30 am`, `19h30`, `7`; else None."""
    match = _CLOCK.match(text.strip().lower())
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    if minute > 59:
        return None
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"].startswith("p") else 0)
    elif hour > 23:
        return None
    return time(hour, minute)


def format_clock_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _weekday(word: str) -> int | None:
    if len(word) < 2:
        return None
    found = [i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def parse_weekday_pair(text: str) -> tuple[int, int] | None:
    """Two different weekdays (`Mon Thu`, `tuesday and friday`), sorted; else None."""
    words = [w for w in re.split(r"[\s,&/+-]+", text.strip().lower()) if w and w != "and"]
    if len(words) != 2:
        return None
    days = [_weekday(word) for word in words]
    if None in days or days[0] == days[1]:
        return None
    first, second = sorted(d for d in days if d is not None)
    return first, second


def _month(word: str) -> int | None:
    if len(word) < 3:
        return None
    found = [i + 1 for i, name in enumerate(MONTH_NAMES) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


_SPAN = re.compile(r"(?:for\s+)?(\d{1,3}|an?|one)\s*(d|days?|w|weeks?)")


def parse_date(text: str, today: date) -> date | None:
    """`2026-12-20`, `20 Dec` / `Dec 20` (the next such day from `today` on), `tomorrow`, or a
    span from today: `3 days`, `a week`, `2w`; else None."""
    cleaned = text.strip().lower()
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    span = _SPAN.fullmatch(cleaned)
    if span:
        count = int(span[1]) if span[1].isdigit() else 1
        return today + timedelta(days=count * (7 if span[2].startswith("w") else 1))
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        day_month = re.fullmatch(r"(\d{1,2})\.?\s*([a-z]+)\.?", cleaned)
        month_day = re.fullmatch(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?", cleaned)
        if day_month:
            day, month = int(day_month[1]), _month(day_month[2])
        elif month_day:
            day, month = int(month_day[2]), _month(month_day[1])
        else:
            return None
        if month is None:
            return None
        date(2000, month, day)  # a leap year: only days that never exist raise
    except ValueError:
        return None
    return _next_occurrence(today, month, day)


def _next_occurrence(today: date, month: int, day: int) -> date:
    """The first `day month` on or after today (29 Feb: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    raise ValueError(f"no {day}/{month} ahead of {today}")  # unreachable for a valid day
