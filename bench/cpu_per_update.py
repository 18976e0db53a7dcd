"""CPU per update and updates/s: the coach next to a bare python-telegram-bot echo bot.

    .venv/bin/python -m bench.cpu_per_update [--users 50] [--rounds 3]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Each bot runs in its own process (the coach as `coach-bot run` on a fresh SQLite file, or on
a database created for the round on the given PostgreSQL server, with SEND_RATE=0 and
REST_SECONDS=0); the fake Bot API and the simulated users run in this process. Many users go
through a full workout at once, closed loop: each sends its next message when the bot has
answered the last. One user plays the workout first, to warm the bot up and count its replies
per step; then the bot process's user + system CPU time is read before and after the others
train. CPU per update is that difference over the updates sent. Rounds alternate the bots;
the medians and the coach/echo ratios are printed last (targets: CPU ratio at most 2,
throughput ratio at least 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass

from bench.bot_processes import (
    WORKOUT,
    BotProcess,
    play_workout,
    replies_per_step,
    running_coach,
    running_echo,
)
from tests.fakes.bot_api import FakeBotAPI

FIRST_USER = 10_000_000


@dataclass
class Round:
    cpu_ms: float  # per update
    rate: float  # updates/s


async def train(fake: FakeBotAPI, bot: BotProcess, users: int) -> Round:
    replies = await replies_per_step(fake.user(FIRST_USER - 1, "Warm-up"))
    people = [fake.user(FIRST_USER + n, f"User{n}") for n in range(users)]
    cpu_before, started = bot.cpu_seconds(), time.perf_counter()
    await asyncio.gather(*(play_workout(person, replies) for person in people))
    elapsed, cpu = time.perf_counter() - started, bot.cpu_seconds() - cpu_before
    fake.assert_no_violations()
    updates = users * len(WORKOUT)
    return Round(cpu_ms=cpu / updates * 1000, rate=updates / elapsed)


async def echo_round(users: int) -> Round:
    async with running_echo() as (fake, bot):
        return await train(fake, bot, users)


async def coach_round(users: int, database_url: str | None) -> Round:
    async with running_coach(database_url) as (fake, bot):
        return await train(fake, bot, users)


def line(name: str, result: Round) -> str:
    return f"{name:>6}: {result.cpu_ms:6.2f} ms CPU per update, {result.rate:7.1f} updates/s"


async def main(users: int, rounds: int, database_url: str | None) -> None:
    coach: list[Round] = []
    echo: list[Round] = []
    for number in range(1, rounds + 1):
        echo.append(await echo_round(users))
        coach.append(await coach_round(users, database_url))
        print(f"round {number}: {line('echo', echo[-1])}")
        print(f"round {number}: {line('coach', coach[-1])}")
    coach_cpu = statistics.median(r.cpu_ms for r in coach)
    echo_cpu = statistics.median(r.cpu_ms for r in echo)
    coach_rate = statistics.median(r.rate for r in coach)
    echo_rate = statistics.median(r.rate for r in echo)
    print(
        f"median of {rounds} rounds, {users} users x {len(WORKOUT)} updates:\n"
        f"  coach {coach_cpu:.2f} ms CPU per update, {coach_rate:.1f} updates/s\n"
        f"  echo  {echo_cpu:.2f} ms CPU per update, {echo_rate:.1f} updates/s\n"
        f"  coach/echo: CPU per update {coach_cpu / echo_cpu:.2f}x (target <= 2), "
        f"throughput {coach_rate / echo_rate:.2f}x (target >= 0.5)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.rounds, args.database_url))
