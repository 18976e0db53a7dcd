"""Runs the real Application against the fake Bot API, and restarts it like a crash would."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from tests.fakes.bot_api import FakeBotAPI


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
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        self.application = application

    async def stop(self) -> None:
        application = self.application
        if application is None:
            return
        self.application = None
        assert application.updater is not None
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)

    async def restart(self) -> None:
        await self.stop()
        await self.start()
