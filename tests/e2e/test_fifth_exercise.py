"""A fifth exercise is one catalogue entry: the whole bot follows the programme value."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.domain import program
from bot.domain.exercises import Cues, Exercise
from bot.domain.units import Equipment
from bot.storage.models import LoggedSet, Workout
from tests.e2e.harness import RunningBot, reading
from tests.fakes.bot_api import FakeBotAPI

HIP_THRUST = Exercise(
    slug="hip_thrust",
    name="Hip thrust",
    muscles=("glutes",),
    helpers=("hamstrings",),
    equipment=(Equipment.BARBELL,),
    one_leg_at_a_time=False,
    cues=Cues(
        setup="Upper back on a bench, bar over your hips.",
        movement="Drive your hips up until your body is straight.",
        turnaround="Hips level with your knees and shoulders: lower slowly.",
        faults=("Arching the lower back: tuck your ribs down.",),
    ),
    aliases=("thrust", "thrusts"),
)


@pytest.fixture(autouse=True)
def five_exercises(monkeypatch: pytest.MonkeyPatch) -> None:
    five = replace(program.PROGRAMME, exercises=(*program.PROGRAMME.exercises, HIP_THRUST))
    monkeypatch.setattr(program, "PROGRAMME", five)


async def test_a_workout_runs_through_five_exercises(bot: RunningBot, fake: FakeBotAPI) -> None:
    ann = fake.user(9201, "Ann")
    await ann.send("/help")
    assert "squat, lunge and hip thrust" in ((await ann.reply()).text or "")
    await ann.send("/start_workout")
    names = [e.name for e in program.PROGRAMME.exercises]
    for position, name in enumerate(names, start=1):
        if position == 1:
            card, _prompt = await ann.changes(2)
        assert f"{position}/5 · {name}" in (card.text or "")
        await ann.send("10 x 40")  # no load known yet: reps and load
        await ann.changed()  # logged, and set 2's prompt (no rest in tests)
        await ann.tap("11")
        await ann.changed()
        await ann.tap("12")
        effort = await ann.changed()
        assert f"last set of {name}" in (effort.text or "")
        await ann.tap("Just about")
        if position < len(names):
            _folded, card, _prompt = await ann.changes(3)
    _folded, summary = await ann.changes(2)
    assert "Workout done" in (summary.text or "") and "<b>Hip thrust</b>" in summary.html
    await ann.send("/progress")
    report = await ann.reply()
    assert "Hip thrust" in (report.text or "")
    await ann.tap("📈 Chart", message=report)  # five lines, each in its own colour
    assert "in kg" in ((await ann.reply(timeout=30)).text or "")
    async with reading(bot.settings.database_url) as session:
        stored = (
            await session.execute(
                select(LoggedSet.exercise).where(LoggedSet.user_id == ann.id).order_by(LoggedSet.id)
            )
        ).scalars()
        assert list(stored) == [e.slug for e in program.PROGRAMME.exercises for _ in range(3)]
        workout = (await session.execute(select(Workout))).scalar_one()
        assert workout.status == "finished" and workout.exercise == "hip_thrust"
