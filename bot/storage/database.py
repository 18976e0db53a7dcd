"""Engine and session setup for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage.models import HandledUpdate
from bot.storage.sqlite_driver import InlineDBAPI

SQLITE_BUSY_TIMEOUT_MS = 10_000
# SQLite's page cache per connection (its default is 2 MiB). In WAL mode a connection drops
# its cache whenever another one has committed, which the bot's connections do all the time,
# so a big cache mostly holds stale pages; full, it made RSS grow with the database (about
# 7 MiB at 100k users over the pool's connections). The OS keeps the file cached anyway.
SQLITE_CACHE_KIB = 256


class AlreadyHandled(Exception):
    """This update was handled before (Telegram delivered it again): change nothing."""


@dataclass
class _Update:
    update_id: int
    # The task handling it. Context variables are copied into callbacks scheduled from a
    # handler (a JobQueue timer armed there runs its jobs in a copy), so the task is what
    # tells the handler's own writes from a job's.
    task: asyncio.Task[Any] | None
    recorded: bool = False


# The update the current task is handling (set by the chat layer's update processor).
# Built once, so SQLAlchemy finds its compiled form without rebuilding it on every update; the
# VALUES columns come from the parameters' names.
_RECORD_UPDATE = insert(cast(Table, HandledUpdate.__table__))

_handling: ContextVar[_Update | None] = ContextVar("handling", default=None)


@contextmanager
def handling_update(update_id: int) -> Iterator[None]:
    """Writes made inside record `update_id`, so that a redelivery of it changes nothing."""
    token = _handling.set(_Update(update_id, asyncio.current_task()))
    try:
        yield
    finally:
        _handling.reset(token)


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
        # 0: a statement meeting another process's lock fails at once on the event loop and
        # waits in aiosqlite's thread instead (bot.storage.sqlite_driver).
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        kwargs.setdefault("module", InlineDBAPI(SQLITE_BUSY_TIMEOUT_MS))
        engine = create_async_engine(url, **kwargs)
        _prepare_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_async_engine(url, **kwargs)


# One turn per SQLite file in this process, shared by every Database on it: statements run on
# the loop's thread (bot.storage.sqlite_driver), so a writer must never meet SQLite's lock
# held by another writer of this process.
# An asyncio lock belongs to one event loop, so the turns are kept per loop.
_write_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _write_turn(path: str) -> asyncio.Lock:
    turns = _write_turns.setdefault(asyncio.get_running_loop(), {})
    return turns.setdefault(path, asyncio.Lock())


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
        # SQLite: the file whose writers take turns; None on PostgreSQL (row locks there).
        self._file = (make_url(url).database or "") if self.sqlite else None

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        Raises AlreadyHandled, changing nothing, when the Telegram update being handled was
        already handled by an earlier delivery (on this instance or another).
        """
        update = _handling.get()
        record = (
            update is not None and not update.recorded and update.task is asyncio.current_task()
        )
        if self._file is None:
            async with self._writer() as session, session.begin():
                if record:
                    await self._record(session, update)  # type: ignore[arg-type]
                yield session
        else:
            # SQLite has one writer at a time. Queueing our own writers here, in order, beats
            # letting them collide in SQLite, whose busy handler sleeps in growing steps.
            async with _write_turn(self._file), self._writer() as session, session.begin():
                if record:
                    await self._record(session, update)  # type: ignore[arg-type]
                yield session
        if record:
            update.recorded = True  # type: ignore[union-attr]

    @staticmethod
    async def _record(session: AsyncSession, update: _Update) -> None:
        try:
            await session.execute(
                _RECORD_UPDATE, {"update_id": update.update_id, "handled_at": datetime.now(UTC)}
            )
        except IntegrityError:
            raise AlreadyHandled(update.update_id) from None

    async def forget_handled_updates(self, before: datetime) -> None:
        async with self.writing() as session:
            await session.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < before))

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
