"""Coaching as the programme says, end to end: heavier within the workout, "12 easy", workouts
left behind, the switch to four sets, and cues at a glance."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from bot.domain.program import PROGRAMME
from bot.storage.database import Database
from bot.storage.models import ExerciseLoad, LoggedSet, Workout
from tests.clock import day_text, next_weekday
from tests.e2e.harness import RunningBot, reading
from tests.factories import add_user, add_workout
from tests.fakes.bot_api import BotMessage, FakeBotAPI, FakeUser

WEDNESDAY = 2


def text_of(message: BotMessage) -> str:
    return message.text or ""


def cue_line(prompt: BotMessage) -> str:
    return text_of(prompt).splitlines()[-1]


async def start(user: FakeUser) -> BotMessage:
    """Starts a workout; returns the first set's prompt."""
    await user.send("/start_workout")
    card, prompt = await user.changes(2)
    assert "1/4" in text_of(card)
    return prompt


async def workouts_of(bot: RunningBot, user_id: int) -> list[Workout]:
    async with reading(bot.settings.database_url) as session:
        query = select(Workout).where(Workout.user_id == user_id).order_by(Workout.id)
        return list((await session.execute(query)).scalars())


# --- §1: heavier within the workout ----------------------------------------------------------


async def test_a_set_past_the_range_or_twelve_easy_means_heavier_for_the_next_set(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(9101, "Ann")
    await start(ann)
    await ann.send("13 x 40")
    live = await ann.changed()
    # One bar step up, as under 8 is one step down.
    assert "go up to 42.5 kg for the next set" in text_of(live)
    assert "Set 2 of 3 · 8–12 reps · 42.5 kg" in text_of(live)
    await ann.send("12 easy")
    live = await ann.changed()
    assert "go up to 45 kg" in text_of(live)
    assert "Set 3 of 3 · 8–12 reps · 45 kg" in text_of(live)
    # 12 that wasn't easy stays put.
    await ann.send("/undo")
    await ann.changes(2)
    await ann.send("12")
    live = await ann.changed()
    assert "Set 3 of 3 · 8–12 reps · 42.5 kg" in text_of(live)
    assert "45 kg" not in text_of(live)


# --- §4: "12 easy" answers the effort question -----------------------------------------------


async def test_an_effort_typed_with_the_last_set_answers_the_effort_question(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(9102, "Ann")
    await start(ann)
    for reply in ("10 x 40", "10"):
        await ann.send(reply)
        await ann.changed()
    await ann.send("11 hard")
    done, card, prompt = await ann.changes(3)
    assert "✅ Set 3 · 11 × 40 kg" in text_of(done) and done.buttons() == []
    assert "2/4 · Lying leg curl" in text_of(card) and "Set 1 of 3" in text_of(prompt)
    assert not any("2 more reps" in text_of(m) for m in ann.messages)
    async with reading(bot.settings.database_url) as session:
        efforts = await session.execute(
            select(LoggedSet.set_number, LoggedSet.effort).where(LoggedSet.user_id == ann.id)
        )
        assert sorted(tuple(row) for row in efforts.all()) == [(1, None), (2, None), (3, "hard")]


# --- §5: workouts left behind ----------------------------------------------------------------


async def test_a_workout_left_for_days_is_closed_on_its_day_and_a_fresh_one_starts(
    bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(9103, "Ann")
    trained = next_weekday(datetime.now(UTC), WEDNESDAY, time(18, 0))
    clock.move_to(trained)
    await start(ann)
    for reply in ("12 x 40", "12", "12"):
        await ann.send(reply)
        await ann.changed()
    last_set = datetime.now(UTC)
    clock.shift(timedelta(days=3))
    await ann.send("/start_workout")
    folded, closed, card, prompt = await ann.changes(4)
    assert folded.buttons() == [] and "✅ Set 3 · 12 × 40 kg" in text_of(folded)
    assert day_text(trained.date()) in text_of(closed) and "3 sets" in text_of(closed)
    assert "Straight-leg deadlift: 12 × 40 kg" in text_of(closed)
    assert "1/4 · Straight-leg deadlift" in text_of(card) and "Set 1 of 3" in text_of(prompt)
    old, new = await workouts_of(bot, ann.id)
    assert old.status == "finished" and old.local_date == trained.date()
    assert old.finished_at is not None and abs(old.finished_at - last_set) < timedelta(minutes=1)
    assert new.status == "active" and new.local_date == trained.date() + timedelta(days=3)
    # Closed as a finish would: the next load learned from it (12 every set: heavier).
    async with reading(bot.settings.database_url) as session:
        load = await session.get(ExerciseLoad, (ann.id, "deadlift"))
        assert load is not None and load.load_grams == 42_500


async def test_three_hours_without_a_set_close_the_workout_and_an_empty_one_is_dropped(
    bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(9104, "Ann")
    clock.move_to(next_weekday(datetime.now(UTC), WEDNESDAY, time(9, 0)))
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    clock.shift(timedelta(hours=2, minutes=59))
    await ann.send("10")  # still the same workout
    await ann.changed()
    clock.shift(timedelta(hours=3))
    await ann.send("10")
    _folded, closed, refused = await ann.changes(3)
    assert "2 sets" in text_of(closed) and "No workout is running" in text_of(refused)
    [workout] = await workouts_of(bot, ann.id)
    assert workout.status == "finished"

    clock.shift(timedelta(days=3))
    await start(ann)
    clock.shift(timedelta(hours=4))
    await start(ann)  # nothing was logged: dropped without a word, a fresh one starts
    statuses = [w.status for w in await workouts_of(bot, ann.id)]
    assert statuses == ["finished", "abandoned", "active"]


async def test_a_workout_left_past_local_midnight_is_closed(
    bot: RunningBot, fake: FakeBotAPI, db: Database, clock: time_machine.Traveller
) -> None:
    await add_user(db, 9105, first_name="Kai", time_zone="Asia/Tokyo")
    kai = fake.user(9105, "Kai")
    # 23:00 in Tokyo; an hour later the day is over, though 3 hours have not passed.
    evening = next_weekday(datetime.now(UTC), WEDNESDAY, time(14, 0))
    clock.move_to(evening)
    await start(kai)
    await kai.send("10 x 40")
    await kai.changed()
    clock.shift(timedelta(hours=1, minutes=5))
    await kai.send("/start_workout")
    closed = await kai.reply()
    assert "1 set you logged" in text_of(closed)
    [old, *_] = await workouts_of(bot, kai.id)
    assert old.status == "finished" and old.local_date == (evening + timedelta(hours=9)).date()


async def test_a_workout_left_behind_is_closed_even_if_the_user_never_comes_back(
    bot: RunningBot, fake: FakeBotAPI, clock: time_machine.Traveller
) -> None:
    ann = fake.user(9108, "Ann")
    clock.move_to(next_weekday(datetime.now(UTC), WEDNESDAY, time(9, 0)))
    await start(ann)
    await ann.send("10 x 40")
    await ann.changed()
    clock.shift(timedelta(hours=3, minutes=10))
    closed = await ann.reply(timeout=10)  # the sweep's, nothing sent by her
    assert "1 set you logged" in text_of(closed) and closed.buttons() == [["📈 Chart"]]
    assert ann.with_set_buttons() == []  # the live message folded before the summary
    [workout] = await workouts_of(bot, ann.id)
    assert workout.status == "finished"
    await ann.send("/start_workout")  # trained today: the rest-day guard speaks, no resume
    assert (await ann.reply()).buttons() == [["Train anyway", "I'll rest"]]


# --- §5: the switch from three sets to four --------------------------------------------------


async def test_only_workouts_with_half_their_sets_count_towards_four_sets(
    bot: RunningBot, fake: FakeBotAPI, db: Database, clock: time_machine.Traveller
) -> None:
    await add_user(db, 9106, first_name="Ann")
    ann = fake.user(9106, "Ann")
    today = datetime.now(UTC).date()
    half = {"deadlift": [(10, 40_000)] * 3, "leg_curl": [(10, 30_000)] * 3}
    for n in range(PROGRAMME.workouts_before_more_sets - 1):
        await add_workout(db, ann.id, today - timedelta(days=4 * (n + 2)), half)
    # One short of half its sets: does not count.
    short = {"deadlift": [(10, 40_000)] * 3, "leg_curl": [(10, 30_000)] * 2}
    await add_workout(db, ann.id, today - timedelta(days=4), short)

    prompt = await start(ann)
    assert "Set 1 of 3" in text_of(prompt)
    for _ in range(2):  # deadlift and leg curl
        for reply in ("10 x 40", "10", "10 ok"):
            await ann.send(reply)
            await ann.changes(3 if reply.endswith("ok") else 1)
    await ann.send("/end")
    _folded, summary = await ann.changes(2)
    assert "Workout done" in text_of(summary)
    assert "4 sets of each exercise" in text_of(summary)

    clock.shift(timedelta(days=4))
    await ann.send("/start_workout")
    card, prompt = await ann.changes(2)
    assert "4 sets × 8–12 reps" in text_of(card) and "4 sets of each exercise" in text_of(card)
    assert "Set 1 of 4" in text_of(prompt)
    await ann.send("10 x 40")
    await ann.changed()
    await ann.send("/end")
    await ann.changes(2)
    clock.shift(timedelta(days=4))
    await ann.send("/start_workout")
    card, _ = await ann.changes(2)
    assert "4 sets × 8–12 reps" in text_of(card)
    assert "4 sets of each exercise" not in text_of(card)  # said once


# --- §6: cues at a glance --------------------------------------------------------------------


async def test_cards_carry_the_key_cue_and_only_the_users_set_up(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(9107, "Ann")
    await ann.send("/start_workout")
    card, prompt = await ann.changes(2)
    assert "Knees and back straight" in text_of(card) and "parallel" in text_of(card)
    cues = [cue_line(prompt)]
    for reply in ("10 x 40", "10"):
        await ann.send(reply)
        prompt = await ann.changed()
        cues.append(cue_line(prompt))
    # One short cue per set, a different one each time, the first prompt included.
    deadlift = PROGRAMME.exercise("deadlift").cues
    assert cues == [deadlift.for_set(n) for n in (1, 2, 3)]
    assert len(set(cues)) == 3, cues
    await ann.send("10 easy")
    await ann.changes(3)
    await ann.send("/skip")
    _folded, card, _ = await ann.changes(3)
    assert "3/4 · Squat" in text_of(card) and "barbell" in text_of(card)
    assert "dumbbell" not in text_of(card).lower()  # the set-up for her bar only
