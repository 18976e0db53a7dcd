"""Several instances started at the same moment on a fresh database all come up.

Without a lock, concurrent Alembic upgrades race on `CREATE TABLE alembic_version` on
PostgreSQL and all but one crash. The race is a matter of milliseconds, so the start is
repeated, each time on a new empty database.
"""

from __future__ import annotations

import asyncio
import signal
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, fresh_database
from tests.fakes.bot_api import FakeBotAPI
from tests.test_cli import COACH_BOT, clean_env

MIGRATES = 3
RUNS = 2
# Before the lock, one PostgreSQL round in four came up whole: three rounds catch the race
# 98% of the time. SQLite's `BEGIN IMMEDIATE` always serialised the upgrades; one round shows it.
ROUNDS = {"postgresql": 3, "sqlite": 1}


async def start(folder: Path, command: str, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        COACH_BOT,
        command,
        cwd=folder,
        env=clean_env(folder, **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str]:
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def until_polling_or_exit(fake: FakeBotAPI, process: asyncio.subprocess.Process) -> None:
    """Up means it reached its first getUpdates; a crash ends the wait early."""
    polling = asyncio.create_task(fake.wait_until(lambda: bool(fake.calls("getUpdates")), 60))
    exited = asyncio.create_task(process.wait())
    _, waiting = await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
    for task in waiting:
        task.cancel()


async def start_together(kind: str, folder: Path) -> None:
    async with fresh_database(kind, folder) as url, AsyncExitStack() as stack:
        # Each `run` polls its own fake Telegram, so they don't take each other's updates.
        fakes = [await stack.enter_async_context(FakeBotAPI()) for _ in range(RUNS)]
        migrates = [start(folder, "migrate", DATABASE_URL=url) for _ in range(MIGRATES)]
        runs = [
            start(
                folder,
                "run",
                DATABASE_URL=url,
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_URL=fake.base_url,
            )
            for fake in fakes
        ]
        processes = await asyncio.gather(*migrates, *runs)
        bots = processes[MIGRATES:]
        await asyncio.gather(
            *(until_polling_or_exit(f, p) for f, p in zip(fakes, bots, strict=True))
        )
        for bot in bots:
            if bot.returncode is None:
                bot.send_signal(signal.SIGINT)
        results = await asyncio.gather(*(finish(process) for process in processes))
        for code, output in results:
            assert code == 0 and "Traceback" not in output, output
        for fake in fakes:
            assert fake.calls("getUpdates"), "an instance never started polling"
            fake.assert_no_violations()


@pytest.mark.parametrize("kind", BACKENDS)
async def test_instances_started_at_once_on_a_fresh_database_all_come_up(
    kind: str, tmp_path: Path
) -> None:
    for round_ in range(ROUNDS[kind]):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        await start_together(kind, folder)
