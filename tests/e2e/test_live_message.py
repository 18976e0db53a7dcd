"""One live message per exercise: sets edited in, one message with set buttons, the rest shown
in that message and re-sent when it ends, stale taps answered by a toast (issue 12, §7-§9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from bot.storage.database import Database
from bot.storage.models import Workout
from tests.e2e.harness import REST_SECONDS, RunningBot, reading
from tests.factories import add_user
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def deleted(fake: FakeBotAPI, user: FakeUser, message_id: int) -> bool:
    """Whether the message is deleted (within a second: it goes right after its new copy)."""
    old = next(m for m in user.messages if m.message_id == message_id)
    return await fake.wait_until(lambda: old.deleted, 1.0)


def requests_since(fake: FakeBotAPI, start: int) -> list[str]:
    return [name for name, _ in fake.requests[start:] if name != "getUpdates"]


async def start(user: FakeUser) -> BotMessage:
    await user.send("/start_workout")
    card, live = await user.changes(2)
    assert "1/4 · Straight-leg deadlift" in text_of(card)
    return live


async def prompt_id(bot: RunningBot, user_id: int) -> int | None:
    async with reading(bot.settings.database_url) as session:
        workout = (
            await session.execute(
                Workout.__table__.select().where(Workout.user_id == user_id)  # type: ignore[attr-defined]
            )
        ).first()
        return None if workout is None else workout.prompt_message_id


async def full_workout(user: FakeUser, sets: tuple[str, ...]) -> BotMessage:
    """Four exercises, each set typed, each effort tapped; returns the summary."""
    await start(user)
    for exercise in range(4):
        for reps in sets:
            await user.send(reps)
            await user.changed()
        await user.tap("Just about")
        if exercise < 3:
            await user.changes(3)  # the old message folded, the card, the new live message
    *_, summary = await user.changes(2)
    assert "Workout done" in text_of(summary)
    return summary


async def test_sets_are_edited_into_one_message_per_exercise(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(7001, "Ann")
    live = await start(ann)
    assert "Set 1 of 3" in text_of(live)
    await ann.send("10 x 40")
    edited = await ann.changed()
    assert edited.message_id == live.message_id
    assert "✅ Set 1 · 10 × 40 kg" in text_of(edited)
    assert "Set 2 of 3" in text_of(edited) and edited.find_button("10") is not None
    before = len(fake.requests)
    await ann.send("11")
    edited = await ann.changed()
    assert edited.message_id == live.message_id
    assert "✅ Set 1 · 10 × 40 kg\n✅ Set 2 · 11 × 40 kg" in text_of(edited)
    assert "Set 3 of 3" in text_of(edited)
    assert requests_since(fake, before) == ["editMessageText"]  # one request for a typed set
    before = len(fake.requests)
    await ann.tap("12")
    edited = await ann.changed()
    assert "✅ Set 3 · 12 × 40 kg" in text_of(edited) and "2 more reps" in text_of(edited)
    assert requests_since(fake, before) == ["answerCallbackQuery", "editMessageText"]
    # The card stays its own message, with the key cue and the set-up.
    card = ann.in_chat()[0]
    assert "Key:" in text_of(card) and "Set up:" in text_of(card)


async def test_at_most_one_message_has_set_buttons_and_none_after_the_summary(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(7002, "Ann")
    await start(ann)
    for exercise in range(4):
        for reps in ("10 x 40", "10", "10"):
            await ann.send(reps)
            await ann.changed()
            assert len(ann.with_set_buttons()) <= 1
        await ann.tap("Just about")
        await ann.changes(3 if exercise < 3 else 2)
        assert len(ann.with_set_buttons()) <= 1
    assert ann.with_set_buttons() == []
    # Not a button with a workout step left anywhere in the chat.
    live_data = ("s:", "e:", "m:", "u:")
    for message in ann.in_chat():
        for row in message.inline_rows():
            for button in row:
                assert not str(button.get("callback_data", "")).startswith(live_data)


async def test_a_full_first_workout_leaves_at_most_twenty_bot_messages(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(7003, "Ann")
    await full_workout(ann, ("10 x 40", "10", "10"))
    assert len(ann.in_chat()) <= 20, len(ann.in_chat())
    assert len(ann.in_chat()) == 9  # 4 cards, 4 live messages, the summary


async def test_the_rest_shows_in_the_live_message_with_more_time_and_skip(
    resting_bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(7004, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    resting = await ann.changed()
    text = text_of(resting)
    assert "✅ Set 1 · 10 × 40 kg" in text
    assert "⏱ Rest until " in text and "next: set 2, 40 kg" in text
    assert resting.find_button("+30 s") is not None and resting.find_button("Skip rest")
    # The next set's rep buttons work during the rest.
    assert resting.find_button("10") is not None
    before = text
    await ann.tap("+30 s")
    longer = await ann.changed()
    assert "⏱ Rest until " in text_of(longer) and text_of(longer) != before
    await ann.tap("Skip rest")
    skipped = await ann.changed()
    assert "Rest until" not in text_of(skipped) and "Set 2 of 3" in text_of(skipped)
    assert skipped.find_button("+30 s") is None


async def test_the_rest_ends_at_a_time_in_the_users_own_zone(
    resting_bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 7013, first_name="Kai", time_zone="Asia/Tokyo")
    kai = fake.user(7013, "Kai")
    await start(kai)
    await kai.send("10 x 40")
    logged_at = datetime.now(UTC)
    resting = await kai.changed()
    tokyo = ZoneInfo("Asia/Tokyo")
    ends = [
        f"{(logged_at + timedelta(seconds=REST_SECONDS + s)).astimezone(tokyo):%H:%M}"
        for s in (-1, 0, 1)
    ]
    assert any(f"⏱ Rest until {end} ·" in text_of(resting) for end in ends), text_of(resting)


async def test_rep_buttons_during_the_rest_log_the_next_set(
    resting_bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(7005, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.tap("11")
    logged = await ann.changed()
    assert "✅ Set 2 · 11 × 40 kg" in text_of(logged) and "next: set 3, 40 kg" in text_of(logged)


async def test_the_end_of_the_rest_arrives_as_a_new_message_and_the_old_one_goes(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(7006, "Ann")
    live = await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    clock.shift(timedelta(seconds=REST_SECONDS + 3))
    fresh = await ann.changed(timeout=10)
    assert fresh.message_id != live.message_id
    assert "Set 2 of 3" in text_of(fresh) and "Rest until" not in text_of(fresh)
    assert "✅ Set 1 · 10 × 40 kg" in text_of(fresh)
    assert await deleted(fake, ann, live.message_id)
    assert await prompt_id(resting_bot, ann.id) == fresh.message_id
    # The next set edits the new message.
    await ann.send("10")
    edited = await ann.changed()
    assert edited.message_id == fresh.message_id


async def test_a_rest_message_too_old_to_delete_loses_its_buttons(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(7007, "Ann")
    live = await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    fake.fail_next("deleteMessage", status=400, description="Bad Request: message can't be deleted")
    clock.shift(timedelta(seconds=REST_SECONDS + 3))
    fresh, folded = await ann.changes(2, timeout=10)
    assert "Set 2 of 3" in text_of(fresh)
    assert folded.message_id == live.message_id and folded.buttons() == []
    assert "✅ Set 1 · 10 × 40 kg" in text_of(folded)
    assert len(ann.with_set_buttons()) == 1


async def test_a_live_message_gone_is_sent_anew(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(7008, "Ann")
    live = await start(ann)
    fake.fail_next(
        "editMessageText", status=400, description="Bad Request: message to edit not found"
    )
    await ann.send("10 x 40")
    fresh = await ann.changed()
    assert fresh.message_id != live.message_id and "✅ Set 1 · 10 × 40 kg" in text_of(fresh)
    assert await prompt_id(bot, ann.id) == fresh.message_id
    assert await deleted(fake, ann, live.message_id)  # whatever was left of it goes
    assert len(ann.with_set_buttons()) == 1


async def test_a_stale_tap_gets_a_toast_and_no_message(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(7009, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    live = await ann.changed()
    old_ten = live.button_data("10")
    await ann.send("10")
    await ann.changed()
    shown = len(ann.messages)
    query = await ann.tap_data(old_ten, live.message_id)
    answer = await ann.callback_answer(query)
    assert "earlier step" in str(answer.get("text"))
    assert len(ann.messages) == shown


async def test_an_old_settings_skip_gets_a_toast_not_the_question_again(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(7010, "Ann")
    await ann.send("/start")
    question = await ann.reply()
    skip = question.button_data("Skip")
    await ann.tap("Skip", message=question)
    await ann.reply()  # the next question
    shown = len(ann.messages)
    for _ in range(3):
        query = await ann.tap_data(skip, question.message_id)
        answer = await ann.callback_answer(query)
        assert answer.get("text")
    assert len(ann.messages) == shown


async def test_start_workout_during_a_rest_sends_the_prompt_once(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(7011, "Ann")
    live = await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.send("/start_workout")
    resumed, fresh = await ann.changes(2)
    assert "Picking up" in text_of(resumed) and "Set 2 of 3" in text_of(fresh)
    assert await deleted(fake, ann, live.message_id)
    shown = len(ann.messages)
    clock.shift(timedelta(seconds=REST_SECONDS + 5))
    assert not await fake.wait_until(lambda: len(ann.messages) > shown, 1.5)
    assert len(ann.with_set_buttons()) == 1


async def test_every_set_prompt_shows_last_times_figure(
    bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(7012, "Ann")
    await full_workout(ann, ("10 x 37.5", "11", "12"))
    clock.shift(timedelta(days=3))
    live = await start(ann)
    assert "last time 10 × 37.5 kg" in text_of(live)
    await ann.send("10 x 40")
    live = await ann.changed()
    assert "Set 2 of 3" in text_of(live) and "last time 11 × 37.5 kg" in text_of(live)
