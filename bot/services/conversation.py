"""The one read every update starts with: the user and their active workout, locked.

An update is handled in one unit of work: `conversation(db, user_id)` opens it (recording the
update, so a redelivery changes nothing), reads the user's state once, and hands it to the one
service function the chat layer picked for that state. Committed when the block ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import users, workouts
from bot.storage.database import Database
from bot.storage.models import User, Workout


@dataclass
class Conversation:
    session: AsyncSession
    user_id: int
    user: User | None  # None: someone we have never stored
    workout: Workout | None  # the active workout, its row locked

    @property
    def awaiting(self) -> str | None:
        """The settings question a typed answer belongs to, if any."""
        return self.user.awaiting if self.user is not None else None


async def read(session: AsyncSession, user_id: int) -> Conversation:
    found = await workouts.lock_active(session, user_id)
    if found is not None:
        workout, user = found
        return Conversation(session, user_id, user, workout)
    # No workout yet: lock the user, then look again, now that no one else can start one.
    stored = await users.get(session, user_id, lock=True)
    started = await workouts.active(session, user_id, lock=True) if stored is not None else None
    return Conversation(session, user_id, stored, started)


@asynccontextmanager
async def conversation(db: Database, user_id: int) -> AsyncIterator[Conversation]:
    async with db.writing() as session:
        yield await read(session, user_id)
