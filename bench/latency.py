"""Time from a user's message to the bot's first reply, with users training at a human pace.

    .venv/bin/python -m bench.latency [--users 100] [--pace 3] [--duration 40] [--echo]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

The coach runs in its own process (`coach-bot run`, as in bench/cpu_per_update.py) against
the fake Bot API in this process. Each user starts at a random moment within the first
`pace` seconds and then sends the workout's next message every `pace` seconds on average
(0.5-1.5x, at random), open loop: on schedule whether or not the bot has answered, as people
do. Sending stops after `duration` seconds; replies still due are awaited. Prints p50, p99 and
the worst of the latencies (target p99 < 50 ms) and how busy the bot's process was; --echo
measures the bare echo bot the same way first, as the floor on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from itertools import accumulate

from bench.bot_processes import (
    WORKOUT,
    BotProcess,
    replies_per_step,
    running_coach,
    running_echo,
)
from tests.fakes.bot_api import FakeBotAPI, FakeUser

FIRST_USER = 10_000_000


async def first_reply(user: FakeUser, index: int, sent: float, latencies: list[float]) -> None:
    """Waits for the bot's change (a message sent or edited) number `index` in this chat:
    the first reply to `sent`."""
    if not await user.api.wait_until(lambda: user.change_count > index, 60):
        raise AssertionError(f"user {user.id}: no reply to message sent at {sent}")
    latencies.append(time.perf_counter() - sent)


async def train(
    user: FakeUser, replies: list[int], pace: float, until: float, latencies: list[float]
) -> None:
    # The bot's changes in this chat before each step: the first reply to a step is the next.
    before = [0, *accumulate(replies)]
    waits = []
    next_send = time.perf_counter() + random.uniform(0, pace)
    for step, text in enumerate(WORKOUT):
        await asyncio.sleep(max(next_send - time.perf_counter(), 0))
        if time.perf_counter() >= until:
            break
        sent = time.perf_counter()
        await user.send(text)
        waits.append(asyncio.create_task(first_reply(user, before[step], sent, latencies)))
        next_send = sent + pace * random.uniform(0.5, 1.5)
    await asyncio.gather(*waits)


async def measure(
    fake: FakeBotAPI, bot: BotProcess, users: int, pace: float, duration: float
) -> str:
    replies = await replies_per_step(fake.user(FIRST_USER - 1, "Warm-up"))
    latencies: list[float] = []
    cpu_before, until = bot.cpu_seconds(), time.perf_counter() + duration
    people = [fake.user(FIRST_USER + n, f"User{n}") for n in range(users)]
    await asyncio.gather(*(train(p, replies, pace, until, latencies) for p in people))
    # A bot near 100% of a core queues updates: its latency then measures the queue.
    busy = (bot.cpu_seconds() - cpu_before) / duration
    fake.assert_no_violations()
    return report(bot.name, latencies, duration) + f", bot busy {busy:.0%} of a core"


def report(name: str, latencies: list[float], duration: float) -> str:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000
    return (
        f"{name:>6}: {len(ordered)} messages in {duration:.0f} s "
        f"({len(ordered) / duration:.1f}/s): p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, "
        f"worst {ordered[-1] * 1000:6.1f} ms"
    )


async def main(
    users: int, pace: float, duration: float, echo: bool, database_url: str | None
) -> None:
    if echo:
        async with running_echo() as (fake, bot):
            print(await measure(fake, bot, users, pace, duration))
    async with running_coach(database_url) as (fake, bot):
        print(await measure(fake, bot, users, pace, duration))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--pace", type=float, default=3.0, help="seconds between messages")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of sending")
    parser.add_argument("--echo", action="store_true", help="measure the echo bot too")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.pace, args.duration, args.echo, args.database_url))
