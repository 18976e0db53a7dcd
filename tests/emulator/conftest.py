from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import clock
from bot.tryout import TryOut


@pytest.fixture
async def tryout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[TryOut]:
    """`coach-bot try` as it runs: the coach, the emulator and its chat page, on loopback."""
    monkeypatch.setattr(clock, "_ahead", timedelta(0))  # the demo clock starts at real time
    running = TryOut(f"sqlite+aiosqlite:///{tmp_path / 'try.db'}")
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    assert running.emulator.violations == []
