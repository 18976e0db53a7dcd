"""Forgetting a user: everything stored about them goes, at once."""

from __future__ import annotations

from bot.storage import users, workouts
from bot.storage.database import Database


async def workouts_stored(db: Database, user_id: int) -> int | None:
    """How many finished workouts we hold for the user; None when we hold nothing at all."""
    async with db.reading() as session:
        if await users.get(session, user_id) is None:
            return None
        return await workouts.count_finished(session, user_id)


async def erase_user(db: Database, user_id: int) -> bool:
    """Deletes the user with their settings, workouts, sets, loads and reminders.

    Returns False when nothing was stored about them.
    """
    async with db.writing() as session:
        if await users.get(session, user_id, lock=True) is None:
            return False
        await users.erase(session, user_id)
        return True
