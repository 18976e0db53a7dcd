"""How the training is going: loads, best sets, estimated maxes, adherence, what comes next.

Only finished workouts count. The numbers are worked out here from the logged sets; the chat
layer words them and the chart draws them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain import program
from bot.domain.exercises import Exercise
from bot.domain.progression import Change, LiftedSet, LoadSuggestion, Why, epley_one_rep_max
from bot.domain.progression import working_load as progression_working_load
from bot.domain.schedule import NextTraining, earliest_after_rest
from bot.domain.units import Equipment, Unit
from bot.services.profile import Kit, equipment_for, kit_of, local_today, plan_ahead, unit_of
from bot.services.workout import workouts_towards_more_sets
from bot.storage import progress, users, workouts
from bot.storage.database import Database
from bot.storage.progress import PastSet

TREND_WEEKS = (4, 12)
RATE_WEEKS = 4  # workouts per week are counted over this many full weeks
SPACING_WEEKS = 12  # the rest-day spacing is checked over this many weeks


@dataclass(frozen=True)
class BestSet:
    reps: int
    reps_other_leg: int | None
    load_grams: int
    on: date


@dataclass(frozen=True)
class Trend:
    weeks: int
    change_grams: int | None  # None: fewer than two workouts of it in that time
    since: date | None  # the first workout of it in that time


@dataclass(frozen=True)
class ExerciseProgress:
    exercise: Exercise
    equipment: Equipment
    workouts: int
    working_load_grams: int  # last time's: the heaviest load that met the range
    best: BestSet
    one_rep_max_grams: int  # Epley, from the best set of the last workout
    trends: tuple[Trend, ...]
    next_load: LoadSuggestion | None


@dataclass(frozen=True)
class Adherence:
    full_weeks: int  # complete weeks counted (up to RATE_WEEKS, none before the first workout)
    workouts_in_full_weeks: int
    this_week: int
    streak_weeks: int  # weeks in a row with both workouts done
    gaps: int  # pairs of consecutive workouts in the last SPACING_WEEKS weeks
    gaps_rested: int  # of those, how many kept the two full rest days


@dataclass(frozen=True)
class Progress:
    unit: Unit
    kit: Kit
    finished: int
    exercises: tuple[ExerciseProgress, ...]
    adherence: Adherence
    sets_now: int
    workouts_to_more_sets: int  # 0 once the programme is at its final set count
    next_training: NextTraining


@dataclass(frozen=True)
class ChartPoint:
    day: date
    load_grams: int


@dataclass(frozen=True)
class ChartLine:
    exercise: Exercise
    equipment: Equipment
    points: tuple[ChartPoint, ...]  # the working load of each workout
    best: BestSet


@dataclass(frozen=True)
class ChartData:
    unit: Unit
    lines: tuple[ChartLine, ...]


# --- pure arithmetic -------------------------------------------------------------------------


def counted_reps(reps: int, reps_other_leg: int | None) -> int:
    """The lunge counts the weaker leg, as the progression does."""
    return min(reps, reps_other_leg) if reps_other_leg is not None else reps


def one_rep_max(logged: PastSet) -> int:
    return epley_one_rep_max(counted_reps(logged.reps, logged.reps_other_leg), logged.load_grams)


def best_set(sets: Sequence[PastSet]) -> BestSet:
    """The set with the highest estimated one-rep max; the earliest one on a tie."""
    best = max(sets, key=one_rep_max)
    return BestSet(best.reps, best.reps_other_leg, best.load_grams, best.local_date)


def by_workout(sets: Sequence[PastSet]) -> list[list[PastSet]]:
    """Sets grouped per workout, in the order given (oldest workout first)."""
    groups: dict[int, list[PastSet]] = {}
    for logged in sets:
        groups.setdefault(logged.workout_id, []).append(logged)
    return list(groups.values())


def working_load(workout_sets: Sequence[PastSet]) -> int:
    """The heaviest load at which the range was met, as progression decides; set 1's load
    only when no set reached the range."""
    lifted = [
        LiftedSet(
            s.reps if s.reps_other_leg is None else min(s.reps, s.reps_other_leg), s.load_grams
        )
        for s in workout_sets
    ]
    met = progression_working_load(lifted)
    return met if met is not None else min(workout_sets, key=lambda s: s.set_number).load_grams


def trend(sessions: Sequence[tuple[date, int]], today: date, weeks: int) -> Trend:
    """Change of the estimated max from the first workout within `weeks` to the latest one."""
    start = today - timedelta(weeks=weeks)
    recent = [(day, value) for day, value in sessions if day > start]
    if len(recent) < 2:
        return Trend(weeks, None, recent[0][0] if recent else None)
    return Trend(weeks, recent[-1][1] - recent[0][1], recent[0][0])


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def adherence(dates: Sequence[date], today: date) -> Adherence:
    """Workouts per week against the programme's two, the streak, and the rest-day spacing."""
    dates = sorted(dates)
    this_week = week_start(today)
    per_week: dict[date, int] = {}
    for day in dates:
        per_week[week_start(day)] = per_week.get(week_start(day), 0) + 1

    first_week = week_start(dates[0]) if dates else this_week
    counted_from = max(first_week, this_week - timedelta(weeks=RATE_WEEKS))
    full_weeks = max(0, (this_week - counted_from).days // 7)
    in_full_weeks = sum(n for week, n in per_week.items() if counted_from <= week < this_week)

    target = program.PROGRAMME.workouts_per_week
    week = this_week if per_week.get(this_week, 0) >= target else this_week - timedelta(weeks=1)
    streak = 0
    while per_week.get(week, 0) >= target:
        streak += 1
        week -= timedelta(weeks=1)

    since = today - timedelta(weeks=SPACING_WEEKS)
    pairs = [(a, b) for a, b in itertools.pairwise(dates) if b > since]
    rested = sum(1 for a, b in pairs if b >= earliest_after_rest(a))
    return Adherence(
        full_weeks=full_weeks,
        workouts_in_full_weeks=in_full_weeks,
        this_week=per_week.get(this_week, 0),
        streak_weeks=streak,
        gaps=len(pairs),
        gaps_rested=rested,
    )


# --- what a user can ask for -----------------------------------------------------------------


async def progress_of(db: Database, user_id: int, now: datetime) -> Progress | None:
    """The user's progress; None when they have no finished workout yet."""
    async with db.reading() as session:
        user = await users.get(session, user_id)
        if user is None:
            return None
        sets = await progress.finished_sets(session, user_id)
        if not sets:
            return None
        finished = await workouts.count_finished(session, user_id)
        counted = await workouts_towards_more_sets(session, user_id)
        known = await workouts.loads(session, user_id)
        today = local_today(user, now)
        dates_all = await workouts.finished_dates(session, user_id)
        unit = unit_of(user)

        exercises = []
        for exercise in program.PROGRAMME.exercises:
            mine = [s for s in sets if s.exercise == exercise.slug]
            if not mine:
                continue
            sessions = by_workout(mine)
            maxes = [(group[0].local_date, max(map(one_rep_max, group))) for group in sessions]
            suggestion = known.get(exercise.slug)
            next_load = (
                LoadSuggestion(
                    suggestion.load_grams, Change(suggestion.change), Why(suggestion.why)
                )
                if suggestion is not None
                else None
            )
            exercises.append(
                ExerciseProgress(
                    exercise=exercise,
                    equipment=equipment_for(user, exercise),
                    workouts=len(sessions),
                    working_load_grams=working_load(sessions[-1]),
                    best=best_set(mine),
                    one_rep_max_grams=maxes[-1][1],
                    trends=tuple(trend(maxes, today, weeks) for weeks in TREND_WEEKS),
                    next_load=next_load,
                )
            )
        return Progress(
            unit=unit,
            kit=kit_of(user),
            finished=finished,
            exercises=tuple(exercises),
            adherence=adherence(dates_all, today),
            sets_now=program.PROGRAMME.sets_per_exercise(counted),
            workouts_to_more_sets=max(0, program.PROGRAMME.workouts_before_more_sets - counted),
            next_training=plan_ahead(user, dates_all, today),
        )


async def chart_of(db: Database, user_id: int) -> ChartData | None:
    """The working load of every workout per exercise; None when there is nothing to draw."""
    async with db.reading() as session:
        user = await users.get(session, user_id)
        if user is None:
            return None
        sets = await progress.finished_sets(session, user_id)
    lines = []
    for exercise in program.PROGRAMME.exercises:
        mine = [s for s in sets if s.exercise == exercise.slug]
        if not mine:
            continue
        points = tuple(
            ChartPoint(group[0].local_date, working_load(group)) for group in by_workout(mine)
        )
        lines.append(ChartLine(exercise, equipment_for(user, exercise), points, best_set(mine)))
    if not lines:
        return None
    return ChartData(unit=unit_of(user), lines=tuple(lines))
