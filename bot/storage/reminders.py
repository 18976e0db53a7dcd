"""Reminder rows: planned (pending), claimed by one sweeper, then sent or dropped.

The sweep handles thousands of rows at once, so these statements are SQLAlchemy Core on the
tables: no ORM identity map, unit of work or per-row instances on the way in or out.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    any_,
    bindparam,
    delete,
    func,
    literal,
    select,
    update,
)
from sqlalchemy import literal_column as column_named
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ExerciseLoad, Reminder, User, Workout

REMINDERS = cast(Table, Reminder.__table__)
USERS = cast(Table, User.__table__)
WORKOUTS = cast(Table, Workout.__table__)
LOADS = cast(Table, ExerciseLoad.__table__)

PENDING = "pending"
CLAIMED = "claimed"
SENT = "sent"
DROPPED = "dropped"

MAKE_UP = "make_up"


@dataclass(frozen=True)
class Claimed:
    id: int
    user_id: int
    local_date: date
    due_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Recipient:
    """The user's settings a reminder reads: the columns of `users` it needs, and no more."""

    id: int
    first_name: str
    unit: str
    time_zone: str
    day_one: int | None
    day_two: int | None
    reminder_time: time
    squat_equipment: str
    lunge_equipment: str
    barbell_step: Decimal | None
    dumbbell_step: Decimal | None
    machine_step: Decimal | None
    reminders_on: bool
    paused_until: date | None
    reachable: bool
    onboarded: bool
    language: str | None
    language_code: str | None


@dataclass(frozen=True)
class NewReminder:
    user_id: int
    local_date: date
    due_at: datetime
    reason: str


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _among(
    session: AsyncSession, column: ColumnElement[int], ids: Collection[int]
) -> ColumnElement[bool]:
    """`column IN ids`, with the ids in one parameter. A sweep's batch has thousands of them,
    and rendering each into the SQL as its own parameter cost more than running the query."""
    if _dialect(session) == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=postgresql.ARRAY(column.type)))
    listed: Select[int] = select(column_named("value", Integer)).select_from(
        func.json_each(json.dumps(list(ids)))
    )
    return column.in_(listed)


async def drop_pending(session: AsyncSession, user_ids: Collection[int]) -> None:
    if not user_ids:
        return
    await session.execute(
        delete(REMINDERS).where(
            _among(session, REMINDERS.c.user_id, user_ids), REMINDERS.c.status == PENDING
        )
    )


async def add(session: AsyncSession, planned: Sequence[NewReminder]) -> None:
    """Inserts planned reminders; a day that already has a row keeps it (one per day)."""
    if not planned:
        return
    keys = ["user_id", "local_date"]
    if _dialect(session) == "postgresql":
        # One statement, the rows as one array per column: asyncpg's executemany would send
        # a round of Bind/Execute per row.
        columns = {
            "user_id": [p.user_id for p in planned],
            "local_date": [p.local_date for p in planned],
            "due_at": [p.due_at for p in planned],
            "reason": [p.reason for p in planned],
        }
        arrays = [
            bindparam(None, values, type_=postgresql.ARRAY(REMINDERS.c[name].type))
            for name, values in columns.items()
        ]
        given = func.unnest(*arrays).table_valued(*columns).render_derived()
        await session.execute(
            postgresql.insert(REMINDERS)
            .from_select([*columns, "status"], select(given, literal(PENDING)))
            .on_conflict_do_nothing(index_elements=keys)
        )
        return
    rows = [
        {
            "user_id": p.user_id,
            "local_date": p.local_date,
            "due_at": p.due_at,
            "reason": p.reason,
            "status": PENDING,
        }
        for p in planned
    ]
    await session.execute(
        sqlite.insert(REMINDERS).on_conflict_do_nothing(index_elements=keys), rows
    )


async def pending_of(session: AsyncSession, user_id: int) -> Reminder | None:
    query = (
        select(Reminder)
        .where(Reminder.user_id == user_id, Reminder.status == PENDING)
        .order_by(Reminder.due_at)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def history(
    session: AsyncSession, user_ids: Collection[int], since: date
) -> dict[int, list[tuple[date, str]]]:
    """(local date, reason) of every reminder settled (claimed, sent, dropped) since `since`."""
    result: dict[int, list[tuple[date, str]]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return result
    r = REMINDERS.c
    query = select(r.user_id, r.local_date, r.reason).where(
        _among(session, r.user_id, user_ids), r.status != PENDING, r.local_date >= since
    )
    for user_id, day, reason in await session.execute(query):
        result[user_id].append((day, reason))
    return result


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[Claimed]:
    """Marks up to `limit` due pending reminders claimed, in one statement, and returns them.

    PostgreSQL: rows another sweeper holds are skipped (FOR UPDATE SKIP LOCKED). SQLite: the
    writer's BEGIN IMMEDIATE serialises sweepers. Either way `status = 'pending'` in the
    UPDATE makes a row claimable once.
    """
    r = REMINDERS.c
    due = (
        select(r.id)
        .where(r.status == PENDING, r.due_at <= now)
        .order_by(r.due_at, r.id)
        .limit(limit)
    )
    if _dialect(session) == "postgresql":
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(REMINDERS)
        .where(r.id.in_(due.scalar_subquery()), r.status == PENDING)
        .values(status=CLAIMED, claimed_at=now)
        .returning(r.id, r.user_id, r.local_date, r.due_at, r.reason)
    )
    rows = (await session.execute(statement)).all()
    return sorted(
        (Claimed(*row) for row in rows),
        key=lambda c: (c.due_at, c.id),
    )


async def settle(
    session: AsyncSession, reminder_ids: Collection[int], status: str, now: datetime
) -> None:
    """Claimed reminders become sent or dropped (sent_at is when that was recorded)."""
    if not reminder_ids:
        return
    values: dict[str, object] = {"status": status}
    if status == SENT:
        values["sent_at"] = now
    await session.execute(
        update(REMINDERS)
        .where(_among(session, REMINDERS.c.id, reminder_ids), REMINDERS.c.status == CLAIMED)
        .values(**values)
    )


async def unclaim(session: AsyncSession, reminder_ids: Collection[int]) -> None:
    """Telegram certainly did not take these (rate limit): back to pending for the next sweep."""
    if not reminder_ids:
        return
    await session.execute(
        update(REMINDERS)
        .where(_among(session, REMINDERS.c.id, reminder_ids), REMINDERS.c.status == CLAIMED)
        .values(status=PENDING, claimed_at=None)
    )


async def drop_stale_claims(session: AsyncSession, claimed_before: datetime) -> int:
    """Claims never settled (a crash between claim and send): dropped, never sent twice."""
    result = await session.execute(
        update(REMINDERS)
        .where(REMINDERS.c.status == CLAIMED, REMINDERS.c.claimed_at < claimed_before)
        .values(status=DROPPED)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


_RECIPIENT_COLUMNS = [USERS.c[name] for name in Recipient.__slots__]


async def recipients(session: AsyncSession, user_ids: Collection[int]) -> dict[int, Recipient]:
    if not user_ids:
        return {}
    query = select(*_RECIPIENT_COLUMNS).where(_among(session, USERS.c.id, user_ids))
    return {row[0]: Recipient(*row) for row in await session.execute(query)}


async def recent_workouts(
    session: AsyncSession, user_ids: Collection[int], since: date
) -> dict[int, list[tuple[date, str]]]:
    """(local date, status) of each finished or active workout since `since`, per user."""
    result: dict[int, list[tuple[date, str]]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return result
    w = WORKOUTS.c
    query = select(w.user_id, w.local_date, w.status).where(
        _among(session, w.user_id, user_ids),
        w.status.in_(("finished", "active")),
        w.local_date >= since,
    )
    for user_id, day, status in await session.execute(query):
        result[user_id].append((day, status))
    return result


async def finished_counts(session: AsyncSession, user_ids: Collection[int]) -> dict[int, int]:
    if not user_ids:
        return {}
    query = (
        select(WORKOUTS.c.user_id, func.count())
        .where(_among(session, WORKOUTS.c.user_id, user_ids), WORKOUTS.c.status == "finished")
        .group_by(WORKOUTS.c.user_id)
    )
    return {user_id: int(count) for user_id, count in await session.execute(query)}


async def loads_of(
    session: AsyncSession, user_ids: Collection[int]
) -> dict[int, dict[str, int | None]]:
    result: dict[int, dict[str, int | None]] = {user_id: {} for user_id in user_ids}
    if not user_ids:
        return result
    loads = LOADS.c
    query = select(loads.user_id, loads.exercise, loads.load_grams).where(
        _among(session, loads.user_id, user_ids)
    )
    for user_id, exercise, grams in await session.execute(query):
        result[user_id][exercise] = grams
    return result


async def mark_unreachable(session: AsyncSession, user_ids: Collection[int]) -> None:
    if not user_ids:
        return
    await session.execute(
        update(USERS).where(_among(session, USERS.c.id, user_ids)).values(reachable=False)
    )
