"""The coach's clock: UTC now, plus an offset that only `coach-bot try`'s demo clock moves.

Everything in the bot that asks what time it is comes here (through bot.chat.common.now), so
a demo can show a reminder days ahead without waiting for it. In production the offset is
always zero.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_ahead = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC) + _ahead


def ahead() -> timedelta:
    """How far the coach's clock is ahead of the real one."""
    return _ahead


def move_forward(by: timedelta) -> None:
    """Move the coach's clock forward (never back: stored instants must stay in order)."""
    global _ahead
    if by < timedelta(0):
        raise ValueError("the coach's clock only moves forward")
    _ahead += by
