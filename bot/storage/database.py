"""Engine and session setup for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _prepare_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, and transactions we begin ourselves.

    pysqlite's own deferred BEGIN makes a read-then-write transaction fail with SQLITE_BUSY at
    once, whatever the busy timeout; `BEGIN IMMEDIATE` takes the write lock up front and waits.
    Reads use a plain deferred BEGIN (see `Database.reading`) so they never wait on writers.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, **kwargs)
        _prepare_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_async_engine(url, **kwargs)


class Database:
    """One engine, one session factory for writes and one for reads."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sqlite = is_sqlite(url)
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False)
        reader_engine = (
            self.engine.execution_options(sqlite_begin="DEFERRED") if self.sqlite else self.engine
        )
        self._reader = async_sessionmaker(reader_engine, expire_on_commit=False)
        self._write_turn = asyncio.Lock() if self.sqlite else None

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        if self._write_turn is None:
            async with self._writer() as session, session.begin():
                yield session
            return
        # SQLite has one writer at a time. Queueing our own writers here, in order, beats
        # letting them collide in SQLite, whose busy handler sleeps in growing steps.
        async with self._write_turn, self._writer() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
