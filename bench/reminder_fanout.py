"""Reminder fan-out: N users due in the same minute, claimed and handed to the sender.

    .venv/bin/python -m bench.reminder_fanout --users 10000 [--runs 5]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Builds N onboarded users with a pending reminder each, all due at the same instant (not
timed), then times what one sweep does apart from talking to Telegram: claim every due
reminder in batches (each batch also plans the user's next reminder), hand the batch to a
sender that succeeds at once, and record the sends. Telegram's own rate limit (about 30
messages a second, so ~5.5 minutes for 10,000) is excluded on purpose. Reports the median
over the runs of the seconds taken, the CPU seconds this process used meanwhile (Python and,
on SQLite, the database engine itself: steadier than the wall clock on a busy machine), the
seconds with a transaction open (the database's time: on SQLite, the one writer's turn that
users' own updates wait for), and the SQL statements issued (counted with a
`before_cursor_execute` event), and checks every reminder was sent exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.services import reminders
from bot.services.reminders import Outcomes
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Reminder, User
from tests.conftest import fresh_database

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC")
DUE = datetime(2026, 10, 22, 16, 0, tzinfo=UTC)  # Thursday; the instant every reminder is due
NOW = datetime(2026, 10, 22, 16, 0, 20, tzinfo=UTC)


def _local(user_id: int) -> datetime:
    """The due instant on the user's wall clock: their reminder time and local date."""
    return DUE.astimezone(ZoneInfo(ZONES[user_id % len(ZONES)]))


async def populate(db: Database, users: int) -> None:
    created = datetime(2026, 10, 1, tzinfo=UTC)
    async with db.writing() as session:
        for start in range(0, users, 5000):
            ids = range(start + 1, min(start + 5000, users) + 1)
            await session.execute(
                insert(User),
                [
                    {
                        "id": i,
                        "first_name": f"User {i}",
                        "unit": "kg",
                        "time_zone": ZONES[i % len(ZONES)],
                        "time_zone_confirmed": True,
                        "day_one": 0,
                        "day_two": 3,
                        "reminder_time": _local(i).time(),
                        "squat_equipment": "barbell",
                        "lunge_equipment": "dumbbells",
                        "reminders_on": True,
                        "reachable": True,
                        "onboarded": True,
                        "created_at": created,
                    }
                    for i in ids
                ],
            )
            await session.execute(
                insert(Reminder),
                [
                    {
                        "user_id": i,
                        "local_date": _local(i).date(),
                        "due_at": DUE,
                        "reason": "usual_day",
                        "status": "pending",
                    }
                    for i in ids
                ],
            )


@dataclass
class Sweep:
    seconds: float  # wall clock, from the first claim to the last record
    cpu: float  # this process's CPU time meanwhile
    in_transactions: float  # wall clock with a transaction open: the database's own time
    statements: int

    def __str__(self) -> str:
        return (
            f"{self.seconds:.2f} s/{self.cpu:.2f} s CPU/{self.in_transactions:.2f} s in "
            f"transactions/{self.statements} q"
        )


async def sweep_once(db: Database) -> Sweep:
    """The sweep's own work for every due reminder."""
    statements, in_transactions, began = 0, 0.0, 0.0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    def begin(*_: Any) -> None:
        nonlocal began
        began = time.perf_counter()

    def end(*_: Any) -> None:
        nonlocal in_transactions
        in_transactions += time.perf_counter() - began

    # From BEGIN (IMMEDIATE on SQLite: once the write lock is ours) until COMMIT returned.
    events: list[tuple[Any, str, Callable[..., None]]] = [
        (db.engine.sync_engine, "before_cursor_execute", count),
        (db.engine.sync_engine, "begin", begin),
        (Session, "after_commit", end),
    ]
    for target, name, listener in events:
        event.listen(target, name, listener)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        await reminders.drop_stale_claims(db, NOW)
        while True:
            claim = await reminders.claim_due(db, NOW)
            if claim.claimed == 0:
                break
            # The sender: everything "delivered" at once (Telegram's pace is not ours).
            sent = [due.reminder_id for due in claim.to_send]
            await reminders.record(db, Outcomes(sent=sent), NOW)
            if claim.claimed < reminders.BATCH:
                break
        return Sweep(
            time.perf_counter() - started, time.process_time() - cpu, in_transactions, statements
        )
    finally:
        for target, name, listener in events:
            event.remove(target, name, listener)


async def one_run(url: str, users: int) -> Sweep:
    db = Database(url)
    try:
        await upgrade(db.engine)
        await populate(db, users)
        sweep = await sweep_once(db)
        async with db.reading() as session:
            sent = (
                await session.execute(
                    select(func.count()).where(Reminder.status == "sent", Reminder.due_at == DUE)
                )
            ).scalar_one()
            planned = (
                await session.execute(select(func.count()).where(Reminder.status == "pending"))
            ).scalar_one()
        assert sent == users, f"{sent} of {users} reminders sent"
        assert planned == users, f"{planned} next reminders planned for {users} users"
        return sweep
    finally:
        await db.dispose()


async def main(users: int, runs: int, database_url: str | None) -> None:
    results = []
    kind = "sqlite" if database_url is None else "postgresql"
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            async with fresh_database(kind, Path(folder), database_url) as url:
                results.append(await one_run(url, users))
    seconds = statistics.median(r.seconds for r in results)
    cpu = statistics.median(r.cpu for r in results)
    in_transactions = statistics.median(r.in_transactions for r in results)
    statements = statistics.median(r.statements for r in results)
    backend = "sqlite" if database_url is None else make_url(database_url).get_backend_name()
    print(
        f"{backend}: {users} reminders due in the same minute, batch {reminders.BATCH}: "
        f"medians over {runs} runs: {seconds:.2f} s ({users / seconds:,.0f}/s), {cpu:.2f} s CPU, "
        f"{in_transactions:.2f} s in transactions, {statements:.0f} SQL statements; runs: "
        + ", ".join(str(r) for r in results)
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.users, arguments.runs, arguments.database_url))
