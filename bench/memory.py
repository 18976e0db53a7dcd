"""Process memory (RSS) of the running bot as the number of stored users grows.

    .venv/bin/python -m bench.memory [--users 1000 10000 100000]

For each size, a fresh process: N users (with a reminder each) are written to an SQLite
file, the real bot starts against the fake Bot API, one full sweep runs over every user's
reminder (they are overdue, so each is dropped and the next one planned), and 20 users
train at once. The bot keeps no per-user state in memory, so RSS should stay flat.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.reminder_fanout import populate
from bench.workout_load import measure
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from tests.e2e.harness import RunningBot, settings_for
from tests.fakes.bot_api import FakeBotAPI


def rss_kib() -> tuple[int, int]:
    """(current RSS, peak RSS) in KiB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def child(users: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/memory.db"
        db = Database(url)
        await upgrade(db.engine)
        await populate(db, users)
        await db.dispose()
        async with FakeBotAPI() as fake:
            bot = RunningBot(settings_for(fake, url, sweep_seconds=0.5, rest_seconds=600))
            await bot.start()
            try:
                started_rss, _ = rss_kib()
                # Wait until the sweep has been through every overdue reminder.
                check = Database(url)
                while await pending_overdue(check):  # noqa: ASYNC110 -- polls the database
                    await asyncio.sleep(0.5)
                await check.dispose()
                await measure(fake, 20, 10_000_000, False)
                rss, peak = rss_kib()
            finally:
                await bot.stop()
    print(
        f"{users:>7} users: RSS after start {started_rss / 1024:6.1f} MiB, after sweep and "
        f"20 workouts {rss / 1024:6.1f} MiB, peak {peak / 1024:6.1f} MiB"
    )


async def pending_overdue(db: Database) -> bool:
    from sqlalchemy import func, select

    from bench.reminder_fanout import DUE
    from bot.storage.models import Reminder

    async with db.reading() as session:
        query = select(func.count()).where(Reminder.due_at == DUE, Reminder.status == "pending")
        return bool((await session.execute(query)).scalar_one())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        asyncio.run(child(args.child))
    else:
        for size in args.users:
            subprocess.run([sys.executable, "-m", "bench.memory", "--child", str(size)], check=True)
