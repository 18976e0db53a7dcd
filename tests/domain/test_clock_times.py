from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.clock_times import (
    format_clock_time,
    parse_clock_time,
    parse_date,
    parse_weekday_pair,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("19:00", time(19, 0)),
        ("7pm", time(19, 0)),
        ("7 PM", time(19, 0)),
        ("7.30 am", time(7, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("19h30", time(19, 30)),
        ("7", time(7, 0)),
        ("0:05", time(0, 5)),
    ],
)
def test_reads_common_ways_of_writing_a_time(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["", "24:00", "7:60", "13pm", "0am", "noon", "7:3", "1234567"])
def test_refuses_what_is_not_a_time(text: str) -> None:
    assert parse_clock_time(text) is None


@given(st.times())
def test_24_hour_format_round_trips(value: time) -> None:
    minute = value.replace(second=0, microsecond=0)
    assert parse_clock_time(format_clock_time(minute)) == minute


@given(st.integers(0, 23), st.integers(0, 59))
def test_12_hour_format_means_the_same_time(hour: int, minute: int) -> None:
    half = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    assert parse_clock_time(f"{shown}:{minute:02d}{half}") == time(hour, minute)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon Thu", (0, 3)),
        ("thursday and monday", (0, 3)),
        ("tue & fri", (1, 4)),
        ("We, Sa", (2, 5)),
    ],
)
def test_reads_weekday_pairs(text: str, expected: tuple[int, int]) -> None:
    assert parse_weekday_pair(text) == expected


@pytest.mark.parametrize("text", ["Mon", "Mon Mon", "t f", "Mon Thu Sat", "funday thu"])
def test_refuses_what_is_not_two_weekdays(text: str) -> None:
    assert parse_weekday_pair(text) is None


def test_dates_are_the_next_such_day() -> None:
    today = date(2026, 11, 26)
    assert parse_date("2026-12-20", today) == date(2026, 12, 20)
    assert parse_date("20 Dec", today) == date(2026, 12, 20)
    assert parse_date("Jan 3", today) == date(2027, 1, 3)
    assert parse_date("26 nov", today) == date(2026, 11, 26)
    assert parse_date("29 Feb", today) == date(2028, 2, 29)
    assert parse_date("30 Feb", today) is None
    assert parse_date("2026-13-01", today) is None
    assert parse_date("someday", today) is None


def test_tomorrow_and_spans_count_from_today() -> None:
    today = date(2026, 12, 30)
    assert parse_date("tomorrow", today) == date(2026, 12, 31)
    assert parse_date("Tomorrow ", today) == date(2026, 12, 31)
    assert parse_date("3 days", today) == date(2027, 1, 2)
    assert parse_date("1 day", today) == date(2026, 12, 31)
    assert parse_date("a week", today) == date(2027, 1, 6)
    assert parse_date("for 2 weeks", today) == date(2027, 1, 13)
    assert parse_date("10d", today) == date(2027, 1, 9)
    assert parse_date("3 fortnights", today) is None


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    count=st.integers(min_value=0, max_value=999),
    unit=st.sampled_from([("day", 1), ("days", 1), ("d", 1), ("week", 7), ("weeks", 7), ("w", 7)]),
)
def test_a_span_is_that_many_days_ahead(today: date, count: int, unit: tuple[str, int]) -> None:
    word, days = unit
    assert parse_date(f"{count} {word}", today) == today + timedelta(days=count * days)
