"""Onboarding and settings: each answer validated, saved whole, and the reminder replanned.

Onboarding asks the steps in `ONBOARDING` order; `users.awaiting` names the step a typed
answer belongs to, so a restart mid-onboarding loses nothing. Skipping a step keeps what is
stored (the column defaults, or Monday and Thursday for the training days).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import program
from bot.domain.progression import Change, Why
from bot.domain.reminders import DEFAULT_DAYS, PlannedReminder
from bot.domain.schedule import NextTraining, is_valid_pair
from bot.domain.units import MAX_LOAD_GRAMS, Equipment, Unit, round_to_step, to_grams
from bot.domain.zones import guess_from_language, is_zone
from bot.services import profile, reminders
from bot.services.conversation import Conversation
from bot.storage import users, workouts
from bot.storage.database import Database
from bot.storage.models import User


class Step(StrEnum):
    UNIT = "unit"
    ZONE = "zone"
    DAYS = "days"
    TIME = "time"
    SQUAT = "squat"
    LUNGE = "lunge"
    LOADS = "loads"
    BAR = "bar"  # only in /settings: most people train on the standard bar


ONBOARDING: tuple[Step, ...] = tuple(step for step in Step if step is not Step.BAR)
# A bar lighter or heavier than these is not a bar (technique bars start near 5 kg).
BAR_GRAMS = range(2_000, 30_001)


@dataclass(frozen=True)
class Bar:
    """The bar's weight in grams; None for the standard bar of the user's unit."""

    grams: int | None


EQUIPMENT_STEPS = {Step.SQUAT: "squat", Step.LUNGE: "lunge"}
MAX_PAUSE_DAYS = 366


class Invalid(StrEnum):
    """Why an answer changed nothing."""

    UNKNOWN_ZONE = "unknown_zone"
    BAD_DAYS = "bad_days"
    BAD_EQUIPMENT = "bad_equipment"
    BAD_UNIT = "bad_unit"
    BAD_LOADS = "bad_loads"
    PAST_DATE = "past_date"
    FAR_DATE = "far_date"
    BAD_BAR = "bad_bar"


@dataclass(frozen=True)
class View:
    """The user's settings as they stand, plus their next reminder."""

    first_name: str
    unit: Unit
    time_zone: str
    zone_confirmed: bool
    zone_guess: str | None
    days: tuple[int, int]
    days_chosen: bool
    reminder_time: time
    squat: Equipment
    lunge: Equipment
    loads: Mapping[str, int | None]
    kit: profile.Kit
    reminders_on: bool
    paused_until: date | None
    reachable: bool
    onboarded: bool
    next_reminder: PlannedReminder | None


@dataclass(frozen=True)
class Answered:
    view: View
    ask: Step | None  # the onboarding question to ask next
    finished_onboarding: bool


@dataclass(frozen=True)
class Met:
    view: View
    new: bool
    ask: Step | None  # onboarding still running: this question next


@dataclass(frozen=True)
class NextInfo:
    view: View
    upcoming: NextTraining


async def _view(session: Any, user: User) -> View:
    known = await workouts.loads(session, user.id)
    return View(
        first_name=user.first_name,
        unit=profile.unit_of(user),
        time_zone=user.time_zone,
        zone_confirmed=user.time_zone_confirmed,
        zone_guess=guess_from_language(user.language_code),
        days=profile.preferred_days(user),
        days_chosen=user.day_one is not None,
        reminder_time=user.reminder_time,
        squat=Equipment(user.squat_equipment),
        lunge=Equipment(user.lunge_equipment),
        loads={slug: row.load_grams for slug, row in known.items()},
        kit=profile.kit_of(user),
        reminders_on=user.reminders_on,
        paused_until=user.paused_until,
        reachable=user.reachable,
        onboarded=user.onboarded,
        next_reminder=await reminders.pending(session, user.id),
    )


def _after(step: Step) -> Step | None:
    index = ONBOARDING.index(step)
    return ONBOARDING[index + 1] if index + 1 < len(ONBOARDING) else None


async def meet(
    db: Database, user_id: int, first_name: str, language_code: str | None, now: datetime
) -> Met:
    """/start: a new user begins onboarding; a returning one sees their settings."""
    async with db.writing() as session:
        user, created = await users.get_or_create(session, user_id, first_name, language_code, now)
        ask: Step | None = None
        if not user.onboarded:
            current = user.awaiting
            ask = Step(current) if current and current in ONBOARDING else None
            ask = ask or ONBOARDING[0]
            user.awaiting = ask.value
        return Met(view=await _view(session, user), new=created, ask=ask)


async def settings_of(
    db: Database, user_id: int, first_name: str, language_code: str | None, now: datetime
) -> View:
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        return await _view(session, user)


async def ask(
    db: Database,
    user_id: int,
    step: Step,
    first_name: str,
    language_code: str | None,
    now: datetime,
) -> View:
    """A settings question is on screen: its typed answer goes to `step`."""
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        user.awaiting = step.value
        return await _view(session, user)


async def awaits(db: Database, user_id: int, step: Step) -> bool:
    """Whether `step` is the question on screen: a Skip for any other is from an old message."""
    async with db.reading() as session:
        user = await users.get(session, user_id)
        return user is not None and user.awaiting == step.value


def pending_step(awaiting: str | None) -> Step | None:
    """The question a typed answer belongs to, from the user's stored `awaiting`."""
    return Step(awaiting) if awaiting and awaiting in Step.__members__.values() else None


def _apply(user: User, step: Step, value: object, loads: dict[str, int]) -> Invalid | None:
    """Checks an answer and applies it to the user's row; nothing changes when it is invalid."""
    if value is None:
        if step is Step.DAYS and user.day_one is None:
            user.day_one, user.day_two = DEFAULT_DAYS
        return None
    if step is Step.UNIT:
        if not isinstance(value, Unit):
            return Invalid.BAD_UNIT
        user.unit = value.value
    elif step is Step.ZONE:
        if not isinstance(value, str) or not is_zone(value):
            return Invalid.UNKNOWN_ZONE
        user.time_zone = value
        user.time_zone_confirmed = True
    elif step is Step.DAYS:
        if not isinstance(value, tuple) or not is_valid_pair(value):
            return Invalid.BAD_DAYS
        user.day_one, user.day_two = sorted(value)
    elif step is Step.TIME:
        if not isinstance(value, time) or value.tzinfo is not None:
            raise ValueError(f"not a wall-clock time: {value!r}")
        user.reminder_time = value.replace(second=0, microsecond=0)
    elif step in EQUIPMENT_STEPS:
        exercise = next(e for e in program.PROGRAMME.exercises if e.slug == EQUIPMENT_STEPS[step])
        if not isinstance(value, Equipment) or value not in exercise.equipment:
            return Invalid.BAD_EQUIPMENT
        if step is Step.SQUAT:
            user.squat_equipment = value.value
        else:
            user.lunge_equipment = value.value
    elif step is Step.BAR:
        if not isinstance(value, Bar) or (value.grams is not None and value.grams not in BAR_GRAMS):
            return Invalid.BAD_BAR
        user.bar_grams = value.grams
    elif step is Step.LOADS:
        if not isinstance(value, Mapping) or not value:
            return Invalid.BAD_LOADS
        unit = profile.unit_of(user)
        for slug, amount in value.items():
            if slug not in {e.slug for e in program.PROGRAMME.exercises} or not isinstance(
                amount, Decimal
            ):
                return Invalid.BAD_LOADS
            grams = to_grams(amount, unit)
            if not 0 < grams <= MAX_LOAD_GRAMS:
                return Invalid.BAD_LOADS
            loads[slug] = grams
    return None


async def answer(
    db: Database,
    user_id: int,
    step: Step,
    value: object,
    now: datetime,
    *,
    first_name: str,
    language_code: str | None,
) -> Answered | Invalid:
    """Saves one setting (`value` None: skip, keep what is stored) in one unit of work."""
    async with db.writing() as session:
        return await _answer(session, user_id, step, value, now, first_name, language_code)


async def answer_in(
    talk: Conversation,
    step: Step,
    value: object,
    now: datetime,
    *,
    first_name: str,
    language_code: str | None,
) -> Answered | Invalid:
    """`answer`, inside the update's own unit of work (a typed answer to a question)."""
    return await _answer(talk.session, talk.user_id, step, value, now, first_name, language_code)


async def _answer(
    session: AsyncSession,
    user_id: int,
    step: Step,
    value: object,
    now: datetime,
    first_name: str,
    language_code: str | None,
) -> Answered | Invalid:
    user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
    loads: dict[str, int] = {}
    unit_before = profile.unit_of(user)
    invalid = _apply(user, step, value, loads)
    if invalid is not None:
        return invalid
    if profile.unit_of(user) is not unit_before:
        await _reround_loads(session, user, now)
    for slug, grams in loads.items():
        await workouts.save_load(
            session, user.id, slug, grams, Change.HOLD.value, Why.IN_RANGE.value, False, now
        )
    next_step: Step | None = None
    finished = False
    if user.onboarded:
        user.awaiting = None
    elif step not in ONBOARDING:
        if user.awaiting == step.value:
            user.awaiting = None
        next_step = pending_step(user.awaiting)  # back to the onboarding question on screen
    elif user.awaiting in (None, step.value):
        next_step = _after(step)
        if next_step is None:
            user.onboarded = True
            finished = True
        user.awaiting = next_step.value if next_step else None
    else:
        next_step = Step(user.awaiting)  # an older onboarding button: ask the current one
    await session.flush()
    await reminders.replan(session, user, now)
    return Answered(view=await _view(session, user), ask=next_step, finished_onboarding=finished)


async def _reround_loads(session: AsyncSession, user: User, now: datetime) -> None:
    """After a unit switch the stored suggestions are rounded to what the equipment makes in
    the new unit: 55 kg becomes 120 lb, not 121.25 lb (and 120 lb back in kg is 55 kg)."""
    unit = profile.unit_of(user)
    for slug, row in (await workouts.loads(session, user.id)).items():
        if row.load_grams is None or not program.PROGRAMME.holds(slug):
            continue
        kit = profile.equipment_for(user, program.PROGRAMME.exercise(slug))
        rounded = round_to_step(row.load_grams, unit, profile.step_for(user, kit))
        await workouts.save_load(
            session, user.id, slug, rounded, row.change, row.why, row.reached_top_last_time, now
        )


async def pause(
    db: Database,
    user_id: int,
    until: date | None,
    now: datetime,
    *,
    first_name: str,
    language_code: str | None,
) -> View | Invalid:
    """Stops reminders: until a date (the first day they come again), or until /resume."""
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        today = profile.local_today(user, now)
        if until is not None:
            if until <= today:
                return Invalid.PAST_DATE
            if (until - today).days > MAX_PAUSE_DAYS:
                return Invalid.FAR_DATE
            user.paused_until = until
            user.reminders_on = True
        else:
            user.paused_until = None
            user.reminders_on = False
        await reminders.replan(session, user, now)
        return await _view(session, user)


async def resume(
    db: Database, user_id: int, now: datetime, *, first_name: str, language_code: str | None
) -> View:
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        user.reminders_on = True
        user.paused_until = None
        if not user.onboarded:
            user.onboarded = True
            user.awaiting = None
            if user.day_one is None:
                user.day_one, user.day_two = DEFAULT_DAYS
        await reminders.replan(session, user, now)
        return await _view(session, user)


async def next_workout(
    db: Database, user_id: int, first_name: str, language_code: str | None, now: datetime
) -> NextInfo:
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        past = await workouts.finished_dates(session, user_id)
        upcoming = profile.plan_ahead(user, past, profile.local_today(user, now))
        return NextInfo(view=await _view(session, user), upcoming=upcoming)


@dataclass(frozen=True)
class Returning:
    language: str | None  # chosen with /language; None: follow Telegram's language_code
    came_back: bool  # Telegram had said they blocked us


async def came_back(db: Database, user_id: int, now: datetime) -> Returning:
    """Any update: the user's language choice, and a user Telegram said had blocked us who
    wrote again is reachable, their reminders planned again."""
    async with db.reading() as session:
        user = await users.get(session, user_id)
        if user is None or user.reachable:
            return Returning(user.language if user is not None else None, came_back=False)
    async with db.writing() as session:
        user = await users.get(session, user_id, lock=True)
        if user is None or user.reachable:
            return Returning(user.language if user is not None else None, came_back=False)
        user.reachable = True
        await reminders.replan(session, user, now)
        return Returning(user.language, came_back=True)


async def choose_language(
    db: Database,
    user_id: int,
    language: str,
    now: datetime,
    *,
    first_name: str,
    language_code: str | None,
) -> None:
    """/language: the choice is stored and wins over Telegram's language_code from now on."""
    async with db.writing() as session:
        user, _ = await users.get_or_create(session, user_id, first_name, language_code, now)
        user.language = language


@cache
def _finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def _zone_at(latitude: float, longitude: float) -> str | None:
    found = _finder().timezone_at(lng=longitude, lat=latitude)
    return str(found) if found and is_zone(str(found)) else None


async def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a shared location, offline (timezonefinder's bundled polygons)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return await asyncio.to_thread(_zone_at, latitude, longitude)
