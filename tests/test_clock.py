"""The coach's clock: real UTC time, moved forward only by the demo clock of `coach-bot try`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import clock
from bot.chat.common import now


@pytest.fixture(autouse=True)
def real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_ahead", timedelta(0))


def test_the_coach_reads_real_time_until_the_demo_clock_moves_it() -> None:
    assert abs(now() - datetime.now(UTC)) < timedelta(seconds=1)
    clock.move_forward(timedelta(days=2))
    assert clock.ahead() == timedelta(days=2)
    assert abs(now() - datetime.now(UTC) - timedelta(days=2)) < timedelta(seconds=1)


def test_the_coach_clock_never_goes_back() -> None:
    with pytest.raises(ValueError, match="only moves forward"):
        clock.move_forward(timedelta(seconds=-1))
    assert clock.ahead() == timedelta(0)
