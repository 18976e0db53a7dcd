"""Shared fixtures: a pinned clock for every test, and a database per test (SQLite, and
PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy.engine import make_url

from bot.storage.database import Database
from bot.storage.migrate import upgrade

# Every test starts at this instant and the clock ticks from there, so no test depends on the
# day it runs. CI also runs the suite at awkward instants: COACH_TEST_NOW=<ISO instant>.
DEFAULT_TEST_NOW = "2026-11-25T18:00:00+00:00"  # a Wednesday evening in Europe


def pinned_instant() -> datetime:
    """The instant every test starts at (UTC when the value names no offset)."""
    value = os.environ.get("COACH_TEST_NOW") or DEFAULT_TEST_NOW
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


TEST_NOW = pinned_instant()


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """The pinned clock; tests move it forward with `clock.shift(...)` or `clock.move_to(...)`."""
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


POSTGRES_URL = os.environ.get("COACH_TEST_POSTGRES_URL")
NO_POSTGRES = "COACH_TEST_POSTGRES_URL is not set: the PostgreSQL run of this test is skipped"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(POSTGRES_URL is None, reason=NO_POSTGRES),
    ),
]


async def admin_execute(statement: str, server_url: str | None = None) -> None:
    """Runs one statement on a PostgreSQL server (COACH_TEST_POSTGRES_URL by default)."""
    import asyncpg  # type: ignore[import-untyped]

    server = server_url or POSTGRES_URL
    assert server is not None
    url = make_url(server).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def fresh_database(
    kind: str, folder: Path, server_url: str | None = None
) -> AsyncIterator[str]:
    """An empty database's URL; a PostgreSQL one is created on the server (by default
    COACH_TEST_POSTGRES_URL's), and dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'coach.db'}"
        return
    server = server_url or POSTGRES_URL
    assert server is not None
    name = f"coach_test_{uuid.uuid4().hex[:12]}"
    await admin_execute(f'CREATE DATABASE "{name}"', server)
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server)


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of each kind."""
    async with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated database."""
    database = Database(database_url)
    await upgrade(database.engine)
    try:
        yield database
    finally:
        await database.dispose()
