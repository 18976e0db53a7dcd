"""Reminder rows: planned (pending), claimed by one sweeper, then sent or dropped."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ExerciseLoad, Reminder, User, Workout

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


@dataclass(frozen=True)
class NewReminder:
    user_id: int
    local_date: date
    due_at: datetime
    reason: str


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def drop_pending(session: AsyncSession, user_ids: Collection[int]) -> None:
    if not user_ids:
        return
    await session.execute(
        delete(Reminder)
        .where(Reminder.user_id.in_(list(user_ids)), Reminder.status == PENDING)
        .execution_options(synchronize_session=False)
    )


async def add(session: AsyncSession, planned: Sequence[NewReminder]) -> None:
    """Inserts planned reminders; a day that already has a row keeps it (one per day)."""
    if not planned:
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
    keys = ["user_id", "local_date"]
    if _dialect(session) == "postgresql":
        await session.execute(
            postgresql.insert(Reminder).on_conflict_do_nothing(index_elements=keys), rows
        )
    else:
        await session.execute(
            sqlite.insert(Reminder).on_conflict_do_nothing(index_elements=keys), rows
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
    query = select(Reminder.user_id, Reminder.local_date, Reminder.reason).where(
        Reminder.user_id.in_(list(user_ids)),
        Reminder.status != PENDING,
        Reminder.local_date >= since,
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
    due = (
        select(Reminder.id)
        .where(Reminder.status == PENDING, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if _dialect(session) == "postgresql":
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(Reminder)
        .where(Reminder.id.in_(due.scalar_subquery()), Reminder.status == PENDING)
        .values(status=CLAIMED, claimed_at=now)
        .returning(
            Reminder.id, Reminder.user_id, Reminder.local_date, Reminder.due_at, Reminder.reason
        )
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(statement)).all()
    return sorted(
        (Claimed(id=r[0], user_id=r[1], local_date=r[2], due_at=r[3], reason=r[4]) for r in rows),
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
        update(Reminder)
        .where(Reminder.id.in_(list(reminder_ids)), Reminder.status == CLAIMED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def unclaim(session: AsyncSession, reminder_ids: Collection[int]) -> None:
    """Telegram certainly did not take these (rate limit): back to pending for the next sweep."""
    if not reminder_ids:
        return
    await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(list(reminder_ids)), Reminder.status == CLAIMED)
        .values(status=PENDING, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


async def drop_stale_claims(session: AsyncSession, claimed_before: datetime) -> int:
    """Claims never settled (a crash between claim and send): dropped, never sent twice."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.status == CLAIMED, Reminder.claimed_at < claimed_before)
        .values(status=DROPPED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def users_by_id(session: AsyncSession, user_ids: Collection[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    query = select(User).where(User.id.in_(list(user_ids)))
    return {user.id: user for user in (await session.execute(query)).scalars()}


async def recent_workouts(
    session: AsyncSession, user_ids: Collection[int], since: date
) -> dict[int, list[tuple[date, str]]]:
    """(local date, status) of each finished or active workout since `since`, per user."""
    result: dict[int, list[tuple[date, str]]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return result
    query = select(Workout.user_id, Workout.local_date, Workout.status).where(
        Workout.user_id.in_(list(user_ids)),
        Workout.status.in_(("finished", "active")),
        Workout.local_date >= since,
    )
    for user_id, day, status in await session.execute(query):
        result[user_id].append((day, status))
    return result


async def finished_counts(session: AsyncSession, user_ids: Collection[int]) -> dict[int, int]:
    if not user_ids:
        return {}
    query = (
        select(Workout.user_id, func.count())
        .where(Workout.user_id.in_(list(user_ids)), Workout.status == "finished")
        .group_by(Workout.user_id)
    )
    return {user_id: int(count) for user_id, count in await session.execute(query)}


async def loads_of(
    session: AsyncSession, user_ids: Collection[int]
) -> dict[int, dict[str, int | None]]:
    result: dict[int, dict[str, int | None]] = {user_id: {} for user_id in user_ids}
    if not user_ids:
        return result
    query = select(ExerciseLoad.user_id, ExerciseLoad.exercise, ExerciseLoad.load_grams).where(
        ExerciseLoad.user_id.in_(list(user_ids))
    )
    for user_id, exercise, grams in await session.execute(query):
        result[user_id][exercise] = grams
    return result


async def mark_unreachable(session: AsyncSession, user_ids: Collection[int]) -> None:
    if not user_ids:
        return
    await session.execute(
        update(User)
        .where(User.id.in_(list(user_ids)))
        .values(reachable=False)
        .execution_options(synchronize_session=False)
    )
