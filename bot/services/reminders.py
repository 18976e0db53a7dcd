"""Training-day reminders: planned as rows, claimed by the sweep, sent once.

Each user with reminders on has at most one pending row: the next reminder, with its UTC
instant. It is recomputed (`replan`) whenever a workout ends, a setting changes or the user
comes back after blocking the bot, and the sweep plans the following one as it claims a row.

Send policy (at most once): a row is claimed (pending -> claimed) in the same transaction
that plans the next one, committed, then sent, then recorded (sent, or dropped on 403 and
other refusals; put back to pending only when Telegram's rate limit refused it outright).
A claim never settled within STALE_CLAIM (the process died between claim and send) is
dropped with a warning rather than sent again: Telegram may already have shown it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import program
from bot.domain.program import PlannedExercise, plan_workout
from bot.domain.reminders import (
    PlannedReminder,
    plan_reminder,
    still_worth_sending,
)
from bot.domain.schedule import Reason, next_training_day
from bot.domain.units import Equipment, Unit, round_to_step
from bot.services import profile
from bot.services.profile import Profile, preferred_days
from bot.storage import reminders as rows
from bot.storage.database import Database

log = logging.getLogger(__name__)

# Reminders claimed per transaction: fewer, larger statements; on SQLite each batch holds
# the one writer's turn for about a tenth of a second.
BATCH = 2000
STALE_CLAIM = timedelta(minutes=10)
# Enough history for the schedule: the last workout, its week, the missed day before it.
LOOK_BACK = timedelta(days=28)


@dataclass(frozen=True)
class DueReminder:
    """A claimed reminder, with everything the message needs."""

    reminder_id: int
    chat_id: int
    first_name: str
    day: date
    reason: Reason
    because_of: date | None
    plan: tuple[PlannedExercise, ...]
    unit: Unit
    # The language to write in: chosen with /language, else Telegram's language_code.
    language: str | None = None


@dataclass(frozen=True)
class Claim:
    claimed: int  # rows claimed (sent or not)
    to_send: tuple[DueReminder, ...]


@dataclass(frozen=True)
class Outcomes:
    sent: Collection[int] = ()
    blocked: Collection[tuple[int, int]] = ()  # (reminder id, user id)
    failed: Collection[int] = ()  # refused or lost: not retried (at most once)
    retry: Collection[int] = ()  # Telegram certainly did not take it


class Reminded(Profile, Protocol):
    """What planning a reminder reads of a user: a `User` row or a sweep's `Recipient`."""

    @property
    def id(self) -> int: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def reminder_time(self) -> time: ...
    @property
    def paused_until(self) -> date | None: ...
    @property
    def reminders_on(self) -> bool: ...
    @property
    def reachable(self) -> bool: ...
    @property
    def onboarded(self) -> bool: ...


def wants_reminders(user: Reminded) -> bool:
    return user.onboarded and user.reminders_on and user.reachable


def _plan(
    user: Reminded,
    past: Sequence[date],
    settled: Sequence[tuple[date, str]],
    now: datetime,
) -> PlannedReminder:
    return plan_reminder(
        preferred=preferred_days(user),
        at=user.reminder_time,
        zone=user.time_zone,
        past=past,
        now=now,
        reminded={day for day, _ in settled},
        made_up_on={day for day, reason in settled if reason == rows.MAKE_UP},
        paused_until=user.paused_until,
    )


def _new_row(user_id: int, plan: PlannedReminder) -> rows.NewReminder:
    return rows.NewReminder(user_id, plan.day, plan.due_at, plan.reason.value)


def _since(now: datetime) -> date:
    return (now - LOOK_BACK - timedelta(days=1)).date()


async def replan(session: AsyncSession, user: Reminded, now: datetime) -> PlannedReminder | None:
    """Replaces the user's pending reminder with the next one due (none if they opted out).

    Call it inside the unit of work that changed the user's settings or workouts, with the
    user's row locked.
    """
    await rows.drop_pending(session, [user.id])
    if not wants_reminders(user):
        return None
    since = _since(now)
    workouts = (await rows.recent_workouts(session, [user.id], since))[user.id]
    settled = (await rows.history(session, [user.id], since))[user.id]
    past = sorted(day for day, status in workouts if status == "finished")
    plan = _plan(user, past, settled, now)
    await rows.add(session, [_new_row(user.id, plan)])
    return plan


async def pending(session: AsyncSession, user_id: int) -> PlannedReminder | None:
    row = await rows.pending_of(session, user_id)
    if row is None:
        return None
    return PlannedReminder(row.local_date, row.due_at, Reason(row.reason), None)


def _paused_on(user: Reminded, day: date) -> bool:
    return user.paused_until is not None and day < user.paused_until


def _todays_plan(
    user: Reminded, finished: int, loads: dict[str, int | None]
) -> tuple[PlannedExercise, ...]:
    """Each exercise with the user's equipment and their last load rounded to its step."""
    unit = profile.unit_of(user)
    equipment: dict[str, Equipment] = {}
    suggested: dict[str, int | None] = {}
    for exercise in program.PROGRAMME.exercises:
        kit = equipment[exercise.slug] = profile.equipment_for(user, exercise)
        grams = loads.get(exercise.slug)
        suggested[exercise.slug] = (
            None if grams is None else round_to_step(grams, unit, profile.step_for(user, kit))
        )
    return plan_workout(finished, suggested, equipment)


async def claim_due(db: Database, now: datetime, limit: int = BATCH) -> Claim:
    """Claims due reminders (one batch, one transaction) and plans each user's next one.

    Reminders no longer wanted (trained that day, paused, opted out, blocked) or too late
    are dropped here instead of being handed out.
    """
    async with db.writing() as session:
        claimed = await rows.claim_due(session, now, limit)
        if not claimed:
            return Claim(0, ())
        user_ids = {c.user_id for c in claimed}
        since = min(_since(now), min(c.local_date for c in claimed) - LOOK_BACK)
        users = await rows.recipients(session, user_ids)
        workouts = await rows.recent_workouts(session, user_ids, since)
        settled = await rows.history(session, user_ids, since)
        counts = await rows.finished_counts(session, user_ids)
        loads = await rows.loads_of(session, user_ids)
        to_send: list[tuple[rows.Claimed, rows.Recipient, list[date]]] = []
        to_drop: list[int] = []
        following: dict[int, rows.NewReminder] = {}
        for claim in claimed:
            user = users.get(claim.user_id)
            if user is None:
                to_drop.append(claim.id)
                continue
            past = sorted(day for day, status in workouts[user.id] if status == "finished")
            trained = any(day == claim.local_date for day, _ in workouts[user.id])
            if (
                not wants_reminders(user)
                or _paused_on(user, claim.local_date)
                or trained
                or not still_worth_sending(claim.due_at, claim.local_date, user.time_zone, now)
            ):
                to_drop.append(claim.id)
            else:
                to_send.append((claim, user, past))
            if wants_reminders(user):
                plan = _plan(user, past, settled[user.id], now)
                following[user.id] = _new_row(user.id, plan)
        await rows.settle(session, to_drop, rows.DROPPED, now)
        await rows.drop_pending(session, user_ids)
        await rows.add(session, list(following.values()))
    # The messages' contents are built after the commit: SQLite's one writer is free sooner.
    due = (
        _due(claim, user, past, counts.get(user.id, 0), loads[user.id])
        for claim, user, past in to_send
    )
    return Claim(len(claimed), tuple(due))


def _due(
    claim: rows.Claimed,
    user: rows.Recipient,
    past: list[date],
    finished: int,
    loads: dict[str, int | None],
) -> DueReminder:
    reason = Reason(claim.reason)
    because_of = None
    if reason is not Reason.USUAL_DAY:
        because_of = next_training_day(preferred_days(user), past, claim.local_date).because_of
    return DueReminder(
        reminder_id=claim.id,
        chat_id=user.id,
        first_name=user.first_name,
        day=claim.local_date,
        reason=reason,
        because_of=because_of,
        plan=_todays_plan(user, finished, loads),
        unit=profile.unit_of(user),
        language=user.language or user.language_code,
    )


async def record(db: Database, outcomes: Outcomes, now: datetime) -> None:
    """Records what became of handed-out reminders; a blocked user gets no more."""
    blocked_users = {user_id for _, user_id in outcomes.blocked}
    async with db.writing() as session:
        await rows.settle(session, outcomes.sent, rows.SENT, now)
        dropped = [*outcomes.failed, *(reminder_id for reminder_id, _ in outcomes.blocked)]
        await rows.settle(session, dropped, rows.DROPPED, now)
        await rows.unclaim(session, outcomes.retry)
        await rows.mark_unreachable(session, blocked_users)
        await rows.drop_pending(session, blocked_users)


async def drop_stale_claims(db: Database, now: datetime) -> int:
    async with db.writing() as session:
        dropped = await rows.drop_stale_claims(session, now - STALE_CLAIM)
    if dropped:
        log.warning("dropped %d reminder(s) claimed but never settled (not resent)", dropped)
    return dropped
