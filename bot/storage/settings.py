"""Reads for onboarding and settings."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User, Workout


async def pending_question(session: AsyncSession, user_id: int) -> str | None:
    """The settings question a typed answer belongs to; None mid-workout (text is a set)."""
    active = exists().where(Workout.user_id == user_id, Workout.status == "active")
    query = select(User.awaiting).where(User.id == user_id, User.awaiting.is_not(None), ~active)
    return (await session.execute(query)).scalar_one_or_none()
