"""The export's pieces: durations, the planned days, and a calendar file icalendar reads back."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import icalendar

from bot.domain.schedule import earliest_after_rest
from bot.services.export import CalendarEvent, calendar, duration, training_days
from bot.storage.models import User

START = datetime(2025, 6, 2, 18, 0, tzinfo=UTC)


def test_duration_is_written_the_way_strong_writes_it() -> None:
    assert duration(START, START + timedelta(minutes=45, seconds=59)) == "45m"
    assert duration(START, START + timedelta(minutes=65)) == "1h 5m"
    assert duration(START, None) == ""


def test_without_preferred_days_the_plan_keeps_the_rest_and_two_a_week() -> None:
    user = User(id=1, day_one=None, day_two=None)
    days = training_days(user, [date(2025, 6, 2)], date(2025, 6, 3), 8)
    assert days[0] == date(2025, 6, 5)
    for earlier, later in itertools.pairwise(days):
        assert later >= earliest_after_rest(earlier)
    weeks = [day.isocalendar()[:2] for day in days]
    assert all(weeks.count(week) <= 2 for week in weeks)


def test_with_preferred_days_the_plan_is_those_weekdays() -> None:
    user = User(id=1, day_one=1, day_two=4)  # Tuesday and Friday
    days = training_days(user, [], date(2025, 6, 2), 4)
    assert days == [date(2025, 6, 3), date(2025, 6, 6), date(2025, 6, 10), date(2025, 6, 13)]


def test_calendar_escapes_folds_and_reads_back() -> None:
    description = "Squat: 3 × 8–12 at 20 kg; rest, then lunge\\ — über " + "long " * 30
    events = [
        CalendarEvent(f"day-{n}@test", date(2025, 6, 3 + n), "Leg day, again", description)
        for n in range(2)
    ]
    raw = calendar(events, START)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    parsed = icalendar.Calendar.from_ical(raw)
    read = list(parsed.walk("VEVENT"))
    assert [str(event["SUMMARY"]) for event in read] == ["Leg day, again"] * 2
    assert str(read[0]["DESCRIPTION"]) == description
    assert read[1].decoded("DTSTART") == date(2025, 6, 4)
    assert read[0].decoded("DTSTAMP") == START
