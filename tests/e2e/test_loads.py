"""Every load the bot shows can be put on the bar: units, steps, "each", plates per side."""

from __future__ import annotations

from datetime import date

from bot.storage.database import Database
from bot.storage.models import User
from tests.e2e.harness import RunningBot
from tests.factories import add_user, add_workout, set_next_load
from tests.fakes.bot_api import FakeBotAPI

FULL = {
    "leg_curl": [(12, 30_000)] * 3,
    "squat": [(12, 20_000)] * 3,
    "lunge": [(10, 10, 8_000)] * 3,
}


async def test_a_switch_from_kg_to_lb_shows_loads_the_kit_can_make(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 9101, first_name="Kim")
    await add_workout(db, 9101, date(2025, 6, 2), {"deadlift": [(12, 52_500)] * 3, **FULL})
    await set_next_load(db, 9101, "deadlift", 55_000, "up", "top_of_range")
    kim = fake.user(9101, "Kim")
    await kim.send("/settings")
    await kim.reply()
    await kim.tap("Units")
    await kim.reply()
    await kim.tap("lb")
    shown = (await kim.reply()).text or ""
    # 55 kg is 121.25 lb: no bar and plates make that; 120 lb is the nearest 5 lb step.
    assert "deadlift 120 lb" in shown and "121.25" not in shown, shown

    await kim.send("/progress")
    report = (await kim.reply()).text or ""
    deadlift = report.split("Straight-leg deadlift")[1].split("Lying leg curl")[0]
    # 52.5 kg lifted is 115.74 lb; shown on the bar's 5 lb steps.
    assert "best set 12 × 115 lb" in deadlift and "115.74" not in deadlift, deadlift
    assert "Next time: up to 120 lb" in deadlift, deadlift

    await kim.send("/start_workout")
    _, prompt = await kim.changes(2)
    # The stored suggestion was re-rounded, and the plates for a 45 lb bar come with it.
    assert "120 lb = bar + 35 + 2.5 per side" in (prompt.text or ""), prompt.text
    # Last time's figure is shown in the user's unit too.
    assert "last time 12 × 115 lb" in (prompt.text or ""), prompt.text
    for _ in range(3):
        await kim.send("10 x 105")
        await kim.changed()
    await kim.tap("Just about")
    await kim.changes(3)
    await kim.send("/end")
    summary = (await kim.changes(2))[-1].text or ""
    assert "Volume 3150 lb" in summary, summary
    print("\n--- kg→lb user ---", shown, report, prompt.text, summary, sep="\n\n")


async def test_dumbbell_loads_say_each_and_barbell_loads_show_plates(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 9102, first_name="Ida")
    await set_next_load(db, 9102, "deadlift", 40_000, "hold", "in_range")
    await set_next_load(db, 9102, "lunge", 12_000, "hold", "in_range")
    ida = fake.user(9102, "Ida")
    await ida.send("/start_workout")
    card, prompt = await ida.changes(2)
    assert "40 kg = bar + 10 per side" in (card.text or ""), card.text
    assert "40 kg = bar + 10 per side" in (prompt.text or ""), prompt.text
    for _ in range(3):
        await ida.send("/skip")
        _folded, card, prompt = await ida.changes(3)
    assert "Lunge" in (prompt.text or "")
    assert "12 kg each" in (prompt.text or ""), prompt.text
    await ida.send("10 x 14")
    done = await ida.changed()
    assert "✅ Set 1 · 10 × 14 kg each" in (done.text or ""), done.text


async def test_the_bar_weight_is_a_setting_and_the_plates_follow_it(
    bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 9103, first_name="Ola")
    await set_next_load(db, 9103, "deadlift", 40_000, "hold", "in_range")
    ola = fake.user(9103, "Ola")
    await ola.send("/settings")
    assert "Bar: 20 kg (standard)" in ((await ola.reply()).text or "")
    await ola.tap("Bar weight")
    await ola.reply()
    await ola.tap("15 kg")
    assert "Bar: 15 kg" in ((await ola.reply()).text or "")
    await ola.send("/start_workout")
    _, prompt = await ola.replies(2)
    assert "40 kg = bar + 10 + 2.5 per side" in (prompt.text or ""), prompt.text
    await ola.send("/end")
    await ola.reply()

    await ola.tap("Bar weight")
    await ola.reply()
    await ola.send("7")  # a technique bar: no pair of plates makes 40 kg on it
    assert "Bar: 7 kg" in ((await ola.reply()).text or "")
    async with db.reading() as session:
        user = await session.get(User, 9103)
        assert user is not None and user.bar_grams == 7_000
    await ola.send("/start_workout")
    _, prompt = await ola.replies(2)
    assert "40 kg (closest with plates: 39.5 kg = bar + 15 + 1.25 per side)" in (
        prompt.text or ""
    ), prompt.text
    await ola.send("/end")
    await ola.reply()
    await ola.send("/settings")
    await ola.reply()
    await ola.tap("Bar weight")
    await ola.reply()
    await ola.send("90")
    assert "between 2 and 30 kg" in ((await ola.reply()).text or "")
