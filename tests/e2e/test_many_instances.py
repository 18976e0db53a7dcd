"""Two bot instances on one database, fed the same users' updates, with duplicates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import build_application
from bot.storage.database import Database
from bot.storage.models import LoggedSet, Workout
from bot.webhook import WebhookServer
from tests.e2e.harness import settings_for
from tests.fakes.bot_api import FakeBotAPI, FakeUser
from tests.fakes.webhook import WebhookPusher

SECRET = "two-instances"
USERS = 8
# One exercise's three sets (one of them undone and logged again), the effort answer, then
# the leg curl's first set. Every message is delivered twice: a duplicated /undo must not
# remove two sets, nor a duplicated "ok" answer the next question.
REPLIES = ["10 x 40", "11", "/undo", "11", "12 x 42.5", "ok", "9 x 30"]
EXPECTED = [
    ("deadlift", 1, 10, 40_000),
    ("deadlift", 2, 11, 40_000),
    ("deadlift", 3, 12, 42_500),
    ("leg_curl", 1, 9, 30_000),
]


@pytest.fixture
async def two_instances(fake: FakeBotAPI, database_url: str) -> AsyncIterator[list[str]]:
    servers = []
    for _ in range(2):
        settings = settings_for(
            fake, database_url, webhook_url="https://coach.example", webhook_secret=SECRET
        )
        servers.append(
            WebhookServer(
                build_application(settings),
                public_url="https://coach.example",
                secret=SECRET,
                listen="127.0.0.1",
                port=0,
            )
        )
    ports = [await server.start() for server in servers]
    pusher = WebhookPusher(fake, [f"http://127.0.0.1:{port}/telegram" for port in ports], SECRET)
    await pusher.start()
    try:
        yield [f"127.0.0.1:{port}" for port in ports]
    finally:
        await pusher.stop()
        for server in servers:
            await server.stop()


async def train(fake: FakeBotAPI, user: FakeUser) -> None:
    """A user at the rack: waits for each answer; every set message is delivered twice."""
    await user.send("/start_workout")
    await user.replies(2)
    for reply in REPLIES:
        await user.send(reply)
        fake.redeliver(fake.last_update_id)  # round-robin: the copy goes to the other instance
        answers = await user.replies(2)
        assert not any("went wrong" in (a.text or "") for a in answers), answers


async def test_two_instances_log_every_set_exactly_once_in_order(
    two_instances: list[str], fake: FakeBotAPI, database_url: str
) -> None:
    people = [fake.user(7000 + n, f"User{n}") for n in range(USERS)]
    await asyncio.gather(*(train(fake, person) for person in people))
    db = Database(database_url)
    try:
        async with db.reading() as session:
            for person in people:
                rows = await session.execute(
                    select(
                        LoggedSet.exercise,
                        LoggedSet.set_number,
                        LoggedSet.reps,
                        LoggedSet.load_grams,
                    )
                    .where(LoggedSet.user_id == person.id)
                    .order_by(LoggedSet.id)
                )
                assert [tuple(row) for row in rows.all()] == EXPECTED
                active = await session.execute(
                    select(Workout.id).where(
                        Workout.user_id == person.id, Workout.status == "active"
                    )
                )
                assert len(active.all()) == 1
    finally:
        await db.dispose()
    # Nobody got a second confirmation for a duplicated message.
    for person in people:
        confirmations = [m for m in person.messages if (m.text or "").startswith("✅")]
        assert len(confirmations) == len(EXPECTED) + 1  # one set was undone and relogged
        assert sum("Removed" in (m.text or "") for m in person.messages) == 1
