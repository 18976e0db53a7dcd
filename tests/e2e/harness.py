"""Runs the real Application against the fake Bot API, and restarts it like a crash would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.polling import start_polling, stop_polling
from bot.storage.database import Database
from bot.storage.models import User
from bot.webhook import WebhookServer
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.webhook import WebhookPusher

WEBHOOK_SECRET = "test-webhook-secret"
# The `resting_bot` fixture's rest between sets (other bots have none).
REST_SECONDS = 90


def settings_for(fake: FakeBotAPI, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": fake.token,
        "telegram_api_url": fake.base_url,
        "database_url": database_url,
        "rest_seconds": 0,
        "sweep_seconds": 0.2,
        "webhook_url": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class RunningBot:
    """The bot polling the fake; `restart()` drops every in-memory thing, as a crash would."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.application: Application | None = None  # type: ignore[type-arg]

    async def start(self) -> None:
        application = build_application(self.settings)
        await start_polling(application, long_poll_seconds=1)
        self.application = application

    async def stop(self) -> None:
        application = self.application
        if application is None:
            return
        self.application = None
        await stop_polling(application)

    async def restart(self) -> None:
        await self.stop()
        await self.start()


@asynccontextmanager
async def webhook_instances(
    fake: FakeBotAPI, database_url: str, count: int = 2, **overrides: Any
) -> AsyncIterator[list[int]]:
    """`count` bot instances in webhook mode on one database, as behind a load balancer:
    the fake posts each update to one of them, round-robin. Yields their ports."""
    settings = settings_for(
        fake,
        database_url,
        webhook_url="https://coach.example",
        webhook_secret=WEBHOOK_SECRET,
        **overrides,
    )
    servers = [
        WebhookServer(
            build_application(settings),
            public_url="https://coach.example",
            secret=WEBHOOK_SECRET,
            listen="127.0.0.1",
            port=0,
        )
        for _ in range(count)
    ]
    ports = [await server.start() for server in servers]
    targets = [f"http://127.0.0.1:{port}/telegram" for port in ports]
    pusher = WebhookPusher(fake, targets, WEBHOOK_SECRET)
    await pusher.start()
    try:
        yield ports
    finally:
        await pusher.stop()
        for server in servers:
            await server.stop()


@asynccontextmanager
async def reading(database_url: str) -> AsyncIterator[AsyncSession]:
    """A read-only look at the bot's database from the test's side."""
    db = Database(database_url)
    try:
        async with db.reading() as session:
            yield session
    finally:
        await db.dispose()


async def stored_user(bot: RunningBot, user_id: int) -> User:
    async with reading(bot.settings.database_url) as session:
        found = await session.get(User, user_id)
        assert found is not None, f"user {user_id} is not stored"
        return found
