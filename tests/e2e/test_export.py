"""/export: every set as a CSV other apps can import, and the plan as an .ics calendar."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from sqlalchemy import select

from bot.domain.units import Unit, format_amount, in_unit
from bot.services.export import STRONG_COLUMNS
from bot.storage.database import Database
from bot.storage.models import LoggedSet, Workout
from tests.e2e.harness import RunningBot
from tests.factories import add_user, add_workout
from tests.fakes.bot_api import BotMessage, FakeBotAPI

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)  # Wednesday, 08:00 in New York


@pytest.fixture
def wednesday() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def stored_sets(db: Database, user_id: int) -> list[tuple[LoggedSet, Workout]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(LoggedSet, Workout)
            .join(Workout, Workout.id == LoggedSet.workout_id)
            .where(LoggedSet.user_id == user_id)
            .order_by(Workout.started_at, LoggedSet.logged_at)
        )
        return [(logged, workout) for logged, workout in rows.all()]


async def test_export_sends_every_set_as_csv_and_the_plan_as_ics(
    wednesday: None, bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 5001, first_name="Eve", unit="lb", time_zone="America/New_York", days=(0, 3))
    await add_workout(
        db, 5001, date(2025, 6, 2), {"deadlift": [(12, 40_823)] * 3, "leg_curl": [(9, 22_680)]}
    )
    # A late workout: 23:30 in New York is already 6 June in UTC; the export says 5 June.
    await add_workout(
        db,
        5001,
        date(2025, 6, 5),
        {"squat": [(10, 20_412), (8, 20_412)], "lunge": [(10, 9, 9_072)] * 2},
        at=time(23, 30),
        minutes=65,
        effort="easy",
    )
    await add_workout(db, 5001, date(2025, 6, 9), {"deadlift": [(11, 43_091)] * 3})
    # The workout running right now: its sets are logged, so they are exported too.
    await add_workout(db, 5001, date(2025, 6, 11), {"deadlift": [(8, 43_091)]}, status="active")
    await add_user(db, 5002, first_name="Other")
    await add_workout(db, 5002, date(2025, 6, 9), {"deadlift": [(10, 99_000)] * 3})

    eve = fake.user(5001, "Eve")
    await eve.send("/export")
    sets_file, plan_file = await eve.replies(2)

    assert sets_file.kind == "document" and sets_file.file_bytes is not None
    assert (sets_file.file_name or "").endswith(".csv")
    assert "Every set you logged (12)" in text_of(sets_file)
    reader = csv.DictReader(io.StringIO(sets_file.file_bytes.decode("utf-8")))
    assert reader.fieldnames is not None
    assert tuple(reader.fieldnames[: len(STRONG_COLUMNS)]) == STRONG_COLUMNS
    rows = list(reader)
    stored = await stored_sets(db, 5001)
    assert len(rows) == len(stored) == 12
    for row, (logged, workout) in zip(rows, stored, strict=True):
        started = workout.started_at.astimezone(NEW_YORK)
        assert row["Date"] == started.strftime("%Y-%m-%d %H:%M:%S")
        assert datetime.fromisoformat(row["Logged At"]) == logged.logged_at
        assert row["Workout Id"] == str(logged.workout_id)
        assert row["Set Order"] == str(logged.set_number)
        assert row["Reps"] == str(logged.reps)
        assert row["Reps Other Leg"] == ("" if logged.reps_other_leg is None else "9")
        assert row["Weight"] == format_amount(in_unit(logged.load_grams, Unit.LB))
        assert row["Weight Unit"] == "lb"
        assert row["Effort"] == (logged.effort or "")
    late = [row for row in rows if row["Exercise Name"] == "Lunge"]
    assert late[0]["Date"] == "2025-06-05 23:30:00" and late[0]["Duration"] == "1h 5m"
    assert late[0]["Weight"] == "20" and late[0]["Notes"] == "per leg: 10/9"
    assert rows[0]["Exercise Name"] == "Straight-leg deadlift" and rows[0]["Weight"] == "90"
    assert rows[0]["Duration"] == "45m" and rows[-1]["Duration"] == ""
    assert "99" not in {row["Weight"] for row in rows}

    assert plan_file.kind == "document" and plan_file.file_name == "toning-coach-plan.ics"
    assert plan_file.file_bytes is not None and b"\r\n" in plan_file.file_bytes
    calendar = icalendar.Calendar.from_ical(plan_file.file_bytes)
    events = list(calendar.walk("VEVENT"))
    # Mondays and Thursdays from tomorrow: the last workout was Monday 9 June.
    assert [event.decoded("DTSTART") for event in events] == [
        date(2025, 6, 12),
        date(2025, 6, 16),
        date(2025, 6, 19),
        date(2025, 6, 23),
        date(2025, 6, 26),
        date(2025, 6, 30),
        date(2025, 7, 3),
        date(2025, 7, 7),
    ]
    assert len({str(event["UID"]) for event in events}) == 8
    first = events[0]
    assert str(first["SUMMARY"]) == "Hamstring and glute workout"
    assert "Straight-leg deadlift: 3 × 8–12" in str(first["DESCRIPTION"])
    assert first.decoded("DTEND") == date(2025, 6, 13)


async def test_export_before_anything_is_logged(bot: RunningBot, fake: FakeBotAPI) -> None:
    fay = fake.user(5003, "Fay")
    await fay.send("/export")
    assert "Nothing is stored about you yet" in text_of(await fay.reply())
