"""The migrations build exactly the models' schema, and go down and up again cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.storage.database import Database
from bot.storage.migrate import downgrade, upgrade
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
