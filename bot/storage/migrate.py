"""Run Alembic migrations, from the CLI or inside the running bot, on a shared connection.

Every start checks the schema, so the check is cheap: the database's revision is compared
with `HEAD`, and Alembic (about a tenth of a second to import) is loaded only when the
database is behind. Instances that start together take turns: on PostgreSQL an advisory lock,
on SQLite the write lock of `BEGIN IMMEDIATE`. The one that waited then finds nothing to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# The newest revision in bot/migrations/versions; a test checks it is Alembic's head.
HEAD = "0004"
VERSION_TABLE = "alembic_version"
# Any constant the bot's own queries never use as an advisory lock key ("coach" in ASCII).
MIGRATION_LOCK = 0x636F616368


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _run(connection: Connection, revision: str, downgrade: bool) -> None:
    from alembic import command

    config = alembic_config()
    # env.py uses this connection instead of opening its own (no nested asyncio.run).
    config.attributes["connection"] = connection
    if downgrade:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


def _revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, VERSION_TABLE):
        return None
    found = connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}"))
    return None if found is None else str(found)


async def current_revision(connection: AsyncConnection) -> str | None:
    """The database's schema revision; None before the first migration.

    One sync block: the SQLite driver runs on the event loop's thread, where a statement that
    never awaits is refused by SQLAlchemy's async `scalar`.
    """
    return await connection.run_sync(_revision)


def take_turn(connection: Connection) -> None:
    """On PostgreSQL, waits until no other instance is migrating (env.py calls it).

    A transaction-level lock: it is released only at commit, once the new schema and its
    revision are visible to the instance that waited.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        if revision == "head" and await current_revision(connection) == HEAD:
            return
        await connection.run_sync(_run, revision, False)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, True)
