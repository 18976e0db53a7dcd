"""Progress numbers worked out from logged sets: maxes, trends, adherence, what comes next."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.program import PROGRAMME
from bot.domain.progression import Change, Why
from bot.domain.schedule import Reason
from bot.services.progress import (
    Trend,
    adherence,
    best_set,
    chart_of,
    progress_of,
    trend,
)
from bot.storage.database import Database
from bot.storage.progress import PastSet
from tests.factories import add_user, add_workout, set_next_load

TODAY = date(2025, 6, 11)  # a Wednesday
NOW = datetime(2025, 6, 11, 9, 0, tzinfo=UTC)
DAYS = [
    date(2025, 4, 3),
    date(2025, 5, 15),
    date(2025, 5, 19),
    date(2025, 5, 22),
    date(2025, 5, 26),
    date(2025, 5, 27),  # one day after the last: the rest was skipped
    date(2025, 6, 2),
    date(2025, 6, 5),
    date(2025, 6, 9),
]


def test_trend_needs_two_workouts_in_the_window() -> None:
    sessions = [(date(2025, 4, 3), 46_667), (date(2025, 5, 15), 53_333), (TODAY, 56_000)]
    assert trend(sessions, TODAY, 4) == Trend(4, 2_667, date(2025, 5, 15))
    assert trend(sessions, TODAY, 12) == Trend(12, 9_333, date(2025, 4, 3))
    assert trend(sessions[:1], TODAY, 4) == Trend(4, None, None)
    assert trend(sessions[-1:], TODAY, 4) == Trend(4, None, TODAY)


def test_adherence_counts_weeks_streak_and_rest_days() -> None:
    kept = adherence(DAYS, TODAY)
    # Full weeks from 12 May: 1 + 2 + 2 + 2 = 7 workouts in 4 weeks; this week 1 so far.
    assert (kept.full_weeks, kept.workouts_in_full_weeks, kept.this_week) == (4, 7, 1)
    # Weeks of 19 May, 26 May and 2 June had both; this week is still open.
    assert kept.streak_weeks == 3
    # 8 gaps in the last 12 weeks; 26 -> 27 May broke the two rest days.
    assert (kept.gaps, kept.gaps_rested) == (8, 7)


def test_adherence_of_a_beginner_counts_only_weeks_since_the_first_workout() -> None:
    kept = adherence([date(2025, 6, 9)], TODAY)
    assert (kept.full_weeks, kept.this_week, kept.streak_weeks, kept.gaps) == (0, 1, 0, 0)
    assert adherence([], TODAY).full_weeks == 0


def test_best_lunge_set_counts_the_weaker_leg() -> None:
    sets = [
        PastSet(1, date(2025, 6, 2), "lunge", 1, 12, 8, 10_000),  # counts as 8
        PastSet(2, date(2025, 6, 5), "lunge", 1, 10, 10, 10_000),
    ]
    assert best_set(sets).on == date(2025, 6, 5)


async def test_progress_from_logged_sets(db: Database) -> None:
    await add_user(db, 1, days=(0, 3))
    loads = {date(2025, 4, 3): (10, 35_000), date(2025, 5, 15): (10, 40_000)}
    for day in DAYS:
        reps, load = loads.get(day, (11, 40_000))
        if day == date(2025, 6, 9):
            reps = 12
        await add_workout(db, 1, day, {"deadlift": [(reps, load), (reps, load), (9, load)]})
    await add_workout(db, 1, date(2025, 6, 10), {}, status="abandoned")
    await set_next_load(db, 1, "deadlift", 42_500, "up", "top_of_range")

    report = await progress_of(db, 1, NOW)
    assert report is not None
    assert report.finished == 9
    (deadlift,) = report.exercises
    assert deadlift.workouts == 9
    assert deadlift.working_load_grams == 40_000
    assert (deadlift.best.reps, deadlift.best.load_grams) == (12, 40_000)
    assert deadlift.best.on == date(2025, 6, 9)
    assert deadlift.one_rep_max_grams == 56_000  # 40 × (1 + 12/30)
    four, twelve = deadlift.trends
    assert four == Trend(4, 56_000 - 53_333, date(2025, 5, 15))
    assert twelve == Trend(12, 56_000 - 46_667, date(2025, 4, 3))
    assert deadlift.next_load is not None
    assert deadlift.next_load.load_grams == 42_500
    assert (deadlift.next_load.change, deadlift.next_load.why) == (Change.UP, Why.TOP_OF_RANGE)
    # Only the deadlift each time: 3 of 12 sets, under half, so none counts towards four sets.
    assert report.sets_now == 3
    assert report.workouts_to_more_sets == PROGRAMME.workouts_before_more_sets
    assert report.adherence.streak_weeks == 3
    # Monday and Thursday are the user's days: Thursday 12 June is next.
    assert report.next_training.day == date(2025, 6, 12)
    assert report.next_training.reason is Reason.USUAL_DAY


async def test_nothing_to_report_before_the_first_workout(db: Database) -> None:
    assert await progress_of(db, 5, NOW) is None
    await add_user(db, 5)
    assert await progress_of(db, 5, NOW) is None
    assert await chart_of(db, 5) is None
    await add_workout(db, 5, date(2025, 6, 9), {"squat": [(10, 20_000)]}, status="active")
    assert await progress_of(db, 5, NOW) is None, "a workout still running doesn't count yet"


async def test_chart_has_one_line_per_exercise_with_the_working_loads(db: Database) -> None:
    await add_user(db, 2, unit="lb")
    await add_workout(db, 2, date(2025, 6, 2), {"squat": [(12, 20_000), (8, 18_000)]})
    await add_workout(db, 2, date(2025, 6, 5), {"squat": [(10, 22_000)], "lunge": [(10, 9, 8_000)]})
    await add_user(db, 3)
    await add_workout(db, 3, date(2025, 6, 5), {"deadlift": [(10, 99_000)]})
    chart = await chart_of(db, 2)
    assert chart is not None
    assert [line.exercise.slug for line in chart.lines] == ["squat", "lunge"]
    squat = chart.lines[0]
    assert [(p.day, p.load_grams) for p in squat.points] == [
        (date(2025, 6, 2), 20_000),
        (date(2025, 6, 5), 22_000),
    ]
    assert squat.best.load_grams == 22_000  # 10 × 22 beats 12 × 20 on Epley
