"""Random sequences of user actions against the real bot; invariants checked after each step.

Hypothesis drives one long-lived bot (per database backend): every example is a new user, so
examples don't interfere, and each step waits until the bot has answered it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.domain.program import PROGRAMME
from bot.domain.replies import MAX_REPS
from bot.domain.units import MAX_LOAD_GRAMS
from bot.storage.database import Database
from bot.storage.models import LoggedSet, Reminder, Workout
from tests.conftest import BACKENDS, fresh_database
from tests.e2e.harness import RunningBot, settings_for
from tests.fakes.bot_api import FakeBotAPI, FakeUser

LOADS = ["20", "40", "42.5kg", "95 lb"]
# Mostly real answers (so workouts move on), with odd and hostile input mixed in.
SET_REPLIES = st.one_of(
    st.integers(min_value=5, max_value=15).map(str),
    st.builds("{} x {}".format, st.integers(min_value=1, max_value=20), st.sampled_from(LOADS)),
)
ODD_TEXTS = st.one_of(
    st.sampled_from(["10 @ 95 lb", "10/9", "hard", "easy", "ok", "42,5", "0", "-3"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=300),
    st.sampled_from(["<b>", "&amp;", "💪" * 50, "x" * 5000, "10 x 9999 kg", "/frobnicate"]),
)
TEXTS = st.one_of(SET_REPLIES, SET_REPLIES, SET_REPLIES, ODD_TEXTS)
COMMANDS = st.sampled_from(
    ["/start_workout", "/undo", "/skip", "/end", "/cancel", "/cues", "/help", "/next"]
)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("text"), TEXTS),
        st.tuples(st.just("text"), SET_REPLIES),
        st.tuples(st.just("text"), SET_REPLIES),
        st.tuples(st.just("command"), COMMANDS),
        st.tuples(st.just("tap"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("tap"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("tap_old"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("forge"), st.text(min_size=1, max_size=64)),
        st.tuples(st.just("edit"), TEXTS),
        st.tuples(st.just("sticker"), st.none()),
        st.tuples(st.just("photo"), st.none()),
        st.tuples(st.just("other_users_button"), st.integers(min_value=0, max_value=30)),
    ),
    min_size=1,
    max_size=30,
).map(lambda actions: [("command", "/start_workout"), *actions])


FIRST_USER = 100_000


@dataclass
class World:
    loop: asyncio.AbstractEventLoop
    fake: FakeBotAPI
    bot: RunningBot
    db: Database
    next_user: int = FIRST_USER
    sets_logged: int = 0
    steps: int = 0
    sent_ids: list[int] = field(default_factory=list)


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """One bot for all of a test's examples, on an event loop of its own (hypothesis runs
    each example synchronously, so the loop is driven with run_until_complete)."""
    loop = asyncio.new_event_loop()
    database = fresh_database(request.param, tmp_path)
    url = loop.run_until_complete(database.__aenter__())
    fake = FakeBotAPI()
    loop.run_until_complete(fake.start())
    bot = RunningBot(settings_for(fake, url))
    loop.run_until_complete(bot.start())
    world = World(loop, fake, bot, Database(url))
    try:
        yield world
    finally:
        loop.run_until_complete(world.db.dispose())
        loop.run_until_complete(bot.stop())
        loop.run_until_complete(fake.stop())
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()
    print(
        f"random actions ({request.param}): {world.steps} steps, "
        f"{world.next_user - FIRST_USER} users, {world.sets_logged} sets logged"
    )
    fake.assert_no_violations()


def edits(user: FakeUser) -> int:
    """How many times the bot's messages to this user were edited."""
    return sum(message.edit_count for message in user.messages)


async def act(world: World, user: FakeUser, other: FakeUser, action: tuple[str, object]) -> None:
    kind, value = action
    before = len(user.messages)
    edits_before = edits(user)
    answered_before = len(world.fake.callback_answers)
    if kind == "text":
        world.sent_ids.append(await user.send(str(value)))
    elif kind == "command":
        await user.send(str(value))
    elif kind == "edit":
        if not world.sent_ids:
            return
        await user.edit(world.sent_ids[-1], str(value) or "1")
        # An edit may be answered or not; give the bot the chance to act on it.
        await world.fake.wait_until(lambda: len(user.messages) > before, 0.3)
        return
    elif kind in ("tap", "tap_old", "other_users_button"):
        # "tap": a button of the newest message that has any; the others: any button shown.
        shown = [message for message in user.messages if message.buttons()]
        if kind == "tap":
            shown = shown[-1:]
        buttons = [
            (message, label) for message in shown for row in message.buttons() for label in row
        ]
        if not buttons:
            return
        message, label = buttons[int(value) % len(buttons)]  # type: ignore[call-overload]
        if kind != "other_users_button":
            await user.tap(label, message=message)
        else:
            await other.tap_data(message.button_data(label), message.message_id)
            await world.fake.wait_until(
                lambda: len(world.fake.callback_answers) > answered_before, 5
            )
            return
    elif kind == "forge":
        target = user.messages[-1].message_id if user.messages else 1
        await user.tap_data(str(value), target)
        await world.fake.wait_until(lambda: len(world.fake.callback_answers) > answered_before, 5)
        return
    elif kind == "sticker":
        await user.send_sticker()
    elif kind == "photo":
        await user.send_photo()
    # Every message gets an answer (a message, an edit of the live message or, for a tap, at
    # least the tap's answer).
    answered = await world.fake.wait_until(
        lambda: (
            len(user.messages) > before
            or edits(user) > edits_before
            or len(world.fake.callback_answers) > answered_before
        ),
        5,
    )
    assert answered, f"no answer to {action!r}: {[m.text for m in user.messages[-3:]]}"


async def check_invariants(world: World, user: FakeUser) -> int:
    """Checks the database and the chat; returns how many sets the user has logged."""
    async with world.db.reading() as session:
        active = await session.execute(
            select(func.count()).where(Workout.user_id == user.id, Workout.status == "active")
        )
        assert active.scalar_one() <= 1
        bad_sets = await session.execute(
            select(func.count()).where(
                LoggedSet.user_id == user.id,
                (LoggedSet.reps < 1)
                | (LoggedSet.reps > MAX_REPS)
                | (LoggedSet.load_grams <= 0)
                | (LoggedSet.load_grams > MAX_LOAD_GRAMS)
                | (LoggedSet.set_number < 1)
                | (LoggedSet.set_number > PROGRAMME.sets_later),
            )
        )
        assert bad_sets.scalar_one() == 0
        duplicates = await session.execute(
            select(LoggedSet.workout_id, LoggedSet.exercise, LoggedSet.set_number)
            .where(LoggedSet.user_id == user.id)
            .group_by(LoggedSet.workout_id, LoggedSet.exercise, LoggedSet.set_number)
            .having(func.count() > 1)
        )
        assert duplicates.all() == []
        reminders = await session.execute(
            select(func.count()).where(
                Reminder.user_id == user.id,
                Reminder.status.not_in(["pending", "claimed", "sent", "dropped"]),
            )
        )
        assert reminders.scalar_one() == 0
        logged = await session.execute(select(func.count()).where(LoggedSet.user_id == user.id))
        return int(logged.scalar_one())
    for message in user.messages:
        assert "Traceback" not in (message.text or "")
        assert "went wrong" not in (message.text or ""), message.text


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_random_actions_keep_every_invariant(
    world: World, actions: list[tuple[str, object]]
) -> None:
    world.next_user += 1
    user = world.fake.user(world.next_user, "Rand<b>om")
    other = world.fake.user(world.next_user + 500_000, "Other")
    world.sent_ids = []

    async def play() -> None:
        logged = 0
        for action in actions:
            await act(world, user, other, action)
            world.steps += 1
            logged = await check_invariants(world, user)
        world.sets_logged += logged
        assert all("Sorry" not in (m.text or "") for m in user.messages)
        assert not world.fake.violations, world.fake.violations[:5]

    world.loop.run_until_complete(play())
