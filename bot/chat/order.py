"""Updates of different users run concurrently; one user's updates run in arrival order.

Each update is also marked as the one being handled, so its writes record it and a
redelivery of it changes nothing (see `bot.storage.database.handling_update`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot import metrics
from bot.storage.database import handling_update


def _user_of(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


class PerUserOrder(BaseUpdateProcessor):
    """A lock per user that has updates in flight; dropped as soon as none are left."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = _user_of(update)
        if user is None:
            with metrics.handled(update):
                await coroutine
            return
        assert isinstance(update, Update)
        lock, users = self._locks.get(user, (asyncio.Lock(), 0))
        self._locks[user] = (lock, users + 1)
        try:
            async with lock:
                with handling_update(update.update_id), metrics.handled(update):
                    await coroutine
        finally:
            lock, users = self._locks[user]
            if users == 1:
                del self._locks[user]
            else:
                self._locks[user] = (lock, users - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
