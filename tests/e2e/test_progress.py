"""/progress and the chart, after simulated workouts and one real workout through the bot."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from PIL import Image

from bot.storage.database import Database
from tests.e2e.harness import RunningBot
from tests.factories import add_user, add_workout
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser

# Wednesday 11 June 2025, 09:00 UTC.
NOW = datetime(2025, 6, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def wednesday() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def text_of(message: BotMessage) -> str:
    return message.text or ""


async def run_workout(user: FakeUser, sets: dict[str, str]) -> BotMessage:
    """Types every set of a three-set workout; returns the summary."""
    await user.send("/start_workout")
    card, _ = await user.changes(2)
    for position, (name, reply) in enumerate(sets.items(), start=1):
        assert f"{position}/4 · {name}" in text_of(card)
        for number in (1, 2, 3):
            await user.send(reply)
            live = await user.changed()
            assert f"✅ Set {number} · " in text_of(live)
        assert "2 more reps" in text_of(live)
        await user.tap("Yes, easily")
        if position < len(sets):
            _folded, card, _ = await user.changes(3)
    _folded, summary = await user.changes(2)
    assert "Workout done" in text_of(summary)
    return summary


def decoded_png(message: BotMessage) -> Image.Image:
    assert message.kind == "photo" and message.file_bytes is not None
    image = Image.open(io.BytesIO(message.file_bytes))
    image.load()
    assert image.format == "PNG"
    return image


async def test_progress_before_any_workout_says_how_to_start(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(3000, "Ann")
    await ann.send("/progress")
    empty = await ann.reply()
    assert "No finished workouts yet" in text_of(empty) and "/start_workout" in text_of(empty)
    assert empty.buttons() == []


async def test_progress_numbers_match_the_logged_sets_and_the_chart_decodes(
    wednesday: None, bot: RunningBot, fake: FakeBotAPI, db: Database
) -> None:
    await add_user(db, 3001, first_name="Bea")
    full = {
        "leg_curl": [(12, 30_000)] * 3,
        "squat": [(12, 20_000)] * 3,
        "lunge": [(10, 10, 8_000)] * 3,
    }
    await add_workout(db, 3001, date(2025, 5, 26), {"deadlift": [(10, 40_000)] * 3, **full})
    await add_workout(db, 3001, date(2025, 5, 29), {"deadlift": [(11, 40_000)] * 3, **full})
    await add_workout(
        db, 3001, date(2025, 6, 2), {"deadlift": [(12, 40_000)] * 2 + [(11, 40_000)], **full}
    )
    await add_workout(
        db,
        3001,
        date(2025, 6, 5),
        {"deadlift": [(12, 42_500), (10, 42_500), (9, 42_500)], **full},
    )

    bea = fake.user(3001, "Bea")
    summary = await run_workout(
        bea,
        {
            "Straight-leg deadlift": "10 x 42.5",
            "Lying leg curl": "12 x 30",
            "Squat": "12 x 20",
            "Lunge": "10 x 8",
        },
    )
    assert summary.buttons() == [["📈 Chart"]]
    await bea.tap("📈 Chart", message=summary)
    assert decoded_png(await bea.reply()).size == (1080, 1080)

    await bea.send("/progress")
    report = await bea.reply()
    text = text_of(report)
    assert "5 workouts done" in text
    deadlift = text.split("Straight-leg deadlift")[1].split("Lying leg curl")[0]
    # Working load: today's first set. Best set by Epley: 12 × 42.5 kg on 5 June (59.5 kg).
    assert "Working load 42.5 kg" in deadlift
    assert "best set 12 × 42.5 kg (Thu 5 Jun)" in deadlift
    # Today's best set, 10 × 42.5 kg: 42.5 × (1 + 10/30) = 56.67 kg; on 26 May 10 × 40 kg
    # gave 53.33 kg, so the trend over both 4 and 12 weeks is +3.3 kg.
    assert "Estimated 1-rep max 56.7 kg · 4 wk: +3.3 kg · 12 wk: +3.3 kg" in deadlift
    assert "Next time: stay at 42.5 kg" in deadlift
    lunge = text.split("Lunge")[1]
    assert "Working load 8 kg each" in lunge and "best set 10 × 8 kg (Mon 26 May)" in lunge
    # Two full weeks since the first workout, both with two workouts; one so far this week.
    assert "Last 2 weeks: 4 workouts, 2 a week" in text
    assert "This week: 1 of 2 · streak: 2 weeks with both workouts" in text
    assert "Two rest days kept before 4 of 4 workouts" in text
    assert "3 sets of each exercise now; 4 sets after 1 more workout." in text
    assert "Next workout: Saturday 14 Jun" in text

    await bea.tap("📈 Chart", message=report)
    chart = await bea.reply()
    assert "in kg" in text_of(chart)
    image = decoded_png(chart)
    assert image.size == (1080, 1080) and len(chart.file_bytes or b"") < 400_000
