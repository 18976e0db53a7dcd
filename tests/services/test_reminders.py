"""Claiming and recording reminders: never twice, never lost without a trace."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from bot.services import reminders
from bot.services.reminders import Outcomes
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Reminder, User

THURSDAY_NOON = datetime(2026, 10, 22, 12, tzinfo=UTC)


async def add_users(db: Database, count: int, now: datetime, *, start: int = 1) -> None:
    async with db.writing() as session:
        for user_id in range(start, start + count):
            session.add(
                User(
                    id=user_id,
                    first_name=f"U{user_id}",
                    time_zone="Europe/Berlin",
                    day_one=0,
                    day_two=3,
                    reminder_time=time(18, 0),
                    onboarded=True,
                    created_at=now,
                )
            )
        await session.flush()
        for user in (await session.execute(select(User))).scalars():
            await reminders.replan(session, user, now)


async def statuses(db: Database) -> dict[str, int]:
    async with db.reading() as session:
        query = select(Reminder.status, func.count()).group_by(Reminder.status)
        return {status: count for status, count in await session.execute(query)}


async def test_replan_keeps_one_pending_reminder_per_user(db: Database) -> None:
    await add_users(db, 3, THURSDAY_NOON)
    async with db.writing() as session:
        user = await session.get(User, 1)
        assert user is not None
        first = await reminders.replan(session, user, THURSDAY_NOON)
        user.reminder_time = time(19, 30)
        second = await reminders.replan(session, user, THURSDAY_NOON)
    assert first is not None and second is not None
    assert second.due_at - first.due_at == timedelta(minutes=90)
    assert await statuses(db) == {"pending": 3}


async def test_concurrent_sweepers_claim_each_reminder_once(database_url: str) -> None:
    first, second = Database(database_url), Database(database_url)
    try:
        await upgrade(first.engine)
        await add_users(first, 300, THURSDAY_NOON)
        due = datetime(2026, 10, 22, 16, 0, 30, tzinfo=UTC)  # 18:00:30 in Berlin

        async def sweep(db: Database) -> list[int]:
            ids: list[int] = []
            while True:
                claim = await reminders.claim_due(db, due, limit=40)
                ids += [r.reminder_id for r in claim.to_send]
                if claim.claimed == 0:
                    return ids

        a, b = await asyncio.gather(sweep(first), sweep(second))
        assert not set(a) & set(b)
        assert len(a) + len(b) == 300
        # Each claimed user already has the next reminder planned (Monday).
        assert await statuses(first) == {"claimed": 300, "pending": 300}
    finally:
        await first.dispose()
        await second.dispose()


async def test_outcomes_are_recorded_and_stale_claims_never_resent(db: Database) -> None:
    await add_users(db, 4, THURSDAY_NOON)
    due = datetime(2026, 10, 22, 16, 1, tzinfo=UTC)
    claim = await reminders.claim_due(db, due)
    ids = [r.reminder_id for r in claim.to_send]
    assert len(ids) == 4
    await reminders.record(db, Outcomes(sent=[ids[0]], blocked=[(ids[1], 2)], retry=[ids[2]]), due)
    async with db.reading() as session:
        blocked = await session.get(User, 2)
        assert blocked is not None and not blocked.reachable
        by_id = {r.id: r for r in (await session.execute(select(Reminder))).scalars()}
    assert by_id[ids[0]].status == "sent" and by_id[ids[0]].sent_at == due
    assert by_id[ids[1]].status == "dropped"
    assert by_id[ids[2]].status == "pending", "Telegram refused it outright: try again"
    assert by_id[ids[3]].status == "claimed", "the process 'died' before recording"
    assert not [r for r in by_id.values() if r.user_id == 2 and r.status == "pending"]
    # The retried one goes out on the next sweep; the lost claim is dropped once stale.
    again = await reminders.claim_due(db, due + timedelta(seconds=20))
    assert [r.reminder_id for r in again.to_send] == [ids[2]]
    assert await reminders.drop_stale_claims(db, due + timedelta(minutes=5)) == 0
    assert await reminders.drop_stale_claims(db, due + timedelta(minutes=11)) == 2
    async with db.reading() as session:
        assert (await session.get(Reminder, ids[3])).status == "dropped"  # type: ignore[union-attr]


async def test_too_late_reminders_are_dropped_and_the_next_one_planned(db: Database) -> None:
    await add_users(db, 1, THURSDAY_NOON)
    late = datetime(2026, 10, 22, 20, 30, tzinfo=UTC)  # 22:30 in Berlin: under two hours left
    claim = await reminders.claim_due(db, late)
    assert (claim.claimed, claim.to_send) == (1, ())
    async with db.reading() as session:
        found = list((await session.execute(select(Reminder).order_by(Reminder.due_at))).scalars())
    assert [(r.local_date.weekday(), r.status) for r in found] == [(3, "dropped"), (0, "pending")]
