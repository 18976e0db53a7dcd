"""workouts store the exercise's slug, not its position in the programme

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The programme's order when positions were stored; frozen here, whatever the catalogue becomes.
ORDER = ("deadlift", "leg_curl", "squat", "lunge")


def upgrade() -> None:
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exercise", sa.String(length=32), nullable=True))
    position = sa.column("exercise_index", sa.SmallInteger())
    workouts = sa.table("workouts", sa.column("exercise", sa.String()), position)
    op.execute(
        workouts.update().values(
            exercise=sa.case(
                *((position == index, slug) for index, slug in enumerate(ORDER)),
                else_=ORDER[-1],
            )
        )
    )
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.alter_column("exercise", existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column("exercise_index")


def downgrade() -> None:
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exercise_index", sa.SmallInteger(), nullable=True))
    slug = sa.column("exercise", sa.String())
    workouts = sa.table("workouts", sa.column("exercise_index", sa.SmallInteger()), slug)
    op.execute(
        workouts.update().values(
            exercise_index=sa.case(
                *((slug == name, index) for index, name in enumerate(ORDER)), else_=0
            )
        )
    )
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.alter_column("exercise_index", existing_type=sa.SmallInteger(), nullable=False)
        batch_op.drop_column("exercise")
