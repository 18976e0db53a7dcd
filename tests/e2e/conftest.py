from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.harness import REST_SECONDS, RunningBot, settings_for
from tests.fakes.bot_api import FakeBotAPI


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()
    # Every end-to-end test fails on any request Telegram would have refused.
    api.assert_no_violations()


@pytest.fixture
async def bot(fake: FakeBotAPI, database_url: str) -> AsyncIterator[RunningBot]:
    running = RunningBot(settings_for(fake, database_url))
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def resting_bot(fake: FakeBotAPI, database_url: str) -> AsyncIterator[RunningBot]:
    """A bot with a real rest between sets (its sweep ends a rest whose timer the clock's jump
    skipped, as after a restart)."""
    running = RunningBot(settings_for(fake, database_url, rest_seconds=REST_SECONDS))
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
