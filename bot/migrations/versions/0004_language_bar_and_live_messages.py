"""the user's chosen language and bar weight; the workout's live prompt and rest messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("bar_grams", sa.Integer(), nullable=True))
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prompt_message_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("rest_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.drop_column("rest_message_id")
        batch_op.drop_column("prompt_message_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("bar_grams")
        batch_op.drop_column("language")
