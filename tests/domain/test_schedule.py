from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import (
    VALID_PAIRS,
    NextTraining,
    Reason,
    earliest_after_rest,
    is_valid_pair,
    next_training_day,
    too_soon,
)

MON = date(2025, 6, 2)  # a Monday
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))
NEXT_MON = MON + timedelta(days=7)
MON_THU = (0, 3)


def week(day: date) -> tuple[int, int]:
    return day.isocalendar()[:2]


# --- preferred days -----------------------------------------------------------------------


def test_valid_pairs_leave_two_rest_days_both_ways() -> None:
    assert VALID_PAIRS == ((0, 3), (0, 4), (1, 4), (1, 5), (2, 5), (2, 6), (3, 6))


@pytest.mark.parametrize(
    ("days", "valid"),
    [
        ([0, 3], True),
        ([3, 0], True),
        ([1, 4], True),
        ([0, 4], True),
        ([3, 6], True),
        ([0, 6], False),  # Sunday then Monday: no rest
        ([0, 2], False),
        ([0, 5], False),  # Saturday to Monday is one rest day
        ([0, 0], False),
        ([0], False),
        ([0, 3, 5], False),
        ([0, 7], False),
    ],
)
def test_is_valid_pair(days: list[int], valid: bool) -> None:
    assert is_valid_pair(days) is valid


def test_invalid_preferred_days_are_refused() -> None:
    with pytest.raises(ValueError):
        next_training_day([0, 1], [], MON)


# --- next training day --------------------------------------------------------------------


def test_new_user_starts_on_the_next_preferred_day() -> None:
    assert next_training_day(MON_THU, [], MON) == NextTraining(MON, Reason.USUAL_DAY, None)
    assert next_training_day(MON_THU, [], TUE) == NextTraining(THU, Reason.USUAL_DAY, None)


def test_usual_week() -> None:
    assert next_training_day(MON_THU, [MON], MON) == NextTraining(THU, Reason.USUAL_DAY, None)
    assert next_training_day(MON_THU, [MON], TUE) == NextTraining(THU, Reason.USUAL_DAY, None)
    done = [MON, THU]
    assert next_training_day(MON_THU, done, FRI) == NextTraining(NEXT_MON, Reason.USUAL_DAY, None)


def test_missed_day_is_made_up_as_soon_as_rest_allows() -> None:
    last_thursday = MON - timedelta(days=4)
    assert next_training_day(MON_THU, [last_thursday], TUE) == NextTraining(
        TUE, Reason.MAKE_UP, MON
    )
    # The make-up pushes Thursday to Friday, then Monday is back on.
    done = [last_thursday, TUE]
    assert next_training_day(MON_THU, done, WED) == NextTraining(FRI, Reason.AFTER_REST, TUE)
    done.append(FRI)
    assert next_training_day(MON_THU, done, SAT) == NextTraining(NEXT_MON, Reason.USUAL_DAY, None)


def test_make_up_waits_for_rest_when_needed() -> None:
    # Trained Saturday off-schedule: Monday is blocked by rest, so Tuesday, pushed by Saturday.
    last_saturday = MON - timedelta(days=2)
    assert next_training_day(MON_THU, [last_saturday], MON) == NextTraining(
        TUE, Reason.AFTER_REST, last_saturday
    )


def test_long_absence_makes_up_today() -> None:
    assert next_training_day(MON_THU, [date(2025, 4, 1)], WED) == NextTraining(
        WED, Reason.MAKE_UP, MON
    )


def test_off_schedule_workout_pushes_the_next() -> None:
    # Skipped Monday, trained Wednesday instead: Thursday moves to Saturday.
    last_thursday = MON - timedelta(days=4)
    assert next_training_day(MON_THU, [last_thursday, WED], WED) == NextTraining(
        SAT, Reason.AFTER_REST, WED
    )


def test_push_crosses_into_the_next_week() -> None:
    # Thursday + Sunday: an extra Friday workout pushes Sunday to Monday, then Thursday as usual.
    thu_sun = (3, 6)
    assert next_training_day(thu_sun, [FRI], SAT) == NextTraining(NEXT_MON, Reason.AFTER_REST, FRI)
    assert next_training_day(thu_sun, [FRI, NEXT_MON], NEXT_MON) == NextTraining(
        NEXT_MON + timedelta(days=3), Reason.USUAL_DAY, None
    )


def test_never_three_in_a_calendar_week() -> None:
    # Monday and an extra Wednesday: Saturday would be the third, so next Monday.
    assert next_training_day(MON_THU, [MON, WED], THU) == NextTraining(
        NEXT_MON, Reason.USUAL_DAY, None
    )
    # Tuesday + Friday user who trained Tuesday and Thursday: Friday's slot is dropped.
    assert next_training_day((1, 4), [TUE, THU], FRI) == NextTraining(
        NEXT_MON + timedelta(days=1), Reason.USUAL_DAY, None
    )


def test_earliest_after_rest_leaves_two_full_days() -> None:
    assert earliest_after_rest(MON) == THU


def test_too_soon() -> None:
    assert too_soon([], MON) is None
    assert too_soon([MON], WED) == THU
    assert too_soon([MON], THU) is None
    assert too_soon([MON], MON) == THU  # already trained today
    assert too_soon([MON, WED], SAT) == NEXT_MON  # the week has its two


# --- properties ---------------------------------------------------------------------------

ACTIONS = st.sampled_from(["follow"] * 6 + ["miss"] * 2 + ["extra"])


@settings(max_examples=300, deadline=None)
@given(
    preferred=st.sampled_from(VALID_PAIRS),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    actions=st.lists(ACTIONS, min_size=14, max_size=120),
)
def test_schedule_keeps_rest_and_weekly_cap(
    preferred: tuple[int, int], start: date, actions: list[str]
) -> None:
    done: list[date] = []
    for offset, action in enumerate(actions):
        today = start + timedelta(days=offset)
        proposal = next_training_day(preferred, done, today)
        assert proposal.day >= today
        # The proposed day itself is always allowed.
        assert too_soon(done, proposal.day) is None
        if proposal.reason is Reason.USUAL_DAY:
            assert proposal.day.weekday() in preferred and proposal.because_of is None
        else:
            assert proposal.day.weekday() not in preferred and proposal.because_of is not None
        if proposal.reason is Reason.MAKE_UP:
            assert proposal.because_of is not None and proposal.because_of < today
            assert proposal.because_of.weekday() in preferred
        if proposal.reason is Reason.AFTER_REST:
            assert proposal.because_of == max(done)

        if proposal.day == today:
            assert too_soon(done, today) is None
            if action == "miss":
                continue
            if done:
                assert (today - done[-1]).days >= 3  # two full rest days
            done.append(today)
            assert sum(1 for d in done if week(d) == week(today)) <= 2
        elif action == "extra":
            done.append(today)  # off-schedule, the user's own choice


@settings(max_examples=300, deadline=None)
@given(
    preferred=st.sampled_from(VALID_PAIRS),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    history=st.lists(st.integers(min_value=0, max_value=3), max_size=8),
    pause=st.integers(min_value=0, max_value=20),
)
def test_schedule_returns_to_the_preferred_days(
    preferred: tuple[int, int], start: date, history: list[int], pause: int
) -> None:
    done: list[date] = []
    day = start
    for gap in history:  # any off-schedule past, even too close together
        day += timedelta(days=gap)
        done.append(day)
    today = day + timedelta(days=pause)
    reasons = []
    for _ in range(10):  # the user now follows every proposal
        proposal = next_training_day(preferred, done, today)
        reasons.append(proposal.reason)
        done.append(proposal.day)
        today = proposal.day
    assert all(r is Reason.USUAL_DAY for r in reasons[6:])
