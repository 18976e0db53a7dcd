"""SQLite statements run on the event loop's thread, through SQLAlchemy's aiosqlite dialect.

aiosqlite runs SQLite in a worker thread, and SQLAlchemy's adapter crosses to it and back for
every cursor step (open, execute, fetch, close) and for every commit: about twenty crossings
for one logged set. Each waits for the event loop to come round again, so under load a
transaction takes as many loop turns as it has crossings, and every other writer queues
behind it. A statement on a local WAL database takes tens of microseconds, so this adapter
runs it right where it is asked for, and a transaction holds the write turn for a fraction
of a millisecond.

What makes that safe: writers of one process take turns before they begin (see
`Database.writing`), so a statement never waits on a lock held by this process, and readers
never wait in WAL mode. The connection's busy timeout is 0, so a statement that meets a lock
held by another process (a migration, a backup) fails at once instead of blocking the loop;
it is then run again in aiosqlite's thread with the real busy timeout, and the bot waits
there, as it always did.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

_T = TypeVar("_T")


class _Finished:
    """What a closed sqlite3 cursor leaves behind, as the DBAPI cursor attributes."""

    __slots__ = ("description", "lastrowid", "rowcount")

    def __init__(self, description: Any, rowcount: int, lastrowid: int | None) -> None:
        self.description = description
        self.rowcount = rowcount
        self.lastrowid = lastrowid


def _is_busy(error: Exception) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
        or "database is locked" in str(error)
    )


def _execute(
    connection: sqlite3.Connection, operation: Any, parameters: Any, many: bool
) -> tuple[_Finished, list[Any]]:
    """The whole life of one sqlite3 cursor: what it found, and its rows."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters if parameters is not None else ())
        rows = cursor.fetchall() if cursor.description else []
        return _Finished(cursor.description, cursor.rowcount, cursor.lastrowid), rows
    finally:
        cursor.close()


def _waiting(busy_timeout_ms: int, work: Callable[[], _T], connection: sqlite3.Connection) -> _T:
    """In aiosqlite's thread: `work`, waiting up to the busy timeout for another's lock."""
    connection.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    try:
        return work()
    finally:
        connection.execute("PRAGMA busy_timeout=0")


class _InlineCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # Nothing is opened here: each execute opens, uses and closes its own sqlite3 cursor.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = _Finished(None, -1, None)  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        adapted = self._adapt_connection
        try:
            connection = self._connection._conn
            try:
                finished, rows = _execute(connection, operation, parameters, many)
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                # Another process holds the lock: wait for it off the loop.
                work = partial(_execute, connection, operation, parameters, many)
                finished, rows = await_(
                    self._connection._execute(
                        _waiting, adapted.dbapi.busy_timeout_ms, work, connection
                    )
                )
        except Exception as error:
            adapted._handle_exception(error)
        self._cursor = finished  # type: ignore[assignment]
        self._rows = collections.deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        pass  # nothing stays open between statements

    def close(self) -> None:
        self._rows.clear()


class _InlineConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _InlineCursor  # type: ignore[assignment]

    def commit(self) -> None:
        self._end(sqlite3.Connection.commit)

    def rollback(self) -> None:
        self._end(sqlite3.Connection.rollback)

    def _end(self, how: Callable[[sqlite3.Connection], None]) -> None:
        try:
            connection = self._connection._conn
            try:
                how(connection)
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                work = partial(how, connection)
                await_(
                    self._connection._execute(
                        _waiting, self.dbapi.busy_timeout_ms, work, connection
                    )
                )
        except Exception as error:
            self._handle_exception(error)


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """Pass as `module=` to `create_async_engine` for an `sqlite+aiosqlite` URL, and set each
    connection's `PRAGMA busy_timeout=0`: the wait happens in the thread, `busy_timeout_ms`."""

    def __init__(self, busy_timeout_ms: int) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.busy_timeout_ms = busy_timeout_ms

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        # The sqlite3 connection is made in aiosqlite's thread and used from the loop's.
        kw["check_same_thread"] = False
        adapted = super().connect(*arg, **kw)
        return _InlineConnection(self, adapted._connection)
