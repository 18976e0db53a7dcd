"""The chart: a PNG a phone shows well, drawn without matplotlib loading at start-up."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, timedelta

from PIL import Image

from bot.chat.chart import draw_chart, render_chart
from bot.domain.exercises import EXERCISES
from bot.domain.units import Unit
from bot.services.progress import BestSet, ChartData, ChartLine, ChartPoint


def a_year(unit: Unit) -> ChartData:
    days = [date(2024, 6, 3) + timedelta(days=7 * (n // 2) + 3 * (n % 2)) for n in range(104)]
    lines = []
    for number, exercise in enumerate(EXERCISES):
        points = tuple(
            ChartPoint(day, 10_000 * (number + 1) + 2_500 * (n // 8)) for n, day in enumerate(days)
        )
        best = BestSet(
            12, 11 if exercise.one_leg_at_a_time else None, points[-3].load_grams, days[-3]
        )
        lines.append(ChartLine(exercise, exercise.default_equipment, points, best))
    return ChartData(unit=unit, lines=tuple(lines))


async def test_a_year_of_workouts_draws_as_a_phone_sized_png() -> None:
    png = await render_chart(a_year(Unit.LB))
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.size == (1080, 1080)
    assert len(png) < 400_000


def test_a_single_workout_draws_too() -> None:
    data = a_year(Unit.KG)
    one = ChartData(
        unit=Unit.KG,
        lines=(
            ChartLine(
                data.lines[0].exercise,
                data.lines[0].equipment,
                data.lines[0].points[:1],
                BestSet(10, None, data.lines[0].points[0].load_grams, date(2024, 6, 3)),
            ),
        ),
    )
    assert Image.open(io.BytesIO(draw_chart(one))).size == (1080, 1080)


def test_starting_the_bot_does_not_load_matplotlib() -> None:
    check = "import sys, bot.app; assert 'matplotlib' not in sys.modules, 'matplotlib loaded'"
    subprocess.run([sys.executable, "-c", check], check=True, timeout=60)
