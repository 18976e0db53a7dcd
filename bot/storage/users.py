"""Users and their settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User


async def get(session: AsyncSession, user_id: int, *, lock: bool = False) -> User | None:
    query = select(User).where(User.id == user_id)
    if lock:
        # PostgreSQL: serialise one user's writes; SQLite's BEGIN IMMEDIATE already does.
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_or_create(
    session: AsyncSession,
    user_id: int,
    first_name: str,
    language_code: str | None,
    now: datetime,
) -> tuple[User, bool]:
    """The user's row, created on first contact; returns (user, created)."""
    user = await get(session, user_id, lock=True)
    if user is not None:
        if user.first_name != first_name[:64]:
            user.first_name = first_name[:64]
        if language_code and user.language_code != language_code[:16]:
            # The app's language now: what reminders speak until /language chooses one.
            user.language_code = language_code[:16]
        if not user.reachable:
            user.reachable = True
        return user, False
    user = User(
        id=user_id,
        first_name=first_name[:64],
        language_code=(language_code or None) and language_code[:16],
        created_at=now,
    )
    session.add(user)
    await session.flush()
    return user, True


async def erase(session: AsyncSession, user_id: int) -> None:
    """Removes the user; their workouts, sets, loads and reminders go with them (cascade)."""
    await session.execute(delete(User).where(User.id == user_id))
