"""The coach and the bare echo bot, each in its own process, polling a fake Bot API that runs
in the bench's process; and the simulated users who train with them.

The bots' processes do nothing but be the bot, so their CPU time (user + system, from
/proc/<pid>/stat) is what handling the updates cost, apart from the fake and the users.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.app import CONCURRENT_UPDATES
from tests.conftest import fresh_database
from tests.fakes.bot_api import FakeBotAPI, FakeUser

# Per user: /start_workout, then per exercise three sets and the effort answer.
WORKOUT = ["/start_workout"] + ["10 x 40", "10", "10", "ok"] * 4

# Messages that arrive after a step has gone quiet for this long belong to no step.
QUIET = 0.5
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class BotProcess:
    name: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        # Fields after the command name (which may hold spaces) in parentheses; utime and
        # stime are the 14th and 15th fields of the line.
        fields = stat.rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND

    def memory_mib(self) -> tuple[float, float]:
        """(resident set size now, its peak so far), in MiB."""
        lines = Path(f"/proc/{self.pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in lines)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def coach_command(
    fake: FakeBotAPI, database_url: str, **settings: str
) -> tuple[list[str], dict[str, str]]:
    """`coach-bot run` polling the fake, without Telegram's send limit and with rests over at
    once (REST_SECONDS=0), so it measures the bot, not the limit or the clock; `settings`
    adds or overrides environment variables."""
    env = {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "SEND_RATE": "0",
        "REST_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    return [sys.executable, "-m", "bot", "run"], env


def echo_command(fake: FakeBotAPI) -> tuple[list[str], dict[str, str]]:
    env = {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url}
    return [sys.executable, "-m", "bench.echo_bot", str(CONCURRENT_UPDATES)], env


@asynccontextmanager
async def bot_process(
    name: str, fake: FakeBotAPI, command: tuple[list[str], dict[str, str]]
) -> AsyncIterator[BotProcess]:
    """Starts the bot and yields once it polls the fake; stops it with SIGINT, as Ctrl-C."""
    argv, env = command
    # Its own directory, so neither bot reads the repository's .env.
    process = await asyncio.create_subprocess_exec(
        *argv,
        env={**os.environ, "PYTHONPATH": str(Path.cwd()), **env},
        cwd="/",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        ready = await fake.wait_until(lambda: fake.polling or process.returncode is not None, 60)
        if not ready or process.returncode is not None:
            raise RuntimeError(f"{name} did not start polling the fake Bot API")
        yield BotProcess(name, process.pid)
    except BaseException:
        if process.returncode is None:
            process.kill()
        assert process.stderr is not None
        sys.stderr.write((await process.stderr.read()).decode())
        await process.wait()
        raise
    process.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(process.wait(), 30)
    except TimeoutError:
        process.kill()
        await process.wait()


@asynccontextmanager
async def running_coach(database_url: str | None) -> AsyncIterator[tuple[FakeBotAPI, BotProcess]]:
    """The coach polling a fake of its own, on a fresh database: an SQLite file, or one created
    on the PostgreSQL server at `database_url` (fresh, as for a fresh bot: the fake's update
    ids start over)."""
    kind = "sqlite" if database_url is None else "postgresql"
    with tempfile.TemporaryDirectory() as folder:
        async with (
            fresh_database(kind, Path(folder), database_url) as url,
            FakeBotAPI() as fake,
            bot_process("coach", fake, coach_command(fake, url)) as bot,
        ):
            yield fake, bot


@asynccontextmanager
async def running_echo() -> AsyncIterator[tuple[FakeBotAPI, BotProcess]]:
    async with FakeBotAPI() as fake, bot_process("echo", fake, echo_command(fake)) as bot:
        yield fake, bot


async def replies_per_step(user: FakeUser) -> list[int]:
    """How many messages the bot sends or edits for each step of WORKOUT (a set is edited
    into the exercise's live message), found by playing it once and waiting for quiet after
    each step (it also warms the bot up)."""
    counts = []
    for text in WORKOUT:
        before = user.change_count
        await user.send(text)
        await user.changed(timeout=30)
        seen = user.change_count
        while await user.api.wait_until(lambda: user.change_count > seen, QUIET):  # noqa: B023
            seen = user.change_count
        await user.changes(len(user.unread_changes()))
        counts.append(seen - before)
    return counts


async def play_workout(user: FakeUser, replies: list[int]) -> None:
    """Closed loop: each message waits for every reply (or edit) to the one before."""
    for text, count in zip(WORKOUT, replies, strict=True):
        await user.send(text)
        await user.changes(count, timeout=60)
