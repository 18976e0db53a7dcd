"""Planning reminders: the right day, the right wall-clock instant, one make-up, late sends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.reminders import plan_reminder, still_worth_sending
from bot.domain.schedule import VALID_PAIRS, Reason, reminder_instant

MON_THU = (0, 3)
# Monday 2026-11-23 ... Sunday 2026-11-29
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, 23) + timedelta(days=i) for i in range(7))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def plan(now: datetime, past: list[date] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "preferred": MON_THU,
        "at": time(18, 0),
        "zone": "UTC",
        "past": past or [],
        "now": now,
    }
    values.update(kwargs)
    return plan_reminder(**values)  # type: ignore[arg-type]


def test_today_if_the_time_is_still_ahead_else_the_next_training_day() -> None:
    assert plan(at(MON, 9)).day == MON
    assert plan(at(MON, 19)).day == THU
    assert plan(at(MON, 9), reminded={MON}).day == THU


def test_instant_is_the_local_wall_clock_time() -> None:
    planned = plan(at(MON, 9), zone="America/New_York")
    assert planned.due_at == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)


def test_trained_today_means_no_reminder_today() -> None:
    assert plan(at(MON, 9), past=[MON]).day == THU


def test_off_schedule_workout_moves_the_next_reminder() -> None:
    # Trained Tuesday: Thursday would leave one rest day, so Friday.
    planned = plan(at(TUE, 20), past=[TUE])
    assert (planned.day, planned.reason) == (FRI, Reason.AFTER_REST)


def test_a_missed_day_earns_exactly_one_make_up() -> None:
    past = [MON]
    # Thursday's reminder went out (reminded), Thursday passed unused: Friday is a make-up.
    first = plan(at(THU, 18, 1), past=past, reminded={THU})
    assert (first.day, first.reason, first.because_of) == (FRI, Reason.MAKE_UP, THU)
    # The make-up went out on Friday: no second one on Saturday, next Monday as usual.
    second = plan(at(FRI, 18, 1), past=past, reminded={THU, FRI}, made_up_on={FRI})
    assert (second.day, second.reason) == (MON + timedelta(days=7), Reason.USUAL_DAY)


def test_a_pause_earns_no_make_up() -> None:
    planned = plan(at(MON, 9), past=[MON - timedelta(days=4)], paused_until=FRI)
    assert planned.day == MON + timedelta(days=7)
    assert planned.reason is Reason.USUAL_DAY


def test_dst_keeps_the_wall_clock_time() -> None:
    # Europe/Berlin leaves summer time on Sunday 2026-10-25.
    before = plan(
        datetime(2026, 10, 19, 5, tzinfo=UTC),
        preferred=(0, 3),
        at=time(7, 30),
        zone="Europe/Berlin",
    )
    after = plan(
        datetime(2026, 10, 26, 5, tzinfo=UTC),
        preferred=(0, 3),
        at=time(7, 30),
        zone="Europe/Berlin",
    )
    assert before.due_at == datetime(2026, 10, 19, 5, 30, tzinfo=UTC)
    assert after.due_at == datetime(2026, 10, 26, 6, 30, tzinfo=UTC)


def test_late_sends_only_the_same_day_two_hours_before_midnight() -> None:
    due = at(MON, 18)
    assert still_worth_sending(due, MON, "UTC", at(MON, 18, 1))
    assert still_worth_sending(due, MON, "UTC", at(MON, 22, 0))
    assert not still_worth_sending(due, MON, "UTC", at(MON, 22, 1))
    assert not still_worth_sending(due, MON, "UTC", at(TUE, 9))
    late = at(MON, 23, 10)
    assert still_worth_sending(late, MON, "UTC", at(MON, 23, 20)), "on time, even that late"


@given(
    pair=st.sampled_from(VALID_PAIRS),
    minutes=st.integers(0, 60 * 24 * 60),
    clock=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"]),
    past_offsets=st.lists(st.integers(-30, 0), max_size=6),
)
def test_plans_are_in_the_future_on_allowed_days_at_the_local_time(
    pair: tuple[int, int], minutes: int, clock: time, zone: str, past_offsets: list[int]
) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    today = now.date()
    past = sorted({today + timedelta(days=offset) for offset in past_offsets})
    planned = plan_reminder(preferred=pair, at=clock, zone=zone, past=past, now=now)
    assert planned.due_at > now
    assert planned.due_at == reminder_instant(planned.day, clock, zone)
    if past:
        assert (planned.day - max(past)).days >= 3, "two full rest days hold"
