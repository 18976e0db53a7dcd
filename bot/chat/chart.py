"""The progress chart: load over time, one line per exercise, the best set marked.

matplotlib is imported only when a chart is drawn, so the bot starts fast, and drawing runs in
a worker thread (`render_chart`), so the event loop keeps answering other users meanwhile.
Only the Figure API is used: no pyplot, no global figure state.
"""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import timedelta

from bot import i18n
from bot.chat.loads import loadable_on
from bot.chat.names import exercise_name
from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.units import DEFAULT_STEPS, Equipment, in_unit
from bot.i18n import _
from bot.services.progress import ChartData

# Square, phone-sized: 1080 × 1080 pixels.
SIZE_INCHES = 7.2
DPI = 150
MIN_SPAN_DAYS = 14
# One colour per exercise, in programme order (matplotlib's tab10: distinct for ten lifts).
COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

# matplotlib's font cache and text layout are shared; one drawing at a time is plenty.
_drawing = threading.Lock()


def _colour(exercise: Exercise) -> str:
    """Each lift keeps its colour from chart to chart: the one of its place in the programme."""
    place = (
        program.PROGRAMME.position(exercise.slug) if program.PROGRAMME.holds(exercise.slug) else 0
    )
    return COLOURS[(place - 1) % len(COLOURS)]


def _label(name: str, equipment: Equipment) -> str:
    if equipment is Equipment.DUMBBELLS:
        return _("%(exercise)s (each dumbbell)", exercise=name)
    return name


def draw_chart(data: ChartData, language: str = i18n.ENGLISH) -> bytes:
    """The chart as PNG bytes (blocking: call it through `render_chart`), its words in
    `language` (a worker thread does not see the update's language)."""
    with i18n.speaking(language):
        return _draw_chart(data)


def _draw_chart(data: ChartData) -> bytes:
    import matplotlib
    import numpy

    matplotlib.use("Agg")
    from matplotlib.dates import AutoDateLocator, date2num, num2date
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    unit = data.unit
    with _drawing:
        figure = Figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI, layout="constrained")
        axes = figure.add_subplot()
        for line in data.lines:
            colour = _colour(line.exercise)
            days = numpy.array([point.day for point in line.points], dtype="datetime64[D]")
            loads = [float(in_unit(point.load_grams, unit)) for point in line.points]
            axes.plot(
                days,
                loads,
                color=colour,
                linewidth=2.5,
                marker="o" if len(days) <= 40 else None,
                markersize=5,
                label=_label(exercise_name(line.exercise.slug), line.equipment),
            )
            best = line.best
            best_shown = loadable_on(best.load_grams, unit, DEFAULT_STEPS[unit][line.equipment])
            best_load = float(in_unit(best.load_grams, unit))
            axes.plot(
                numpy.array([best.on], dtype="datetime64[D]"),
                [best_load],
                marker="*",
                markersize=20,
                color=colour,
                markeredgecolor="black",
                linestyle="none",
            )
            reps = (
                f"{best.reps}/{best.reps_other_leg}"
                if best.reps_other_leg is not None and best.reps_other_leg != best.reps
                else f"{best.reps}"
            )
            axes.annotate(
                _(
                    "best %(reps)s×%(load)s",
                    reps=reps,
                    load=i18n.current().amount(in_unit(best_shown, unit)),
                ),
                (numpy.datetime64(best.on, "D"), best_load),
                textcoords="offset points",
                xytext=(0, 12),
                ha="center",
                fontsize=11,
                color=colour,
            )
        first = min(point.day for line in data.lines for point in line.points)
        last = max(point.day for line in data.lines for point in line.points)
        if (last - first).days < MIN_SPAN_DAYS:  # a few days only: still a calendar, not hours
            pad = (MIN_SPAN_DAYS - (last - first).days) // 2
            axes.set_xlim(
                date2num(first - timedelta(days=pad)),  # type: ignore[no-untyped-call]
                date2num(last + timedelta(days=pad + 1)),  # type: ignore[no-untyped-call]
            )
        locator = AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        language = i18n.current()
        # Dates in the user's locale ("1 Dec", "1. Dez.", "1 дек."), not the process's.
        axes.xaxis.set_major_formatter(
            FuncFormatter(
                lambda value, _position: language.month_day(num2date(value).date())  # type: ignore[no-untyped-call]
            )
        )
        axes.tick_params(labelsize=12)
        axes.set_ylabel(_("Load (%(unit)s)", unit=i18n.current().unit(unit)), fontsize=14)
        axes.set_title(_("Working load per workout  ★ best set"), fontsize=15)
        axes.grid(True, alpha=0.3)
        axes.margins(x=0.05, y=0.15)
        axes.legend(loc="best", fontsize=11, framealpha=0.8)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


async def render_chart(data: ChartData) -> bytes:
    return await asyncio.to_thread(draw_chart, data, i18n.current().tag)
