"""Dates relative to the pinned test clock (tests/conftest.py), so tests hold on any date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta


def next_weekday(after: datetime, weekday: int, at: time) -> datetime:
    """The first `weekday` (Monday=0) strictly after `after`'s date, at `at` in `after`'s zone."""
    days = (weekday - after.weekday() - 1) % 7 + 1
    return datetime.combine(after.date() + timedelta(days=days), at, after.tzinfo)


def day_text(day: date) -> str:
    """A date as the bot words it: "Thursday 26 Nov"."""
    return f"{day:%A} {day.day} {day:%b}"
