"""Reading what people type for a time of day, a pair of weekdays or a date.

`7:30`, `19:00`, `7pm`, `7.30 am`, `19h30` are times; `Mon Thu`, `tuesday & friday` a pair of
weekdays (Monday=0); `2026-12-20`, `20 Dec`, `Dec 20` dates. Anything else is None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache

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


@dataclass(frozen=True)
class DayWords:
    """Weekday names (Monday first; full names and abbreviations) and the words between two."""

    names: Sequence[Sequence[str]]
    joiners: Sequence[str]


@dataclass(frozen=True)
class DateWords:
    """Month names (January first), the word for tomorrow, and for days and weeks in a span."""

    months: Sequence[Sequence[str]]
    tomorrow: Sequence[str]
    days: Sequence[str] = ("d", "day", "days")
    weeks: Sequence[str] = ("w", "week", "weeks")
    one: Sequence[str] = ("a", "an", "one")  # "a week"


ENGLISH_DAYS = DayWords(names=tuple((name,) for name in WEEKDAY_NAMES), joiners=("and",))
ENGLISH_DATES = DateWords(months=tuple((name,) for name in MONTH_NAMES), tomorrow=("tomorrow",))


@cache
def _clock(hour_words: tuple[str, ...]) -> re.Pattern[str]:
    """`19:00`, `7pm`, and a word for "hour" after the hour or the time: `19 h`, `19 Uhr`."""
    hours = "|".join(re.escape(word) for word in sorted(hour_words, key=len, reverse=True))
    after = rf"(?:\s*(?:{hours})\.?)?" if hours else ""
    return re.compile(
        r"^(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?"
        + after
        + r"\s*(?P<half>[ap]\.?\s*m?\.?)?$"
    )


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


def parse_clock_time(text: str, hour_words: Sequence[str] = ()) -> time | None:
    """A wall-clock time from `7:30`, `19:00`, `7pm`, `7.30 am`, `19h30`, `7`, and with one of
    `hour_words` after it (`19 h`, `19 Uhr`, `19:30 ч`); else None."""
    match = _clock(tuple(hour_words)).match(_clean(text))
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


def _weekday(word: str, names: Sequence[Sequence[str]]) -> int | None:
    """The one weekday named `word` or, failing that, whose name starts with it (2 letters at
    least; a trailing dot goes)."""
    word = word.rstrip(".")
    if len(word) < 2:
        return None
    return _one_named(word, names)


def _one_named(word: str, names: Sequence[Sequence[str]]) -> int | None:
    """The index of the one group holding `word` as a name (German "so": Sunday, though
    "sonnabend" starts with it too), else of the one holding a name that starts with it."""
    exact = {i for i, group in enumerate(names) if any(n.lower() == word for n in group)}
    if exact:
        return exact.pop() if len(exact) == 1 else None
    found = {i for i, group in enumerate(names) if any(n.lower().startswith(word) for n in group)}
    return found.pop() if len(found) == 1 else None


def parse_weekday_pair(text: str, words: DayWords = ENGLISH_DAYS) -> tuple[int, int] | None:
    """Two different weekdays (`Mon Thu`, `tuesday and friday`, `Di Fr`, `вт и пт`), sorted;
    else None."""
    joiners = {joiner.lower() for joiner in words.joiners}
    typed = [w for w in re.split(r"[\s,&/+-]+", _clean(text)) if w and w not in joiners]
    if len(typed) != 2:
        return None
    days = [_weekday(word, words.names) for word in typed]
    if None in days or days[0] == days[1]:
        return None
    first, second = sorted(d for d in days if d is not None)
    return first, second


def _month(word: str, months: Sequence[Sequence[str]]) -> int | None:
    if len(word) < 3:
        return None
    found = _one_named(word, months)
    return None if found is None else found + 1


# "3 days", "2w", "for a week", "eine Woche": an optional word ("for"), a count, a unit.
_SPAN = re.compile(r"(?:[^\W\d_]+\s+)?(?:(\d{1,3})\s*|([^\W\d_]+)\s+)([^\W\d_]+)\.?")


def parse_date(text: str, today: date, words: DateWords = ENGLISH_DATES) -> date | None:
    """`2026-12-20`, `20 Dec` / `Dec 20` / `20. Dez.` (the next such day from `today` on),
    `tomorrow`, or a span from today: `3 days`, `a week`, `2w`; else None."""
    cleaned = _clean(text)
    if cleaned in {word.lower() for word in (*words.tomorrow, *ENGLISH_DATES.tomorrow)}:
        return today + timedelta(days=1)
    span = _SPAN.fullmatch(cleaned)
    days = {word.lower() for word in (*words.days, *ENGLISH_DATES.days)}
    weeks = {word.lower() for word in (*words.weeks, *ENGLISH_DATES.weeks)}
    one = {word.lower() for word in (*words.one, *ENGLISH_DATES.one)}
    if span and span[3] in days | weeks and (span[1] or span[2] in one):
        count = int(span[1]) if span[1] else 1
        return today + timedelta(days=count * (7 if span[3] in weeks else 1))
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        day_month = re.fullmatch(r"(\d{1,2})\.?\s*(?:de\s+)?([^\W\d_]+)\.?", cleaned)
        month_day = re.fullmatch(r"([^\W\d_]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?", cleaned)
        if day_month:
            day, month = int(day_month[1]), _month(day_month[2], words.months)
        elif month_day:
            day, month = int(month_day[2]), _month(month_day[1], words.months)
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
