"""A whole first workout, as a person at the rack would do it, through the real bot."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import LoggedSet, Workout
from tests.e2e.harness import RunningBot
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def log(user: FakeUser, reply: str) -> BotMessage:
    """Types a set; returns the live message with it logged and the next set asked for (rest
    is 0 s in tests)."""
    await user.send(reply)
    return await user.changed()


async def tap_reps(user: FakeUser, reps: int) -> BotMessage:
    await user.tap(str(reps))
    return await user.changed()


async def next_exercise(user: FakeUser) -> tuple[BotMessage, BotMessage, BotMessage]:
    """After the effort answer: the finished exercise's message, the card, the new live one."""
    folded, card, live = await user.changes(3)
    assert folded.buttons() == []
    return folded, card, live


async def sets_in_db(db: Database, user_id: int) -> list[tuple[str, int, int, int | None, int]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(
                LoggedSet.exercise,
                LoggedSet.set_number,
                LoggedSet.reps,
                LoggedSet.reps_other_leg,
                LoggedSet.load_grams,
            )
            .where(LoggedSet.user_id == user_id)
            .order_by(LoggedSet.id)
        )
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_first_workout_from_first_cue_to_summary(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(2001, "Ann")
    await ann.send("/start_workout")
    card, prompt = await ann.changes(2)
    assert "1/4 · Straight-leg deadlift" in text_of(card)
    assert "hamstrings" in text_of(card) and "3 sets × 8–12 reps" in text_of(card)
    assert card.buttons() == [["Form cues"]]
    # A new user has no known load: the prompt asks for reps × load and offers no rep buttons.
    assert "Set 1 of 3" in text_of(prompt) and "10 x 20" in text_of(prompt)
    assert prompt.buttons() == []

    await ann.tap("Form cues", message=card)
    cues = await ann.reply()
    assert "Watch for" in text_of(cues)

    # Deadlift: the load is learned from the first reply, edited into the same message.
    live = await log(ann, "10 x 40")
    assert live.message_id == prompt.message_id
    assert "✅ Set 1 · 10 × 40 kg" in text_of(live)
    # The rest text follows REST_SECONDS: 0 in tests, so no rest, and set 2 is asked at once.
    assert "Rest" not in text_of(live) and live.buttons()[-1] == ["↩️ Undo set 1"]
    assert "Set 2 of 3" in text_of(live) and "40 kg" in text_of(live)
    assert live.buttons()[0][0] == "6"
    old_ten = live.button_data("10")

    # A set under 8: the bot suggests going lighter for the next set, now.
    live = await log(ann, "7")
    assert "✅ Set 2 · 7 × 40 kg" in text_of(live)
    assert "too heavy for now — take it down to 37.5 kg" in text_of(live)
    assert "Set 3 of 3 · 8–12 reps · 37.5 kg" in text_of(live)

    # A sticker mid-set changes nothing and gets a helpful answer.
    await ann.send_sticker()
    assert "only read reps as text" in text_of(await ann.reply())

    # A stale button (set 2's) gets a toast, no message; the current one logs set 3.
    shown = len(ann.messages)
    answer = await ann.callback_answer(await ann.tap_data(old_ten, live.message_id))
    assert "earlier step" in str(answer.get("text")) and len(ann.messages) == shown
    live = await tap_reps(ann, 10)
    assert "✅ Set 3 · 10 × 37.5 kg" in text_of(live)
    assert "2 more reps" in text_of(live)
    await ann.tap("Just about")
    folded, card, prompt = await next_exercise(ann)
    assert "✅ Set 3 · 10 × 37.5 kg" in text_of(folded) and "2 more reps" not in text_of(folded)
    assert "2/4 · Lying leg curl" in text_of(card)

    # Leg curl: log, undo, relog; a duplicated delivery logs once; an edit corrects the set.
    await log(ann, "12 x 30")
    await ann.send("/undo")
    live, undone = await ann.changes(2)
    assert "Removed Lying leg curl, set 1: 12 × 30 kg" in text_of(undone)
    assert "Set 1 of 3" in text_of(live) and "✅" not in text_of(live)
    message_id = await ann.send("11 x 30")
    update_id = fake.last_update_id
    await ann.changed()
    fake.redeliver(update_id)
    await ann.edit(message_id, "12 x 30")
    live, corrected = await ann.changes(2)
    assert "Corrected Lying leg curl, set 1: 11 × 30 kg → 12 × 30 kg" in text_of(corrected)
    assert "✅ Set 1 · 12 × 30 kg" in text_of(live) and "Set 2 of 3" in text_of(live)
    await tap_reps(ann, 12)
    await ann.tap("12")
    await ann.changed()
    await ann.tap("Yes, easily")
    _, card, prompt = await next_exercise(ann)
    assert "3/4 · Squat" in text_of(card)

    # A restart mid-workout loses nothing: the user picks up exactly where they were.
    await bot.restart()
    await ann.send("/start_workout")
    resumed, prompt = await ann.changes(2)
    assert "Picking up where you were: Squat, set 1 of 3" in text_of(resumed)
    await log(ann, "12 x 50")
    await tap_reps(ann, 12)
    await ann.tap("12")
    await ann.changed()
    await ann.tap("Yes, easily")
    _, card, prompt = await next_exercise(ann)
    assert "4/4 · Lunge" in text_of(card) and "per leg" in text_of(prompt)

    # Lunge: counted per leg.
    await log(ann, "10/9 x 12")
    await tap_reps(ann, 10)
    live = await log(ann, "11 9")
    assert "✅ Set 3 · 11/9 × 12 kg each" in text_of(live)
    await ann.tap("No, it was hard")
    folded, summary = await ann.changes(2)
    assert folded.buttons() == [] and ann.with_set_buttons() == []
    body = text_of(summary)
    assert "Workout done" in body
    assert "Straight-leg deadlift</b>: 10 × 40 kg, 7 × 40 kg, 10 × 37.5 kg" in summary.html
    assert "Lying leg curl</b>: 12 × 30 kg, 12 × 30 kg, 12 × 30 kg" in summary.html
    assert "Squat</b>: 12 × 50 kg, 12 × 50 kg, 12 × 50 kg" in summary.html
    assert "Lunge</b>: 10/9 × 12 kg, 10 × 12 kg, 11/9 × 12 kg (each dumbbell)" in summary.html
    # Leg curl: 3 × 12 × 30 = 1080 kg; every set at 12 and "easily": heavier, as the programme
    # says, even though a 5 kg machine step is over 10% of 30 kg.
    assert "Volume 1080 kg · best set 12 × 30 kg" in body
    assert "up to 35 kg (every set reached 12)" in body, body
    # Squat: every set at 12, not hard, 2.5 kg is under 10% of 50 kg: one step up.
    assert "up to 52.5 kg (every set reached 12)" in body
    # Deadlift: a set under 8 means next time starts at the lighter load that was used.
    assert "down to 37.5 kg" in body
    assert "Next workout:" in body

    db = Database(bot.settings.database_url)
    try:
        logged = await sets_in_db(db, ann.id)
        async with db.reading() as session:
            statuses = (await session.execute(select(Workout.status))).scalars().all()
            count = (await session.execute(select(func.count()).select_from(LoggedSet))).scalar()
    finally:
        await db.dispose()
    assert statuses == ["finished"]
    assert count == 12
    assert logged[:6] == [
        ("deadlift", 1, 10, None, 40_000),
        ("deadlift", 2, 7, None, 40_000),
        ("deadlift", 3, 10, None, 37_500),
        ("leg_curl", 1, 12, None, 30_000),
        ("leg_curl", 2, 12, None, 30_000),
        ("leg_curl", 3, 12, None, 30_000),
    ]
    assert logged[9:] == [
        ("lunge", 1, 10, 9, 12_000),
        ("lunge", 2, 10, 10, 12_000),
        ("lunge", 3, 11, 9, 12_000),
    ]
