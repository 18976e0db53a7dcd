"""The button codec: every kind round-trips, fits Telegram's 64 bytes, and junk reads as None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.chat import buttons
from bot.chat.buttons import (
    Button,
    EraseEverything,
    KeepData,
    LogCheckedSet,
    LogReps,
    LogSetsOf,
    PauseReminders,
    RateEffort,
    RestInstead,
    Setting,
    ShowChart,
    ShowCues,
    ShowHistoryPage,
    ShowPastWorkout,
    StartFromReminder,
    StopWorkout,
    TrainAnyway,
    UndoSet,
)
from bot.domain.progression import Effort

BIG_ID = 10**12 - 1  # ids are at most 12 digits
ids = st.integers(0, BIG_ID)

every_kind = st.one_of(
    st.builds(LogReps, ids, ids, st.integers(1, 100)),
    st.builds(LogSetsOf, ids, ids, st.integers(2, 6), st.integers(1, 99)),
    st.builds(
        LogCheckedSet,
        ids,
        ids,
        st.integers(1, 100),
        st.none() | st.integers(1, 100),
        st.integers(1, 500_000),
    ),
    st.builds(RateEffort, ids, ids, st.sampled_from(Effort)),
    st.builds(UndoSet, ids, ids),
    st.builds(ShowCues, st.from_regex(r"\A[a-z_]{1,32}\Z")),
    st.builds(StopWorkout, ids, st.booleans()),
    st.just(TrainAnyway()),
    st.just(RestInstead()),
    st.just(StartFromReminder()),
    st.builds(PauseReminders, st.none() | st.integers(0, 999)),
    st.just(ShowChart()),
    st.builds(ShowHistoryPage, st.integers(0, 999_999)),
    st.builds(ShowPastWorkout, ids),
    st.builds(EraseEverything, ids),
    st.just(KeepData()),
    st.builds(
        Setting,
        st.sampled_from(["ask", "skip", "unit", "zone", "days", "time", "squat", "lunge"]),
        st.from_regex(r"\A[A-Za-z0-9_/+:-]{1,40}\Z"),
    ),
)


@given(every_kind)
def test_every_button_round_trips_within_64_bytes(button: Button) -> None:
    data = buttons.encode(button)
    assert 1 <= len(data.encode()) <= buttons.MAX_BYTES
    assert buttons.decode(data) == button


def test_the_layouts_buttons_in_chats_already_carry() -> None:
    # A tag's layout never changes: these are the strings sent before the codec existed.
    assert buttons.decode("s:12:3:10") == LogReps(12, 3, 10)
    assert buttons.decode("e:12:4:easy") == RateEffort(12, 4, Effort.EASY)
    assert buttons.decode("u:12:99") == UndoSet(12, 99)
    assert buttons.decode("c:12:discard") == StopWorkout(12, keep=False)
    assert buttons.decode("o:days:0:3") == Setting("days", "0:3")
    assert buttons.decode("r:pause:off") == PauseReminders(None)


@pytest.mark.parametrize(
    "data",
    ["", "s", "s:1:2", "s:1:2:x", "s:-1:2:3", "e:1:2:meh", "c:1:maybe", "x:go", "h:p:", "o:ask"],
)
def test_anything_else_reads_as_none(data: str) -> None:
    assert buttons.decode(data) is None


def test_data_over_the_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        buttons.encode(Setting("zone", "A" * 70))
