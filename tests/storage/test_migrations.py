"""The migrations build exactly the models' schema, and go down and up again cleanly."""

from __future__ import annotations

import asyncio
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.storage.database import Database
from bot.storage.migrate import HEAD, alembic_config, current_revision, downgrade, upgrade
from bot.storage.models import Base


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrations_match_the_models(db: Database) -> None:
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_downgrade_to_base_and_upgrade_again(db: Database) -> None:
    await downgrade(db.engine, "base")
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_tables) <= {"alembic_version"}
    await upgrade(db.engine)
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
        assert {"users", "workouts", "logged_sets", "reminders", "exercise_loads"} <= (
            await connection.run_sync(_tables)
        )


async def test_upgrade_twice_is_harmless(db: Database) -> None:
    await upgrade(db.engine)
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


def test_head_is_alembics_head() -> None:
    """`HEAD` lets a start skip Alembic; a new migration must move it too."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [HEAD], "set HEAD in bot/storage/migrate.py to the newest revision"


async def test_an_up_to_date_database_is_checked_without_alembic(db: Database) -> None:
    async with db.engine.connect() as connection:
        assert await current_revision(connection) == HEAD
    check = (
        "import asyncio, sys\n"
        "from bot.storage.database import Database\n"
        "from bot.storage.migrate import upgrade\n"
        f"db = Database({db.url!r})\n"
        "asyncio.run(upgrade(db.engine))\n"
        "asyncio.run(db.dispose())\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", check, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0
    assert output.decode().strip() == "[]"
