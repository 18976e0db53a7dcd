from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import reminder_instant

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata")


@pytest.mark.parametrize(
    ("zone", "local_date", "local_time", "utc"),
    [
        # Spring gap: 02:30 doesn't exist; the reminder comes at 03:30 local.
        ("Europe/Berlin", date(2025, 3, 30), time(2, 30), datetime(2025, 3, 30, 1, 30)),
        ("America/New_York", date(2025, 3, 9), time(2, 30), datetime(2025, 3, 9, 7, 30)),
        ("Australia/Sydney", date(2025, 10, 5), time(2, 30), datetime(2025, 10, 4, 16, 30)),
        # Autumn fold: the first of the two 02:30s (still summer time).
        ("Europe/Berlin", date(2025, 10, 26), time(2, 30), datetime(2025, 10, 26, 0, 30)),
        ("America/New_York", date(2025, 11, 2), time(1, 30), datetime(2025, 11, 2, 5, 30)),
        ("Australia/Sydney", date(2025, 4, 6), time(2, 30), datetime(2025, 4, 5, 15, 30)),
        # Ordinary days and a zone without DST.
        ("Europe/Berlin", date(2025, 6, 2), time(18, 0), datetime(2025, 6, 2, 16, 0)),
        ("Asia/Kolkata", date(2025, 3, 30), time(2, 30), datetime(2025, 3, 29, 21, 0)),
    ],
)
def test_reminder_instants(zone: str, local_date: date, local_time: time, utc: datetime) -> None:
    instant = reminder_instant(local_date, local_time, zone)
    assert instant == utc.replace(tzinfo=UTC)
    assert instant.utcoffset() == timedelta(0)


def test_gap_reminder_lands_an_hour_later_on_the_wall_clock() -> None:
    instant = reminder_instant(date(2025, 3, 30), time(2, 30), "Europe/Berlin")
    assert instant.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)


def test_local_time_must_be_naive() -> None:
    with pytest.raises(ValueError):
        reminder_instant(date(2025, 6, 2), time(18, 0, tzinfo=UTC), "Europe/Berlin")


@cache
def change_days(zone: str) -> tuple[date, ...]:
    """Days on which the zone's offset changes (plus neighbours), 2020-2030."""
    tz = ZoneInfo(zone)
    days: list[date] = []
    day = date(2020, 1, 1)
    while day < date(2031, 1, 1):
        before = datetime.combine(day, time(0), tz).utcoffset()
        after = datetime.combine(day + timedelta(days=1), time(0), tz).utcoffset()
        if before != after:
            days += [day - timedelta(days=1), day, day + timedelta(days=1)]
        day += timedelta(days=1)
    return tuple(days) or (date(2025, 3, 30), date(2025, 10, 26))


@st.composite
def reminders(draw: st.DrawFn) -> tuple[str, date, time]:
    zone = draw(st.sampled_from(ZONES))
    day = draw(st.sampled_from(change_days(zone)))
    # Night hours often, where the changes happen; any minute of the day sometimes.
    hour = draw(st.one_of(st.integers(0, 3), st.integers(0, 23)))
    return zone, day, time(hour, draw(st.integers(0, 59)))


def test_change_days_found() -> None:
    assert len(change_days("Europe/Berlin")) == 3 * 2 * 11
    assert len(change_days("Australia/Sydney")) == 3 * 2 * 11
    assert change_days("Asia/Kolkata") == (date(2025, 3, 30), date(2025, 10, 26))


@settings(max_examples=500, deadline=None)
@given(reminders())
def test_reminder_round_trips_except_in_the_gap(reminder: tuple[str, date, time]) -> None:
    zone, local_date, local_time = reminder
    tz = ZoneInfo(zone)
    wall = datetime.combine(local_date, local_time)
    first = wall.replace(tzinfo=tz, fold=0).utcoffset()
    second = wall.replace(tzinfo=tz, fold=1).utcoffset()
    assert first is not None and second is not None

    instant = reminder_instant(local_date, local_time, zone)
    assert instant.tzinfo is UTC
    back = instant.astimezone(tz).replace(tzinfo=None)
    if first < second:  # the spring gap: moved on by the gap's length
        assert back == wall + (second - first)
    else:
        assert back == wall
    if first > second:  # the autumn fold: the earlier of the two instants
        assert instant == (wall - first).replace(tzinfo=UTC)
        assert instant < (wall - second).replace(tzinfo=UTC)
