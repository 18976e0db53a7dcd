"""Meeting a user: the first contact records them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage import users
from bot.storage.database import Database


@dataclass(frozen=True)
class Greeting:
    first_name: str
    new: bool


async def meet(
    db: Database, user_id: int, first_name: str, language_code: str | None, now: datetime
) -> Greeting:
    async with db.writing() as session:
        user, created = await users.get_or_create(session, user_id, first_name, language_code, now)
        return Greeting(first_name=user.first_name, new=created)
