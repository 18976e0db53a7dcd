"""The user's data to take away: every set as CSV, the next training days as a calendar."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import IO
from zoneinfo import ZoneInfo

from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.units import Unit, format_amount, in_unit, round_to_step
from bot.services.profile import equipment_for, local_today, plan_ahead, step_for, unit_of
from bot.services.workout import workouts_towards_more_sets
from bot.storage import progress, users, workouts
from bot.storage.database import Database
from bot.storage.models import User

# Strong's export columns, where they apply, so other workout apps can import the file...
STRONG_COLUMNS = (
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
)
# ...then what only this programme records.
OUR_COLUMNS = ("Weight Unit", "Reps Other Leg", "Effort", "Workout Id", "Logged At")
COLUMNS = STRONG_COLUMNS + OUR_COLUMNS
WORKOUT_NAME = "Hamstrings and glutes"
PLANNED_DAYS = 8


def _name_of(slug: str) -> str:
    """The lift's name; the slug itself for a lift the programme no longer holds."""
    return program.PROGRAMME.exercise(slug).name if program.PROGRAMME.holds(slug) else slug


def duration(started: datetime, finished: datetime | None) -> str:
    """Strong's way: `45m`, `1h 5m`; empty while a workout is still running."""
    if finished is None:
        return ""
    minutes = max(0, int((finished - started).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"


async def write_sets_csv(
    db: Database, user_id: int, out: IO[bytes], *, our_columns: Sequence[str] = OUR_COLUMNS
) -> int:
    """Writes every set the user logged into `out`, a row at a time; returns the row count.

    Dates and times are in the user's time zone; weights in their unit. Strong's columns keep
    Strong's names (apps import by them); ours may be named in the user's language.
    """
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(STRONG_COLUMNS + tuple(our_columns))
        rows = 0
        async with db.reading() as session:
            user = await users.get(session, user_id)
            if user is None:
                return 0
            zone = ZoneInfo(user.time_zone)
            unit = unit_of(user)
            async for row in progress.every_set(session, user_id):
                writer.writerow(
                    (
                        row.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                        WORKOUT_NAME,
                        duration(row.started_at, row.finished_at),
                        _name_of(row.exercise),
                        row.set_number,
                        format_amount(in_unit(row.load_grams, unit)),
                        row.reps,
                        "",
                        "",
                        f"per leg: {row.reps}/{row.reps_other_leg}"
                        if row.reps_other_leg is not None
                        else "",
                        "",
                        "",
                        unit.value,
                        "" if row.reps_other_leg is None else row.reps_other_leg,
                        row.effort or "",
                        row.workout_id,
                        row.logged_at.astimezone(zone).isoformat(timespec="seconds"),
                    )
                )
                rows += 1
        return rows
    finally:
        text.detach()  # leave `out` open for the caller


# --- the plan as a calendar ------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedDay:
    day: date
    sets: int
    loads: tuple[tuple[Exercise, int | None], ...]  # the suggested starting load, if known


@dataclass(frozen=True)
class Plan:
    user_id: int
    unit: Unit
    days: tuple[PlannedDay, ...]


def training_days(user: User, past: Sequence[date], today: date, count: int) -> list[date]:
    """The next `count` training days, as if each planned one were trained."""
    planned: list[date] = []
    done = list(past)
    day = today
    for _ in range(count):
        candidate = plan_ahead(user, done, day).day
        planned.append(candidate)
        done.append(candidate)
        day = candidate + timedelta(days=1)
    return planned


async def plan_of(db: Database, user_id: int, now: datetime, count: int = PLANNED_DAYS) -> Plan:
    async with db.reading() as session:
        user = await users.get(session, user_id)
        if user is None:
            return Plan(user_id, Unit.KG, ())
        past = await workouts.finished_dates(session, user_id)
        counted = await workouts_towards_more_sets(session, user_id)
        known = await workouts.loads(session, user_id)
    unit = unit_of(user)
    loads = []
    for exercise in program.PROGRAMME.exercises:
        row = known.get(exercise.slug)
        load = None
        if row is not None and row.load_grams is not None:
            step = step_for(user, equipment_for(user, exercise))
            load = round_to_step(row.load_grams, unit, step)
        loads.append((exercise, load))
    days = training_days(user, past, local_today(user, now), count)
    return Plan(
        user_id=user_id,
        unit=unit,
        days=tuple(
            PlannedDay(day, program.PROGRAMME.sets_per_exercise(counted + i), tuple(loads))
            for i, day in enumerate(days)
        ),
    )


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: date  # an all-day event: a training day, whatever the hour
    summary: str
    description: str


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets go on, after CRLF and a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts = []
    start = 0
    limit = 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # never split a UTF-8 character
        parts.append(encoded[start:end].decode())
        start = end
        limit = 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def calendar(events: Sequence[CalendarEvent], now: datetime) -> bytes:
    """An iCalendar file (RFC 5545) of all-day events."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//toning-coach-bot//training plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(event.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(event.summary)}",
            f"DESCRIPTION:{_escape(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode()
