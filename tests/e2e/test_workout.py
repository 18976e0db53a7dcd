"""A whole first workout, as a person at the rack would do it, through the real bot."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import LoggedSet, Workout
from tests.e2e.harness import RunningBot
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def log(user: FakeUser, reply: str) -> list[BotMessage]:
    """Types a set; returns the confirmation and the next-set prompt (rest is 0 s in tests)."""
    await user.send(reply)
    return await user.replies(2)


async def tap_reps(user: FakeUser, reps: int) -> list[BotMessage]:
    await user.tap(str(reps))
    return await user.replies(2)


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
    card, prompt = await ann.replies(2)
    assert "1/4 · Straight-leg deadlift" in text_of(card)
    assert "hamstrings" in text_of(card) and "3 sets × 8–12 reps" in text_of(card)
    assert card.buttons() == [["Form cues"]]
    # A new user has no known load: the prompt asks for reps × load and offers no rep buttons.
    assert "Set 1 of 3" in text_of(prompt) and "10 x 20" in text_of(prompt)
    assert prompt.buttons() == []

    await ann.tap("Form cues", message=card)
    cues = await ann.reply()
    assert "Watch for" in text_of(cues)

    # Deadlift: the load is learned from the first reply.
    done, prompt = await log(ann, "10 x 40")
    assert "set 1 of 3: 10 × 40 kg" in text_of(done)
    # The rest text follows REST_SECONDS: 0 in tests, so no rest, and set 2 is asked at once.
    assert "Rest" not in text_of(done) and done.buttons() == [["Undo"]]
    assert "Set 2 of 3" in text_of(prompt) and "40 kg" in text_of(prompt)
    assert prompt.buttons()[0][0] == "6"
    old_prompt = prompt

    # A set under 8: the bot suggests going lighter for the next set, now.
    done, prompt = await log(ann, "7")
    assert "too heavy for now — take it down to 37.5 kg" in text_of(done)
    assert "37.5 kg" in text_of(prompt)

    # A sticker mid-set changes nothing and gets a helpful answer.
    await ann.send_sticker()
    assert "only read reps as text" in text_of(await ann.reply())

    # A stale button (set 2's prompt) is refused; the tap on the current prompt logs set 3.
    await ann.tap("10", message=old_prompt)
    assert "earlier step" in text_of(await ann.reply())
    await ann.tap("10")
    done, effort = await ann.replies(2)
    assert "set 3 of 3: 10 × 37.5 kg" in text_of(done)
    assert "2 more reps" in text_of(effort)
    await ann.tap("Just about")
    card, prompt = await ann.replies(2)
    assert "2/4 · Lying leg curl" in text_of(card)

    # Leg curl: log, undo, relog; a duplicated delivery logs once; an edit corrects the set.
    await log(ann, "12 x 30")
    await ann.send("/undo")
    undone, prompt = await ann.replies(2)
    assert "Removed Lying leg curl, set 1: 12 × 30 kg" in text_of(undone)
    assert "Set 1 of 3" in text_of(prompt)
    message_id = await ann.send("11 x 30")
    update_id = fake.last_update_id
    await ann.replies(2)
    fake.redeliver(update_id)
    await ann.edit(message_id, "12 x 30")
    corrected = await ann.reply()
    assert "Corrected Lying leg curl, set 1: 11 × 30 kg → 12 × 30 kg" in text_of(corrected)
    await tap_reps(ann, 12)
    await ann.tap("12")
    await ann.replies(2)
    await ann.tap("Yes, easily")
    card, prompt = await ann.replies(2)
    assert "3/4 · Squat" in text_of(card)

    # A restart mid-workout loses nothing: the user picks up exactly where they were.
    await bot.restart()
    await ann.send("/start_workout")
    resumed, prompt = await ann.replies(2)
    assert "Picking up where you were: Squat, set 1 of 3" in text_of(resumed)
    await log(ann, "12 x 50")
    await tap_reps(ann, 12)
    await ann.tap("12")
    await ann.replies(2)
    await ann.tap("Yes, easily")
    card, prompt = await ann.replies(2)
    assert "4/4 · Lunge" in text_of(card) and "per leg" in text_of(prompt)

    # Lunge: counted per leg.
    await log(ann, "10/9 x 12")
    await tap_reps(ann, 10)
    await ann.send("11 9")
    done, effort = await ann.replies(2)
    assert "11/9 × 12 kg" in text_of(done)
    await ann.tap("No, it was hard")
    summary = await ann.reply()
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
