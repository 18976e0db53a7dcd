"""Memory (RSS) of the running bot's process as the number of stored users grows.

    .venv/bin/python -m bench.memory [--users 1000 10000 100000]

For each size: N users (with a reminder each, all overdue) are written to a fresh SQLite
file by this process; then `coach-bot run` starts in its own process against the fake Bot
API (in this process), one sweep goes through every user's reminder (each is dropped as too
late and the next one planned), and 20 users train at once. The bot keeps no per-user state
in memory, so its RSS should stay flat: the target is RSS at 100k within 10% of 1k.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile

from sqlalchemy import func, select

from bench.bot_processes import bot_process, coach_command, play_workout, replies_per_step
from bench.reminder_fanout import DUE, populate
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Reminder
from tests.fakes.bot_api import FakeBotAPI

TRAINING = 20
FIRST_TRAINEE = 10_000_000


async def pending_overdue(db: Database) -> bool:
    async with db.reading() as session:
        query = select(func.count()).where(Reminder.due_at == DUE, Reminder.status == "pending")
        return bool((await session.execute(query)).scalar_one())


async def measure(users: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/memory.db"
        db = Database(url)
        try:
            await upgrade(db.engine)
            await populate(db, users)
            async with (
                FakeBotAPI() as fake,
                bot_process("coach", fake, coach_command(fake, url, SWEEP_SECONDS="0.5")) as bot,
            ):
                started, _ = bot.memory_mib()
                while await pending_overdue(db):  # noqa: ASYNC110 -- polls the database
                    await asyncio.sleep(0.5)
                replies = await replies_per_step(fake.user(FIRST_TRAINEE - 1, "Warm-up"))
                trainees = [fake.user(FIRST_TRAINEE + n, f"User{n}") for n in range(TRAINING)]
                await asyncio.gather(*(play_workout(person, replies) for person in trainees))
                fake.assert_no_violations()
                rss, peak = bot.memory_mib()
        finally:
            await db.dispose()
    return (
        f"{users:>7} users: RSS after start {started:6.1f} MiB, after the sweep and "
        f"{TRAINING} workouts {rss:6.1f} MiB, peak {peak:6.1f} MiB"
    )


async def main(sizes: list[int]) -> None:
    for size in sizes:
        print(await measure(size), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, nargs="+", default=[1000, 10_000, 100_000])
    asyncio.run(main(parser.parse_args().users))
