"""Onboarding by buttons and by typing, /start again, /settings, /pause, /resume, /next."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import ExerciseLoad, Reminder
from tests.e2e.harness import RunningBot, reading, stored_user
from tests.fakes.bot_api import FakeBotAPI


async def _pending(bot: RunningBot, user_id: int) -> list[Reminder]:
    async with reading(bot.settings.database_url) as session:
        query = select(Reminder).where(Reminder.user_id == user_id, Reminder.status == "pending")
        return list((await session.execute(query)).scalars())


async def test_onboarding_by_buttons(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(5001, "Ann", language_code="nl")  # Dutch: coached in English
    await ann.send("/start")
    unit = await ann.reply()
    assert "Hi Ann!" in (unit.text or "") and "Kilograms or pounds?" in (unit.text or "")
    await ann.tap("lb")
    zone = await ann.reply()
    assert "Europe/Amsterdam" in (zone.text or ""), "the language gives a guess to confirm"
    assert ["Europe/Amsterdam"] in zone.keyboard()
    assert fake.calls("sendMessage")[-1]["reply_markup"]["keyboard"][0][0]["request_location"]
    await ann.send("Europe/Amsterdam")  # the guess, tapped on the reply keyboard
    confirmed, days = await ann.replies(2)
    assert "Time zone: Europe/Amsterdam" in (confirmed.text or "")
    assert "Mon & Tue" not in str(days.buttons()), "only pairs with two rest days both ways"
    await ann.tap("Tue & Fri")
    await ann.reply()
    await ann.tap("07:30")
    await ann.reply()
    await ann.tap("Barbell")
    await ann.reply()
    await ann.tap("Dumbbells")
    loads = await ann.reply()
    assert "starting loads" in (loads.text or "")
    await ann.tap("Skip")
    done = await ann.reply()
    assert "All set!" in (done.text or "") and "Tuesday & Friday at 07:30" in (done.text or "")
    user = await stored_user(bot, 5001)
    assert (user.unit, user.time_zone, user.time_zone_confirmed) == ("lb", "Europe/Amsterdam", True)
    assert (user.day_one, user.day_two, user.reminder_time) == (1, 4, time(7, 30))
    assert (user.squat_equipment, user.lunge_equipment) == ("barbell", "dumbbells")
    assert user.onboarded and user.awaiting is None
    [reminder] = await _pending(bot, 5001)
    assert reminder.local_date.weekday() in (1, 4)
    local = reminder.due_at.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert (local.hour, local.minute) == (7, 30)

    # /start again shows the settings, wiping nothing.
    await ann.send("/start")
    again = await ann.reply()
    assert "Welcome back, Ann!" in (again.text or "")
    assert "Training days: Tuesday & Friday" in (again.text or "")
    assert (await stored_user(bot, 5001)).reminder_time == time(7, 30)


async def test_onboarding_by_typing_with_a_typo_and_bad_answers(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    bob = fake.user(5002, "Bob <i>", language_code="en")
    await bob.send("/start")
    assert "Hi Bob &lt;i&gt;!" in (await bob.reply()).html
    await bob.send("pounds")
    zone = await bob.reply()
    assert zone.keyboard() == [["📍 Share my location"], ["Skip"]], "no guess from plain English"
    await bob.send("Amsterdm")
    offer = await bob.reply()
    assert "Did you mean" in (offer.text or "")
    await bob.tap("Amsterdam (Europe/Amsterdam)")
    confirmed, _days = await bob.replies(2)
    assert "Europe/Amsterdam" in (confirmed.text or "")
    await bob.send("Mon Tue")
    assert "too little rest" in ((await bob.reply()).text or "")
    await bob.send("wed sat")
    await bob.reply()
    await bob.send("25:00")
    assert "couldn't read that time" in ((await bob.reply()).text or "")
    assert (await stored_user(bot, 5002)).reminder_time == time(18, 0), "nothing half-saved"
    await bob.send("7pm")
    await bob.reply()
    await bob.send("dumbbells")
    await bob.reply()
    await bob.send("barbell")
    await bob.reply()
    await bob.send("deadlift 95, curl 40, squat 60, lunge 20")
    done = await bob.reply()
    assert "Wednesday & Saturday at 19:00" in (done.text or "")
    user = await stored_user(bot, 5002)
    assert (user.unit, user.time_zone) == ("lb", "Europe/Amsterdam")
    assert (user.day_one, user.day_two, user.reminder_time) == (2, 5, time(19, 0))
    assert (user.squat_equipment, user.lunge_equipment) == ("dumbbells", "barbell")
    db = Database(bot.settings.database_url)
    try:
        async with db.reading() as session:
            loads = (
                await session.execute(select(ExerciseLoad).where(ExerciseLoad.user_id == 5002))
            ).scalars()
            grams = {row.exercise: row.load_grams for row in loads}
    finally:
        await db.dispose()
    assert grams["deadlift"] == 43_091  # 95 lb
    assert set(grams) == {"deadlift", "leg_curl", "squat", "lunge"}
    # After onboarding, plain text is not taken as an answer any more.
    await bob.send("hello")
    assert "/start_workout" in ((await bob.reply()).text or "")


async def test_shared_location_sets_the_zone_and_skipping_keeps_defaults(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    cy = fake.user(5003, "Cy")
    await cy.send("/start")
    await cy.reply()
    await cy.tap("Skip")
    await cy.reply()
    await cy.send_location(40.7128, -74.0060)  # New York
    confirmed, _days = await cy.replies(2)
    assert "America/New_York" in (confirmed.text or "")
    for _ in range(5):
        await cy.tap("Skip")
        await cy.reply()
    user = await stored_user(bot, 5003)
    assert (user.unit, user.time_zone, user.day_one, user.day_two) == (
        "kg",
        "America/New_York",
        0,
        3,
    )
    assert user.onboarded
    assert len(await _pending(bot, 5003)) == 1


async def test_settings_pause_resume_and_next(bot: RunningBot, fake: FakeBotAPI) -> None:
    dee = fake.user(5004, "Dee")
    await dee.send("/start")
    await dee.reply()
    for _ in range(7):
        await dee.send("skip")
        await dee.replies(2 if _ == 1 else 1)
    await dee.send("/settings")
    shown = await dee.reply()
    assert "Reminder time: 18:00" in (shown.text or "")
    await dee.tap("Reminder time")
    await dee.reply()
    await dee.send("6:45am")
    saved = await dee.reply()
    assert "Saved." in (saved.text or "") and "Reminder time: 06:45" in (saved.text or "")
    await dee.tap("Time zone")
    asked = await dee.reply()
    assert asked.keyboard()[-1] == ["Keep as is"]
    await dee.send("Tokyo")
    confirmed, settings = await dee.replies(2)
    assert "Asia/Tokyo" in (confirmed.text or "") and "Time zone: Asia/Tokyo" in (
        settings.text or ""
    )
    [reminder] = await _pending(bot, 5004)
    assert reminder.due_at.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(6, 45)

    await dee.send("/next")
    nxt = (await dee.reply()).text or ""
    assert "Next workout:" in nxt and "06:45" in nxt

    await dee.send("/pause")
    await dee.reply()
    await dee.tap("Until I /resume")
    assert "paused" in ((await dee.reply()).text or "")
    assert await _pending(bot, 5004) == []
    back_on = datetime.now(ZoneInfo("Asia/Tokyo")).date() + timedelta(days=10)
    await dee.send(f"/pause {back_on.day} {back_on:%b}")
    assert "back on" in ((await dee.reply()).text or "")
    user = await stored_user(bot, 5004)
    assert user.paused_until == back_on and user.reminders_on
    [paused] = await _pending(bot, 5004)
    assert paused.local_date >= user.paused_until
    for argument, days in (("tomorrow", 1), ("3 days", 3)):
        await dee.send(f"/pause {argument}")
        assert "back on" in ((await dee.reply()).text or ""), argument
        tokyo_today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
        assert (await stored_user(bot, 5004)).paused_until == tokyo_today + timedelta(days=days)
    await dee.send("/pause someday")
    assert "couldn't read that date" in ((await dee.reply()).text or "")
    await dee.send("/resume")
    assert "Reminders are on. Next:" in ((await dee.reply()).text or "")
    assert (await stored_user(bot, 5004)).paused_until is None
    assert datetime.now(UTC) < (await _pending(bot, 5004))[0].due_at
