"""Two bot instances on one database, fed the same users' updates, with duplicates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import LoggedSet, Workout
from tests.e2e.harness import webhook_instances
from tests.e2e.test_reminders import day, onboard
from tests.fakes.bot_api import FakeBotAPI, FakeUser

SECRET = "two-instances"
USERS = 8
# One exercise's three sets (one of them undone and logged again), the effort answer, then
# the leg curl's first set. Every message is delivered twice: a duplicated /undo must not
# remove two sets, nor a duplicated "ok" answer the next question.
REPLIES = ["10 x 40", "11", "/undo", "11", "12 x 42.5", "ok", "9 x 30"]
# What each shows: the live message edited; /undo also says what it removed; the effort
# answer folds the exercise's message and sends the next card and live message.
CHANGES = {"/undo": 2, "ok": 3}
EXPECTED = [
    ("deadlift", 1, 10, 40_000),
    ("deadlift", 2, 11, 40_000),
    ("deadlift", 3, 12, 42_500),
    ("leg_curl", 1, 9, 30_000),
]


@pytest.fixture
async def two_instances(fake: FakeBotAPI, database_url: str) -> AsyncIterator[None]:
    async with webhook_instances(fake, database_url):
        yield


async def train(fake: FakeBotAPI, user: FakeUser) -> None:
    """A user at the rack: waits for each answer; every set message is delivered twice."""
    await user.send("/start_workout")
    await user.changes(2)
    for reply in REPLIES:
        await user.send(reply)
        fake.redeliver(fake.last_update_id)  # round-robin: the copy goes to the other instance
        answers = await user.changes(CHANGES.get(reply, 1))
        assert not any("went wrong" in (a.text or "") for a in answers), answers
    # Nothing more: no duplicate answered a second time.
    assert not await fake.wait_until(lambda: bool(user.unread_changes()), 0.5)


async def test_two_instances_log_every_set_exactly_once_in_order(
    two_instances: None, fake: FakeBotAPI, database_url: str
) -> None:
    people = [fake.user(7000 + n, f"User{n}") for n in range(USERS)]
    await asyncio.gather(*(train(fake, person) for person in people))
    db = Database(database_url)
    try:
        async with db.reading() as session:
            for person in people:
                rows = await session.execute(
                    select(
                        LoggedSet.exercise,
                        LoggedSet.set_number,
                        LoggedSet.reps,
                        LoggedSet.load_grams,
                    )
                    .where(LoggedSet.user_id == person.id)
                    .order_by(LoggedSet.id)
                )
                assert [tuple(row) for row in rows.all()] == EXPECTED
                active = await session.execute(
                    select(Workout.id).where(
                        Workout.user_id == person.id, Workout.status == "active"
                    )
                )
                assert len(active.all()) == 1
    finally:
        await db.dispose()
    # Nobody got a second confirmation for a duplicated message.
    for person in people:
        assert sum("Removed" in (m.text or "") for m in person.messages) == 1
        assert person.unread_changes() == []


async def test_two_instances_send_each_reminder_exactly_once(
    fake: FakeBotAPI, database_url: str
) -> None:
    """Both instances sweep every 0.2 s over the same due reminders; each goes out once."""
    people = [fake.user(7100 + n, f"User{n}") for n in range(6)]
    with time_machine.travel(day(2, 12), tick=True) as traveller:  # Wednesday noon
        async with webhook_instances(fake, database_url):
            for person in people:
                await onboard(person, "Berlin", days="Mon Thu", at="07:30")
            traveller.move_to(day(3, 6, 31))  # Thursday 07:31 in Berlin
            await fake.wait_until(
                lambda: all(
                    any("Start workout" in str(m.buttons()) for m in p.messages) for p in people
                ),
                5,
            )
            traveller.shift(timedelta(seconds=2))
            await fake.wait_until(lambda: False, 1.0)  # ten more sweeps of each instance
    for person in people:
        reminders = [m for m in person.messages if "Start workout" in str(m.buttons())]
        assert len(reminders) == 1, [m.text for m in reminders]


PAIRS = 50


def both_logged(text: str) -> bool:
    """Both sets of a pair in the live message, as set 1 and set 2, in either order."""
    lines = set(text.splitlines())
    return any(
        {f"✅ Set 1 · {a} × 40 kg", f"✅ Set 2 · {b} × 40 kg"} <= lines
        for a, b in ((10, 11), (11, 10))
    )


async def test_one_users_sets_at_the_same_instant_on_two_instances_are_each_logged_once(
    two_instances: None, fake: FakeBotAPI, database_url: str
) -> None:
    """Two set messages from one user reach two instances at once, again and again.

    The pusher posts the updates it takes together round-robin, so with two instances the
    two messages of a pair go to different instances, concurrently. Each must be logged once,
    as set 1 and set 2, and each must get its confirmation: none may vanish.
    """
    ann = fake.user(7200, "Ann")
    await ann.send("/start_workout")
    await ann.changes(2)
    db = Database(database_url)
    try:
        for pair in range(PAIRS):
            seen = len(ann.messages)
            first, second = await ann.send("10 x 40"), await ann.send("11 x 40")
            # Each set is confirmed by an edit of the live message; the one that came second
            # shows both (in whichever order the two were logged).
            confirmed = await fake.wait_until(
                lambda: any(both_logged(m.text or "") for m in ann.unread_changes()), 5
            )
            texts = [m.text or "" for m in ann.messages[seen:]]
            texts += [m.text or "" for m in ann.unread_changes()]
            assert confirmed, f"pair {pair}: {texts}"
            assert not any("went wrong" in text or "couldn't" in text for text in texts), texts
            async with db.reading() as session:
                rows = await session.execute(
                    select(LoggedSet.set_number, LoggedSet.reps, LoggedSet.message_id)
                    .where(LoggedSet.user_id == ann.id)
                    .order_by(LoggedSet.set_number)
                )
                logged = [tuple(row) for row in rows.all()]
            assert [number for number, _, _ in logged] == [1, 2], f"pair {pair}: {logged}"
            assert {(reps, message) for _, reps, message in logged} == {
                (10, first),
                (11, second),
            }, f"pair {pair}: {logged}"
            # Back to set 1 for the next pair, one undo at a time.
            for _ in range(2):
                seen = len(ann.messages)
                await ann.send("/undo")
                assert await fake.wait_until(
                    lambda seen=seen: any("Removed" in (m.text or "") for m in ann.messages[seen:]),
                    5,
                )
            ann.drain()
            await ann.changes(len(ann.unread_changes()))
    finally:
        await db.dispose()
