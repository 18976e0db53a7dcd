"""Reading a user's settings the way every service needs them: unit, zone, equipment, days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.reminders import DEFAULT_DAYS, local_date
from bot.domain.schedule import NextTraining, is_valid_pair, next_training_day
from bot.domain.units import DEFAULT_STEPS, Equipment, Unit
from bot.storage.models import User


class Profile(Protocol):
    """The settings these helpers read: a `User` row, or the reminder sweep's lighter
    `Recipient` (storage/reminders.py), which skips the ORM for thousands of users at once."""

    @property
    def unit(self) -> str: ...
    @property
    def squat_equipment(self) -> str: ...
    @property
    def lunge_equipment(self) -> str: ...
    @property
    def barbell_step(self) -> Decimal | None: ...
    @property
    def dumbbell_step(self) -> Decimal | None: ...
    @property
    def machine_step(self) -> Decimal | None: ...
    @property
    def day_one(self) -> int | None: ...
    @property
    def day_two(self) -> int | None: ...


def unit_of(user: Profile) -> Unit:
    return Unit(user.unit)


def local_today(user: User, now: datetime) -> date:
    return local_date(now, user.time_zone)


def equipment_for(user: Profile, exercise: Exercise) -> Equipment:
    chosen = {"squat": user.squat_equipment, "lunge": user.lunge_equipment}.get(exercise.slug)
    if chosen is not None and Equipment(chosen) in exercise.equipment:
        return Equipment(chosen)
    return exercise.equipment[0]


def step_for(user: Profile, equipment: Equipment) -> Decimal:
    custom = {
        Equipment.BARBELL: user.barbell_step,
        Equipment.DUMBBELLS: user.dumbbell_step,
        Equipment.MACHINE: user.machine_step,
    }[equipment]
    return custom if custom is not None else DEFAULT_STEPS[unit_of(user)][equipment]


@dataclass(frozen=True)
class Kit:
    """How a user's loads are made, so they can be shown as loadable: the unit, the equipment
    of each exercise, its step, and the bar's weight (None: the standard bar)."""

    unit: Unit
    equipment: Mapping[str, Equipment]
    steps: Mapping[Equipment, Decimal]
    bar_grams: int | None


def kit_of(user: User) -> Kit:
    return Kit(
        unit=unit_of(user),
        equipment={e.slug: equipment_for(user, e) for e in program.PROGRAMME.exercises},
        steps={kind: step_for(user, kind) for kind in Equipment},
        bar_grams=user.bar_grams,
    )


def preferred_days(user: Profile) -> tuple[int, int]:
    """The user's two training weekdays; the programme's default pair until they choose."""
    days = (user.day_one, user.day_two)
    if days[0] is not None and days[1] is not None and is_valid_pair((days[0], days[1])):
        return days[0], days[1]
    return DEFAULT_DAYS


def plan_ahead(user: User, past: Sequence[date], today: date) -> NextTraining:
    """The next training day, on or after `today`, by the schedule's rules."""
    return next_training_day(preferred_days(user), past, today)
