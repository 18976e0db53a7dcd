"""Training-day reminders end to end, with time moved by time-machine."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from bot.storage.models import Reminder
from tests.e2e.harness import RunningBot, reading, settings_for, stored_user
from tests.fakes.bot_api import FakeBotAPI, FakeUser

# Monday 2026-10-19; Europe/Berlin leaves summer time on Sunday 25 Oct, New York on 1 Nov.
MONDAY = datetime(2026, 10, 19, tzinfo=UTC)
QUIET = 0.6  # three sweeps at 0.2 s: long enough to see that nothing is sent


def day(n: int, hour: int = 0, minute: int = 0) -> datetime:
    return MONDAY + timedelta(days=n, hours=hour, minutes=minute)


@asynccontextmanager
async def bot_at(
    fake: FakeBotAPI, database_url: str, start: datetime
) -> AsyncIterator[tuple[RunningBot, time_machine.Traveller]]:
    with time_machine.travel(start, tick=True) as traveller:
        bot = RunningBot(settings_for(fake, database_url))
        await bot.start()
        try:
            yield bot, traveller
        finally:
            await bot.stop()


async def onboard(user: FakeUser, zone: str, days: str = "Mon Thu", at: str = "18:00") -> None:
    """The whole onboarding by typed answers."""
    await user.send("/start")
    await user.reply()
    for answer, replies in (("kg", 1), (zone, 2), (days, 1), (at, 1)):
        await user.send(answer)
        await user.replies(replies)
    for _ in range(3):
        await user.send("skip")
        await user.reply()
    assert "All set!" in (user.messages[-1].text or "")


async def train_briefly(user: FakeUser) -> None:
    """A workout that counts: one set logged, then /end."""
    await user.send("/start_workout")
    await user.replies(2)
    await user.send("10 x 40")
    await user.changed()  # logged, and (no rest in tests) set 2's prompt
    await user.send("/end")
    await user.changes(2)  # the live message folded, the summary


async def quiet(fake: FakeBotAPI, *users: FakeUser) -> None:
    before = [len(user.messages) for user in users]
    await fake.wait_until(lambda: False, QUIET)
    after = [len(user.messages) for user in users]
    assert after == before, [m.text for u in users for m in u.messages[-1:]]


async def rows(bot: RunningBot, user_id: int) -> list[Reminder]:
    async with reading(bot.settings.database_url) as session:
        query = select(Reminder).where(Reminder.user_id == user_id).order_by(Reminder.due_at)
        return list((await session.execute(query)).scalars())


async def settled(bot: RunningBot, user_id: int, count: int) -> list[Reminder]:
    """The user's reminder rows once `count` of them are settled (the sweep runs on its own)."""
    deadline = asyncio.get_running_loop().time() + 5
    while True:
        found = await rows(bot, user_id)
        if sum(r.status in ("sent", "dropped") for r in found) >= count:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError([(r.local_date, r.status) for r in found])
        await asyncio.sleep(0.05)


async def test_reminders_arrive_at_the_local_time_in_three_zones_across_dst(
    fake: FakeBotAPI, database_url: str
) -> None:
    berlin = fake.user(6001, "Bea")
    new_york = fake.user(6002, "Ned")
    tokyo = fake.user(6003, "Tom")
    async with bot_at(fake, database_url, day(2, 12)) as (_bot, traveller):  # Wednesday noon
        for user, zone in ((berlin, "Berlin"), (new_york, "New York"), (tokyo, "Tokyo")):
            await onboard(user, zone, "Mon Thu", "7:30")
        expected = [
            (tokyo, day(2, 22, 30)),  # Thu 07:30 JST
            (berlin, day(3, 5, 30)),  # Thu 07:30 CEST
            (new_york, day(3, 11, 30)),  # Thu 07:30 EDT
            (tokyo, day(6, 22, 30)),  # Mon 07:30 JST
            (berlin, day(7, 6, 30)),  # Mon 07:30 CET: Berlin changed on Sunday
            (new_york, day(7, 11, 30)),  # Mon 07:30 EDT
            (tokyo, day(9, 22, 30)),  # Thu 07:30 JST
            (berlin, day(10, 6, 30)),  # Thu 07:30 CET
            (new_york, day(10, 11, 30)),  # Thu 07:30 EDT
            (tokyo, day(13, 22, 30)),  # Mon 2 Nov 07:30 JST
            (berlin, day(14, 6, 30)),  # Mon 2 Nov 07:30 CET
            (new_york, day(14, 12, 30)),  # Mon 2 Nov 07:30 EST: New York changed on Sunday
        ]
        everyone = (berlin, new_york, tokyo)
        for user, due in expected:
            traveller.move_to(due - timedelta(minutes=1))
            await quiet(fake, *everyone)
            traveller.move_to(due + timedelta(seconds=1))
            reminder = await user.reply()
            assert "Training day" in (reminder.text or ""), reminder.text
            assert "Start workout" in str(reminder.buttons())
            await quiet(fake, *everyone)
        for user, due in expected:
            sent = [r for r in await rows(_bot, user.id) if r.due_at == due]
            assert len(sent) == 1 and sent[0].status == "sent", (user.first_name, due)


async def test_off_schedule_workout_moves_the_next_reminder(
    fake: FakeBotAPI, database_url: str
) -> None:
    ann = fake.user(6101, "Ann")
    async with bot_at(fake, database_url, day(1, 9)) as (_bot, traveller):  # Tuesday
        await onboard(ann, "UTC")
        await train_briefly(ann)  # on a Tuesday, off schedule
        await ann.send("/next")
        assert "two rest days after Tuesday" in ((await ann.reply()).text or "")
        traveller.move_to(
            day(
                3,
                18,
                0,
            )
            + timedelta(seconds=1)
        )  # Thursday 18:00
        await quiet(fake, ann)
        traveller.move_to(day(4, 18) + timedelta(seconds=1))  # Friday 18:00
        reminder = await ann.reply()
        assert "two rest days since Tuesday" in (reminder.text or "")


async def test_a_missed_day_gets_one_make_up_nudge(fake: FakeBotAPI, database_url: str) -> None:
    ann = fake.user(6201, "Ann")
    async with bot_at(fake, database_url, day(0, 9)) as (_bot, traveller):  # Monday
        await onboard(ann, "UTC")
        await train_briefly(ann)
        traveller.move_to(day(3, 18) + timedelta(seconds=1))  # Thursday: usual reminder
        assert "usual Thursday" in ((await ann.reply()).text or "")
        # She does not train. Friday: one make-up nudge.
        traveller.move_to(day(4, 18) + timedelta(seconds=1))
        make_up = await ann.reply()
        assert "Make-up day" in (make_up.text or "") and "Thursday" in (make_up.text or "")
        for n in (5, 6):  # Saturday, Sunday: nothing more
            traveller.move_to(day(n, 18) + timedelta(seconds=1))
            await quiet(fake, ann)
        traveller.move_to(day(7, 18) + timedelta(seconds=1))  # Monday: usual again
        assert "usual Monday" in ((await ann.reply()).text or "")
        # The send is recorded just after the message goes out: wait for the third record.
        found = await settled(_bot, 6201, 3)
        reasons = [(r.local_date.weekday(), r.reason, r.status) for r in found]
        assert reasons[:3] == [
            (3, "usual_day", "sent"),
            (4, "make_up", "sent"),
            (0, "usual_day", "sent"),
        ]


async def test_trained_today_means_no_reminder(fake: FakeBotAPI, database_url: str) -> None:
    ann = fake.user(6301, "Ann")
    async with bot_at(fake, database_url, day(3, 9)) as (_bot, traveller):  # Thursday
        await onboard(ann, "UTC")
        await train_briefly(ann)
        traveller.move_to(day(3, 18) + timedelta(seconds=1))
        await quiet(fake, ann)


async def test_restart_between_due_time_and_sweep_sends_exactly_once(
    fake: FakeBotAPI, database_url: str
) -> None:
    ann = fake.user(6401, "Ann")
    with time_machine.travel(day(3, 9), tick=True) as traveller:  # Thursday
        bot = RunningBot(settings_for(fake, database_url))
        await bot.start()
        try:
            await onboard(ann, "UTC")
            traveller.move_to(day(3, 17, 59))
            await bot.stop()  # down at 18:00
            traveller.move_to(day(3, 18, 40))
            await bot.start()
            assert "Training day" in ((await ann.reply()).text or "")
            await bot.restart()
            await quiet(fake, ann)
            # Down through Monday's reminder until too late in the evening: it is dropped.
            traveller.move_to(day(7, 17, 59))
            await bot.stop()
            traveller.move_to(day(7, 22, 30))
            await bot.start()
            found = await settled(bot, 6401, 2)
            await quiet(fake, ann)
            statuses = [(r.local_date.weekday(), r.status) for r in found]
            assert statuses[:2] == [(3, "sent"), (0, "dropped")]
            assert statuses[2][1] == "pending"
        finally:
            await bot.stop()


async def test_blocked_user_is_marked_inactive_until_they_write(
    fake: FakeBotAPI, database_url: str
) -> None:
    ann = fake.user(6501, "Ann")
    async with bot_at(fake, database_url, day(3, 9)) as (bot, traveller):
        await onboard(ann, "UTC")
        fake.blocked_users.add(ann.id)
        traveller.move_to(day(3, 18) + timedelta(seconds=1))
        assert [r.status for r in await settled(bot, 6501, 1)] == ["dropped"]
        assert not (await stored_user(bot, 6501)).reachable
        traveller.move_to(day(7, 18) + timedelta(seconds=1))
        await quiet(fake, ann)
        fake.blocked_users.discard(ann.id)
        await ann.send("hi again")
        await ann.reply()
        assert (await stored_user(bot, 6501)).reachable
        assert [r.status for r in await rows(bot, 6501)][-1] == "pending"


async def test_start_workout_button_starts_the_workout_and_429_is_retried(
    fake: FakeBotAPI, database_url: str
) -> None:
    ann = fake.user(6601, "Ann")
    async with bot_at(fake, database_url, day(3, 9)) as (_bot, traveller):
        await onboard(ann, "UTC")
        fake.fail_next(
            "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
        )
        traveller.move_to(day(3, 18) + timedelta(seconds=1))
        reminder = await ann.reply(timeout=8)
        assert "Straight-leg deadlift" in (reminder.text or "")
        await ann.tap("Start workout")
        card, prompt = await ann.replies(2)
        assert "1/4" in (card.text or "") and "Set 1 of 3" in (prompt.text or "")
        await quiet(fake, ann)
