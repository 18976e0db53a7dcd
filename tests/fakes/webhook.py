"""Telegram's side of webhook mode: each update the fake holds is posted to a bot instance."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp

from tests.fakes.bot_api import FakeBotAPI

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookPusher:
    """Posts updates round-robin over `targets`, each in its own request, concurrently.

    Like Telegram, an update that does not get a 200 is posted again (a few times).
    """

    def __init__(self, fake: FakeBotAPI, targets: list[str], secret: str) -> None:
        self.fake = fake
        self.secret = secret
        self._targets = itertools.cycle(targets)
        self._task: asyncio.Task[None] | None = None
        self._posts: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._stopping = False
        self.statuses: list[int] = []
        self.delivered: list[tuple[str, int]] = []  # (target, update_id)

    async def start(self) -> None:
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        # A flag rather than cancel(): Python 3.11's wait_for can swallow a cancellation.
        self._stopping = True
        self.fake.notify()
        if self._task is not None:
            await self._task
        await asyncio.gather(*self._posts, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        while not self._stopping:
            await self.fake.wait_until(
                lambda: self.fake.has_updates or self._stopping,
                3600,
            )
            for update in self.fake.take_updates():
                post = asyncio.create_task(self._post(update, next(self._targets)))
                self._posts.add(post)
                post.add_done_callback(self._posts.discard)

    async def _post(self, update: dict[str, Any], target: str) -> None:
        assert self._session is not None
        for _attempt in range(5):
            try:
                async with self._session.post(
                    target, json=update, headers={SECRET_HEADER: self.secret}
                ) as response:
                    self.statuses.append(response.status)
                    if response.status == 200:
                        self.delivered.append((target, int(update["update_id"])))
                        return
            except aiohttp.ClientError:
                self.statuses.append(0)
            await asyncio.sleep(0.05)  # Telegram backs off before posting again
