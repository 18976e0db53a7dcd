"""Webhook mode: the secret header is required, updates are handled, /health answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.app import build_application
from bot.webhook import SECRET_HEADER, WebhookServer
from tests.e2e.harness import settings_for
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.webhook import WebhookPusher

SECRET = "s3cret-Token_1"


@pytest.fixture
async def webhook_bot(fake: FakeBotAPI, database_url: str) -> AsyncIterator[str]:
    settings = settings_for(
        fake, database_url, webhook_url="https://coach.example/", webhook_secret=SECRET
    )
    server = WebhookServer(
        build_application(settings),
        public_url="https://coach.example/",
        secret=SECRET,
        listen="127.0.0.1",
        port=0,
    )
    port = await server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.stop()


async def test_webhook_requires_the_secret_and_serves_users(
    webhook_bot: str, fake: FakeBotAPI
) -> None:
    registered = fake.calls("setWebhook")[-1]
    assert registered["url"] == "https://coach.example/telegram"
    assert registered["secret_token"] == SECRET
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 6001, "type": "private"},
            "from": {"id": 6001, "is_bot": False, "first_name": "Mallory"},
            "text": "/start_workout",
            "entities": [{"type": "bot_command", "offset": 0, "length": 14}],
        },
    }
    fake.user(6001, "Mallory")
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong"}):
            async with http.post(f"{webhook_bot}/telegram", json=update, headers=headers) as r:
                assert r.status == 403
        async with http.post(
            f"{webhook_bot}/telegram", data=b"not json", headers={SECRET_HEADER: SECRET}
        ) as r:
            assert r.status == 400
        async with http.get(f"{webhook_bot}/health") as r:
            assert r.status == 200
            assert (await r.json()) == {"ok": True}
    assert fake.sent_to(6001) == []  # nothing refused reached the bot

    pusher = WebhookPusher(fake, [f"{webhook_bot}/telegram"], SECRET)
    await pusher.start()
    try:
        ann = fake.user(6002, "Ann")
        await ann.send("/start_workout")
        card, _prompt = await ann.changes(2)
        assert "1/4 · Straight-leg deadlift" in (card.text or "")
        await ann.send("10 x 40")
        done = await ann.changed()
        assert "✅ Set 1 · 10 × 40 kg" in (done.text or "")
    finally:
        await pusher.stop()
    assert set(pusher.statuses) == {200}
