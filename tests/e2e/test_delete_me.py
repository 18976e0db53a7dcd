"""/delete_me: after a clear yes, everything about the user goes, and only theirs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import Base, ExerciseLoad, LoggedSet, Reminder, User, Workout
from tests.e2e.harness import RunningBot
from tests.factories import add_user, add_workout, set_next_load
from tests.fakes.bot_api import BotMessage, FakeBotAPI

TABLES: tuple[type[Base], ...] = (User, Workout, LoggedSet, ExerciseLoad, Reminder)


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def rows_of(db: Database, user_id: int) -> dict[str, int]:
    counts = {}
    async with db.reading() as session:
        for table in TABLES:
            column = table.id if table is User else table.user_id  # type: ignore[attr-defined]
            query = select(func.count()).select_from(table).where(column == user_id)
            counts[table.__tablename__] = int((await session.execute(query)).scalar_one())
    return counts


async def add_everything(db: Database, user_id: int) -> None:
    await add_user(db, user_id)
    await add_workout(db, user_id, date(2025, 6, 2), {"deadlift": [(10, 40_000)] * 3})
    await add_workout(db, user_id, date(2025, 6, 5), {"squat": [(12, 20_000)] * 3})
    await set_next_load(db, user_id, "deadlift", 42_500, "up", "top_of_range")
    async with db.writing() as session:
        session.add(
            Reminder(
                user_id=user_id,
                local_date=date(2099, 1, 1),
                due_at=datetime(2099, 1, 1, 18, tzinfo=UTC),
                reason="usual_day",
                status="pending",
            )
        )


async def test_delete_me_asks_first_then_erases_only_that_user(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_everything(db, 6001)
    await add_everything(db, 6002)
    everything = {"users": 1, "workouts": 2, "logged_sets": 6, "exercise_loads": 1, "reminders": 1}
    assert await rows_of(db, 6001) == everything

    gus = fake.user(6001, "Gus")
    await gus.send("/delete_me")
    question = await gus.reply()
    assert "Erase everything I store about you?" in text_of(question)
    assert "your 2 workouts and every set in them" in text_of(question)
    assert question.buttons() == [["Yes, erase everything"], ["No, keep my data"]]

    await gus.tap("No, keep my data", message=question)
    assert "nothing was erased" in text_of(await gus.reply())
    assert question.buttons() == [], "the question's buttons are gone once answered"
    assert await rows_of(db, 6001) == everything

    # A confirmation given long after the question was asked is refused.
    old = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())
    await gus.tap_data(f"d:yes:{old}", question.message_id)
    assert "expired, so nothing was erased" in text_of(await gus.reply())
    assert await rows_of(db, 6001) == everything

    await gus.send("/delete_me")
    question = await gus.reply()
    await gus.tap("Yes, erase everything", message=question)
    assert "everything I stored about you is erased" in text_of(await gus.reply())
    assert await rows_of(db, 6001) == dict.fromkeys(everything, 0)
    assert await rows_of(db, 6002) == everything, "nobody else's data is touched"

    # Asking again: nothing left to erase. Coming back: a fresh start, no past.
    await gus.send("/delete_me")
    assert "nothing to erase" in text_of(await gus.reply())
    await gus.send("/start")
    await gus.reply()
    await gus.send("/progress")
    assert "No finished workouts yet" in text_of(await gus.reply())
    after = await rows_of(db, 6001)
    assert after["workouts"] == after["logged_sets"] == after["exercise_loads"] == 0
