"""A demanding user at the rack: undo, /end, /cancel and restarts during a rest, old and
forged buttons, odd input; each leaves the chat and the workout as the user would expect."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
import time_machine
from sqlalchemy import select

from bot.storage.models import LoggedSet, Reminder
from tests.e2e.harness import REST_SECONDS, RunningBot, reading
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def start(user: FakeUser) -> BotMessage:
    await user.send("/start_workout")
    _, live = await user.changes(2)
    return live


async def nothing_more(fake: FakeBotAPI, user: FakeUser, seconds: float = 1.5) -> bool:
    shown = user.change_count
    return not await fake.wait_until(lambda: user.change_count > shown, seconds)


async def test_a_forged_rep_button_logs_nothing(bot: RunningBot, fake: FakeBotAPI) -> None:
    """Button data is the user's to send: reps or a load no button of ours carries (999999
    reps, a set at 0 kg) are refused with a toast, never logged."""
    ann = fake.user(8101, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    live = await ann.changed()
    tag, workout_id, step, _ = live.button_data("10").split(":")
    forged = (
        f"{tag}:{workout_id}:{step}:999999",
        f"{tag}:{workout_id}:{step}:0",
        f"t:{workout_id}:{step}:10:-:0",
        f"t:{workout_id}:{step}:999999:-:40000",
        f"n:{workout_id}:{step}:2:999999",
    )
    for data in forged:
        query = await ann.tap_data(data, live.message_id)
        answer = await ann.callback_answer(query)
        assert "earlier step" in str(answer.get("text")), (data, answer)
    assert await nothing_more(fake, ann)
    async with reading(bot.settings.database_url) as session:
        logged = (await session.execute(select(LoggedSet.reps, LoggedSet.load_grams))).all()
    assert [tuple(row) for row in logged] == [(10, 40000)]


async def test_a_user_who_blocked_the_bot_costs_no_one_else_the_end_of_their_rest(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    """After a restart the sweep ends every rest whose timer was lost, in one batch: one chat
    that can't be written to must not stop the others' messages."""
    ann, bob = fake.user(8201, "Ann"), fake.user(8202, "Bob")
    for user in (ann, bob):
        await start(user)
        await user.send("10 x 40")
        await user.changed()
    await resting_bot.stop()  # the rest timers go with the process
    fake.blocked_users.add(ann.id)
    clock.shift(timedelta(seconds=REST_SECONDS + 5))
    await resting_bot.start()
    fresh = await bob.changed(timeout=10)
    assert "Set 2 of 3" in text_of(fresh) and "Rest until" not in text_of(fresh)


async def test_the_end_of_a_rest_after_a_restart_arrives_once(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(8203, "Ann")
    live = await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    await resting_bot.restart()
    clock.shift(timedelta(seconds=REST_SECONDS + 5))
    fresh = await ann.changed(timeout=10)
    assert fresh.message_id != live.message_id and "Set 2 of 3" in text_of(fresh)
    assert await nothing_more(fake, ann, 2.0)
    assert [m.message_id for m in ann.with_set_buttons()] == [fresh.message_id]


@pytest.mark.parametrize("answer", ["Keep my sets", "Discard them"])
async def test_the_stop_question_loses_its_buttons_once_answered(
    resting_bot: RunningBot, fake: FakeBotAPI, answer: str
) -> None:
    """/cancel during a rest: once answered, the question keeps no buttons that look live."""
    ann = fake.user(8301, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.send("/cancel")
    question = await ann.reply()
    keep = question.button_data("Keep my sets")
    await ann.tap(answer, message=question)
    summary = await ann.reply()
    assert "Workout" in text_of(summary)
    asked = next(m for m in ann.messages if m.message_id == question.message_id)
    assert await fake.wait_until(lambda: asked.buttons() == [], 1.0), asked.buttons()
    # Tapped again all the same (an old copy of the chat): a toast, nothing else.
    shown = ann.change_count
    query = await ann.tap_data(keep, question.message_id)
    assert "earlier step" in str((await ann.callback_answer(query)).get("text"))
    assert ann.change_count == shown


async def test_a_corrected_load_carries_to_the_next_set(
    resting_bot: RunningBot, fake: FakeBotAPI
) -> None:
    """ "10 x 40" edited to "10 x 45" during the rest: the next set is at 45 kg, so its rep
    buttons log what is on the bar."""
    ann = fake.user(8501, "Ann")
    await start(ann)
    typed = await ann.send("10 x 40")
    await ann.changed()
    await ann.edit(typed, "10 x 45")
    live = await ann.changed()
    assert "✅ Set 1 · 10 × 45 kg" in text_of(live)
    assert "next: set 2, 45 kg" in text_of(live), text_of(live)
    await ann.reply()  # "Corrected …"
    await ann.tap("10")
    logged = await ann.changed()
    assert "✅ Set 2 · 10 × 45 kg" in text_of(logged), text_of(logged)


async def test_a_corrected_short_set_still_takes_the_next_one_down(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    """The next set's load follows the corrected set as it would have followed it typed:
    6 reps at 45 kg means lighter for the next set."""
    ann = fake.user(8502, "Ann")
    await start(ann)
    typed = await ann.send("10 x 40")
    await ann.changed()
    await ann.edit(typed, "6 x 45")
    live = await ann.changed()
    assert "✅ Set 1 · 6 × 45 kg" in text_of(live)
    assert "Set 2 of 3 · 8–12 reps · 42.5 kg" in text_of(live), text_of(live)


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_a_first_name_with_html_is_shown_as_typed(
    bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller, language: str
) -> None:
    """A name like "<b>Jo & Al</b>" is text: escaped in the greeting and the reminder, never
    parsed as markup (the emulator refuses HTML that Telegram would refuse)."""
    name = "<b>Jo & Al</b>"
    jo = fake.user(8601 if language == "en" else 8602, name, language_code=language)
    await jo.send("/start")
    await jo.reply()
    for answer, replies in (("kg", 1), ("Berlin", 2), ("Mon Thu", 1), ("18:00", 1)):
        await jo.send(answer)
        await jo.replies(replies)
    for _ in range(3):
        await jo.send("skip")
        await jo.reply()
    greeting = jo.messages[0]
    assert name in text_of(greeting), text_of(greeting)
    async with reading(bot.settings.database_url) as session:
        due = await session.scalar(
            select(Reminder.due_at).where(Reminder.user_id == jo.id).order_by(Reminder.due_at)
        )
    assert due is not None
    clock.move_to(due.replace(tzinfo=UTC) + timedelta(minutes=1))
    reminder = await jo.reply(timeout=10)
    assert name in text_of(reminder), text_of(reminder)


async def test_more_rest_always_shows_the_new_end(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    """+30 s on a rest ending at hh:mm:10 keeps "Rest until hh:mm" as it was: the tap must
    still say when the rest now ends, or it looks like it did nothing."""
    ann = fake.user(8701, "Ann")
    await start(ann)
    clock.shift(timedelta(seconds=40))  # the rest ends 40 s past a minute, +30 s in the same one
    await ann.send("10 x 40")
    resting = await ann.changed()
    query = await ann.tap("+30 s", message=resting)
    answer = await ann.callback_answer(query)
    edited = await fake.wait_until(lambda: ann.change_count > 0 and bool(ann.unread_changes()), 1)
    told = str(answer.get("text") or "")
    assert edited or "Rest until" in told, (told, text_of(resting))


async def settled(fake: FakeBotAPI, user: FakeUser) -> None:
    """Waits until the bot has said all it will for now, and reads it."""
    while True:
        count = user.change_count
        if not await fake.wait_until(lambda count=count: user.change_count > count, 0.7):
            break
    if user.unread_changes():
        await user.changes(len(user.unread_changes()))


@pytest.mark.parametrize("move", ["/undo", "/end", "/start_workout", "Undo set 1", "Skip rest"])
async def test_a_rest_ended_early_sends_nothing_when_its_time_comes(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller, move: str
) -> None:
    """Undo, /end, /start_workout (twice) or Skip rest during a rest: when the rest's time
    comes, its timer finds nothing to end, and no finished or resumed workout is re-sent."""
    ann = fake.user(8801, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    for _ in range(2 if move == "/start_workout" else 1):
        if move.startswith("/"):
            await ann.send(move)
        else:
            await ann.tap(move)
        await settled(fake, ann)
    shown = ann.change_count
    clock.shift(timedelta(seconds=REST_SECONDS + 5))
    assert not await fake.wait_until(lambda: ann.change_count > shown, 2.0), [
        text_of(m) for m in ann.unread_changes()
    ]
    assert len(ann.with_set_buttons()) == (0 if move == "/end" else 1)


async def test_old_buttons_get_a_toast_and_change_nothing(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann, bob = fake.user(8901, "Ann"), fake.user(8902, "Bob")
    live = await start(ann)
    await ann.send("10 x 40")
    resting = await ann.changed()
    more, skip = resting.button_data("+30 s"), resting.button_data("Skip rest")
    ten = resting.button_data("10")
    await ann.tap("Skip rest")
    await ann.changed()
    stale = [(ann, skip, live.message_id), (bob, ten, live.message_id), (bob, more, 1)]
    await ann.tap("10")
    await ann.changed()
    clock.shift(timedelta(seconds=REST_SECONDS + 5))
    await ann.changed(timeout=10)  # the rest before set 3 is over: its message anew
    stale += [(ann, more, live.message_id), (ann, ten, live.message_id)]
    shown = (ann.change_count, bob.change_count)
    for user, data, message_id in stale:
        query = await user.tap_data(data, message_id)
        answer = await user.callback_answer(query)
        assert "earlier step" in str(answer.get("text")), (user.first_name, data, answer)
    assert await nothing_more(fake, ann, 1.0)
    assert (ann.change_count, bob.change_count) == shown
    assert "Set 3 of 3" in text_of(ann.live_message())


async def test_a_language_switch_during_the_rest_words_its_end_in_the_new_language(
    resting_bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(8903, "Ann")
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.send("/language")
    await ann.reply()
    await ann.tap("Русский")
    await ann.reply()
    clock.shift(timedelta(seconds=REST_SECONDS + 5))
    fresh = await ann.changed(timeout=10)
    assert "✅ Подход 1 · 10 × 40 кг" in text_of(fresh), text_of(fresh)
    assert "Подход 2 из 3" in text_of(fresh)


async def test_undo_back_into_the_previous_exercise_leaves_no_empty_live_message(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    """/undo on the next exercise's first set takes the user back to the last set before it:
    the next exercise's live message, with nothing logged in it, goes rather than stay as
    "Lying leg curl: no sets logged"."""
    ann = fake.user(9001, "Ann")
    await start(ann)
    for reps in ("10 x 40", "10", "10"):
        await ann.send(reps)
        await ann.changed()
    await ann.tap("Just about")
    _, _, following = await ann.changes(3)
    await ann.send("/undo")
    await settled(fake, ann)
    back = ann.live_message()
    assert "Set 3 of 3" in text_of(back) and "✅ Set 2 · 10 × 40 kg" in text_of(back)
    gone = next(m for m in ann.messages if m.message_id == following.message_id)
    assert gone.deleted, text_of(gone)
    assert not any("no sets logged" in text_of(m) for m in ann.in_chat())
    assert [m.message_id for m in ann.with_set_buttons()] == [back.message_id]


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_odd_input_mid_workout_is_explained_and_logs_nothing(
    bot: RunningBot, fake: FakeBotAPI, language: str
) -> None:
    """Stickers, photos, garbage, huge, negative and zero numbers in the middle of an
    exercise: each gets a short reply in the user's language; the live message and the sets
    stay as they were."""
    ann = fake.user(9101 if language == "en" else 9102, "Ann", language_code=language)
    await start(ann)
    await ann.send("10 x 40")
    live = await ann.changed()
    await ann.send_sticker()
    await ann.send_photo()
    odd = ("asdf qwer", "999999999999 x 40", "10 x 999999999999", "-5", "0", "0 x 40")
    odd += ("10 x -40", "10 x 0", "10,5", "10 x 40 x 3", "1e9", "inf x 40", "🏋️")
    for text in odd:
        await ann.send(text)
    replies = await ann.replies(2 + len(odd))
    for sent, reply in zip(("sticker", "photo", *odd), replies, strict=True):
        assert reply.buttons() == [] and text_of(reply), sent
        assert not any(word in text_of(reply) for word in ("Sorry", "Извини")), sent
    assert await nothing_more(fake, ann, 0.5)
    now_live = next(m for m in ann.messages if m.message_id == live.message_id)
    assert now_live.text == live.text and now_live.edit_count == live.edit_count
    async with reading(bot.settings.database_url) as session:
        logged = (await session.execute(select(LoggedSet.reps, LoggedSet.load_grams))).all()
    assert [tuple(row) for row in logged] == [(10, 40000)]


async def test_discarded_sets_are_not_shown_as_done(bot: RunningBot, fake: FakeBotAPI) -> None:
    """/cancel, "Discard them": the live message no longer lists the thrown-away sets as ✅
    next to "Workout closed, nothing logged"."""
    ann = fake.user(9201, "Ann")
    live = await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.send("/cancel")
    await ann.reply()
    await ann.tap("Discard them")
    await settled(fake, ann)
    folded = next(m for m in ann.messages if m.message_id == live.message_id)
    assert "✅" not in text_of(folded) and folded.buttons() == [], text_of(folded)
    assert "nothing logged" in text_of(ann.messages[-1])
