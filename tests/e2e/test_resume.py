"""/start_workout mid-workout resumes exactly where the user was, at every stage."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from bot.storage.models import LoggedSet
from tests.e2e.harness import RunningBot, reading, settings_for
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser

EFFORT_BUTTONS = [["Yes, easily"], ["Just about"], ["No, it was hard"], ["↩️ Undo set 3"]]


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def logged_sets(bot: RunningBot, user_id: int) -> list[tuple[str, int, int]]:
    async with reading(bot.settings.database_url) as session:
        rows = await session.execute(
            select(LoggedSet.exercise, LoggedSet.set_number, LoggedSet.reps)
            .where(LoggedSet.user_id == user_id)
            .order_by(LoggedSet.id)
        )
        return [(exercise, number, reps) for exercise, number, reps in rows.all()]


async def start(user: FakeUser) -> None:
    await user.send("/start_workout")
    await user.changes(2)


async def log_exercise(user: FakeUser, reply: str = "10 x 40") -> BotMessage:
    """Logs three sets; returns the effort question."""
    for _ in range(2):
        await user.send(reply)
        await user.changed()  # the set in, the next set asked for (rest is 0 s in tests)
    await user.send(reply)
    question = await user.changed()
    assert "2 more reps" in text_of(question)
    return question


async def resume(user: FakeUser, messages: int) -> list[BotMessage]:
    await user.send("/start_workout")
    shown = await user.changes(messages)
    assert "Picking up where you were" in text_of(shown[0])
    return shown


async def test_resume_on_the_first_card_prompts_set_one(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(8001, "Ann")
    await start(ann)
    said, prompt = await resume(ann, 2)
    assert "Straight-leg deadlift, set 1 of 3" in text_of(said)
    assert "Set 1 of 3" in text_of(prompt)
    await ann.send("10 x 40")
    await ann.changed()
    assert await logged_sets(bot, ann.id) == [("deadlift", 1, 10)]


async def test_resume_mid_exercise_prompts_the_next_set(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(8002, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    said, prompt = await resume(ann, 2)
    assert "Straight-leg deadlift, set 2 of 3, 40 kg" in text_of(said)
    assert "Set 2 of 3" in text_of(prompt) and "12" in prompt.buttons()[1]
    await ann.tap("11", message=prompt)
    await ann.changed()
    assert await logged_sets(bot, ann.id) == [("deadlift", 1, 10), ("deadlift", 2, 11)]


async def test_resume_during_a_rest_prompts_once(
    fake: FakeBotAPI, database_url: str, clock: time_machine.Traveller
) -> None:
    bot = RunningBot(settings_for(fake, database_url, rest_seconds=60))
    await bot.start()
    try:
        ann = fake.user(8003, "Ann")
        await start(ann)
        await ann.send("10 x 40")
        assert "Rest until" in text_of(await ann.changed())
        said, prompt = await resume(ann, 2)
        assert "set 2 of 3" in text_of(said) and "Set 2 of 3" in text_of(prompt)
        # The rest ends: the set was already prompted, so nothing more arrives.
        shown = len(ann.messages)
        clock.shift(timedelta(seconds=61))
        assert not await fake.wait_until(lambda: len(ann.messages) > shown, 1.0)
        await ann.send("9")
        await ann.changed()
        assert await logged_sets(bot, ann.id) == [("deadlift", 1, 10), ("deadlift", 2, 9)]
    finally:
        await bot.stop()


async def test_resume_at_the_effort_question_asks_it_again(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(8004, "Ann")
    await start(ann)
    await log_exercise(ann)
    said, question = await resume(ann, 2)
    assert "Straight-leg deadlift, all 3 sets logged" in text_of(said)
    assert "2 more reps" in text_of(question) and question.buttons() == EFFORT_BUTTONS
    await ann.tap("Just about", message=question)
    _folded, card, _ = await ann.changes(3)
    assert "2/4 · Lying leg curl" in text_of(card)
    assert len(await logged_sets(bot, ann.id)) == 3


async def test_resume_between_exercises_prompts_the_next_exercise(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(8005, "Ann")
    await start(ann)
    await log_exercise(ann)
    await ann.send("ok")
    _folded, card, _ = await ann.changes(3)
    assert "2/4 · Lying leg curl" in text_of(card)
    said, prompt = await resume(ann, 2)
    assert "Lying leg curl, set 1 of 3" in text_of(said)
    assert "Lying leg curl</b> · Set 1 of 3" in prompt.html


async def test_resume_in_the_last_exercise_and_at_its_effort_question(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(8006, "Ann")
    await start(ann)
    for _ in range(3):
        await ann.send("/skip")
        await ann.changes(3)
    await ann.send("10 x 20")
    await ann.changed()
    said, prompt = await resume(ann, 2)
    assert "Lunge, set 2 of 3, 20 kg" in text_of(said) and "Set 2 of 3" in text_of(prompt)
    await ann.send("10")
    await ann.changed()
    await ann.send("10")
    await ann.changed()
    said, question = await resume(ann, 2)
    assert "Lunge, all 3 sets logged" in text_of(said) and question.buttons() == EFFORT_BUTTONS
    await ann.tap("No, it was hard", message=question)
    assert "Workout done" in text_of(await ann.reply())
    assert [number for _, number, _ in await logged_sets(bot, ann.id)] == [1, 2, 3]
