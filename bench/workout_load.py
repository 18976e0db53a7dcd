"""Many simulated users through full workouts at once, against the fake Bot API.

Reports updates per second and the time from a user's message to the bot's first reply
(p50/p99), for the coach bot and, on the same harness in the same run, for a bare
python-telegram-bot echo bot; the ratio is the number to watch on a noisy machine.

    .venv/bin/python -m bench.workout_load --users 30 [--instances 2]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

With --database-url (a PostgreSQL server), each round runs on a database created for it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.bot_processes import WORKOUT
from tests.conftest import fresh_database
from tests.e2e.harness import RunningBot, settings_for, webhook_instances
from tests.fakes.bot_api import FakeBotAPI, FakeUser

# The coach runs with Telegram's overall 30 messages/s limit off (SEND_RATE=0): with it on,
# both bots would measure the limit, not themselves.

# How many bot messages each of those sends or edits: the card and the live message; each
# set edited into it (the last one with the effort question); the answer folds it and sends
# the next card and live message, or, after the last exercise, the summary.
EXPECTED = [2] + [1, 1, 1, 3] * 3 + [1, 1, 1, 2]


async def play(user: FakeUser, latencies: list[float], echo: bool) -> None:
    for text, replies in zip(WORKOUT, EXPECTED, strict=True):
        started = time.perf_counter()
        await user.send(text)
        await user.changed(timeout=60)
        latencies.append(time.perf_counter() - started)
        if replies > 1 and not echo:
            await user.changes(replies - 1, timeout=60)


async def measure(
    fake: FakeBotAPI, users: int, first_id: int, echo: bool
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    people = [fake.user(first_id + n, f"User{n}") for n in range(users)]
    started = time.perf_counter()
    await asyncio.gather(*(play(person, latencies, echo) for person in people))
    elapsed = time.perf_counter() - started
    return users * len(WORKOUT) / elapsed, latencies


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def with_echo_bot(fake: FakeBotAPI, go: Callable[[], Awaitable[object]]) -> object:
    app: Application = (  # type: ignore[type-arg]
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .concurrent_updates(64)
        .connection_pool_size(64)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            return await go()
        finally:
            await app.updater.stop()
            await app.stop()


@asynccontextmanager
async def coach_bot(fake: FakeBotAPI, url: str, instances: int) -> AsyncIterator[None]:
    """One instance polling, or several behind webhooks with updates spread round-robin."""
    overrides: dict[str, Any] = {"rest_seconds": 600, "sweep_seconds": 20, "send_rate": 0}
    if instances > 1:
        async with webhook_instances(fake, url, instances, **overrides):
            yield
        return
    bot = RunningBot(settings_for(fake, url, **overrides))
    await bot.start()
    try:
        yield
    finally:
        await bot.stop()


def describe(name: str, rate: float, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    return f"{name:>10}: {rate:8.1f} updates/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms"


async def main(users: int, database_url: str | None, rounds: int, instances: int) -> None:
    coach_rates, echo_rates = [], []
    kind = "sqlite" if database_url is None else "postgresql"
    for _ in range(rounds):
        async with FakeBotAPI() as fake:
            rate, latencies = await with_echo_bot_result(fake, users)
            echo_rates.append(rate)
            print(describe("echo", rate, latencies))
        # A fresh database each round, as for a fresh bot: Telegram's update ids start over.
        with tempfile.TemporaryDirectory() as folder:
            async with (
                fresh_database(kind, Path(folder), database_url) as url,
                FakeBotAPI() as fake,
                coach_bot(fake, url, instances),
            ):
                rate, latencies = await measure(fake, users, 10_000_000, False)
                assert not fake.violations, fake.violations[:3]
                coach_rates.append(rate)
                print(describe("coach", rate, latencies))
    print(
        f"median of {rounds}: coach {statistics.median(coach_rates):.1f} updates/s, "
        f"echo {statistics.median(echo_rates):.1f} updates/s, ratio "
        f"{statistics.median(coach_rates) / statistics.median(echo_rates):.2f}"
    )


async def with_echo_bot_result(fake: FakeBotAPI, users: int) -> tuple[float, list[float]]:
    result = await with_echo_bot(fake, lambda: measure(fake, users, 1, True))
    assert isinstance(result, tuple)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--instances", type=int, default=1, help="2+: webhook instances")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.database_url, args.rounds, args.instances))
