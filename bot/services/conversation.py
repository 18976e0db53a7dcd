"""The one read every update starts with: the user and their active workout, locked.

An update is handled in one unit of work: `conversation(db, user_id)` opens it (recording the
update, so a redelivery changes nothing), reads the user's state once, and hands it to the one
service function the chat layer picked for that state. Committed when the block ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import reminders
from bot.storage import users, workouts
from bot.storage.database import Database
from bot.storage.models import User, Workout


@dataclass
class Conversation:
    session: AsyncSession
    user_id: int
    user: User | None  # None: someone we have never stored
    workout: Workout | None  # the active workout, its row locked
    # The sets of the workout's current exercise, read with the lock (None: not read).
    sets: workouts.ExerciseSets | None = field(default=None)

    @property
    def awaiting(self) -> str | None:
        """The settings question a typed answer belongs to, if any."""
        return self.user.awaiting if self.user is not None else None


async def read(session: AsyncSession, user_id: int, now: datetime) -> Conversation:
    found = await workouts.lock_active(session, user_id)
    if found is not None:
        workout, user, sets = found
        talk = Conversation(session, user_id, user, workout, sets)
    else:
        # No workout: lock the user, then look again, now that no one else can start one.
        stored = await users.get(session, user_id, lock=True)
        started = await workouts.active(session, user_id, lock=True) if stored else None
        talk = Conversation(session, user_id, stored, started)
    if talk.user is not None and not talk.user.reachable:
        # Telegram said they had blocked us, and here they are: plan their reminders again.
        talk.user.reachable = True
        await reminders.replan(session, talk.user, now)
    return talk


@asynccontextmanager
async def conversation(db: Database, user_id: int, now: datetime) -> AsyncIterator[Conversation]:
    async with db.writing() as session:
        yield await read(session, user_id, now)
