"""The tables: users and their settings, workouts, logged sets, loads and reminders.

Instants are stored in UTC (naive in the column, aware in Python); loads are whole grams.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC instant is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"

    # The Telegram user id; in a private chat it is also the chat id.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(16))
    # The language chosen with /language; None follows Telegram's language_code.
    language: Mapped[str | None] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(2), default="kg")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    time_zone_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Preferred weekdays, Monday=0 (Python's numbering); None until chosen.
    day_one: Mapped[int | None] = mapped_column(SmallInteger)
    day_two: Mapped[int | None] = mapped_column(SmallInteger)
    reminder_time: Mapped[time] = mapped_column(Time, default=time(18, 0))
    squat_equipment: Mapped[str] = mapped_column(String(16), default="barbell")
    lunge_equipment: Mapped[str] = mapped_column(String(16), default="dumbbells")
    # Step sizes in the user's unit; None means the programme's default for that unit.
    barbell_step: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    dumbbell_step: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    machine_step: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    # The empty bar for plate maths; None means the standard bar (20 kg / 45 lb).
    bar_grams: Mapped[int | None] = mapped_column(Integer)
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[date | None] = mapped_column(Date)
    # False once Telegram says the user blocked the bot; set again when they write.
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    # Which onboarding/settings question a typed answer belongs to (None: none pending).
    awaiting: Mapped[str | None] = mapped_column(String(32))
    onboarded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExerciseLoad(Base):
    """What the coach suggests for an exercise next time, learned from what was lifted."""

    __tablename__ = "exercise_loads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    exercise: Mapped[str] = mapped_column(String(32), primary_key=True)
    load_grams: Mapped[int | None] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(8), default="ask")
    why: Mapped[str] = mapped_column(String(32), default="no_load_yet")
    reached_top_last_time: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Workout(Base):
    """One training session; while `status` is active it is also the conversation's state."""

    __tablename__ = "workouts"
    __table_args__ = (
        # At most one active workout per user, enforced by the database itself.
        Index(
            "uq_workouts_one_active",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_workouts_user_started", "user_id", "started_at"),
        Index("ix_workouts_rest_due", "rest_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default="active")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    local_date: Mapped[date] = mapped_column(Date)
    sets_per_exercise: Mapped[int] = mapped_column(SmallInteger)
    # Where the user is (bot.domain.workout.WorkoutState): the exercise's slug (stable when
    # the programme changes), the set's number, and what the bot waits for ("set", "effort").
    exercise: Mapped[str] = mapped_column(String(32))
    set_number: Mapped[int] = mapped_column(SmallInteger, default=1)
    stage: Mapped[str] = mapped_column(String(8), default="set")
    load_grams: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every step, and carried in button data, so buttons of an earlier step are stale.
    step: Mapped[int] = mapped_column(Integer, default=0)
    rest_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The bot's messages that still carry live buttons, so a later step can fold them away.
    prompt_message_id: Mapped[int | None] = mapped_column(BigInteger)
    rest_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Skipped exercises (slugs, comma separated) so the summary can say so.
    skipped: Mapped[str] = mapped_column(String(64), default="")


class LoggedSet(Base):
    __tablename__ = "logged_sets"
    __table_args__ = (
        UniqueConstraint("workout_id", "exercise", "set_number"),
        # The Telegram message that carried the set: a redelivery cannot log it twice and an
        # edit finds the set to correct. Private chat: the user id scopes message ids.
        UniqueConstraint("user_id", "message_id"),
        Index("ix_logged_sets_user_exercise", "user_id", "exercise", "logged_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workout_id: Mapped[int] = mapped_column(ForeignKey("workouts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise: Mapped[str] = mapped_column(String(32))
    set_number: Mapped[int] = mapped_column(SmallInteger)
    reps: Mapped[int] = mapped_column(SmallInteger)
    # The lunge is counted per leg: `reps` is the first leg, this the other.
    reps_other_leg: Mapped[int | None] = mapped_column(SmallInteger)
    load_grams: Mapped[int] = mapped_column(Integer)
    effort: Mapped[str | None] = mapped_column(String(8))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reminder(Base):
    """A training-day reminder: a row with its UTC instant, claimed once, sent once."""

    __tablename__ = "reminders"
    __table_args__ = (
        # One reminder per user per local day, whatever the number of sweepers.
        UniqueConstraint("user_id", "local_date"),
        Index("ix_reminders_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Reason from the schedule: usual_day, make_up, after_rest.
    reason: Mapped[str] = mapped_column(String(16))
    # pending -> claimed -> sent | dropped (too late, blocked, superseded)
    status: Mapped[str] = mapped_column(String(8), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HandledUpdate(Base):
    """Telegram updates whose changes are committed: a redelivered one changes nothing.

    Written in the same transaction as the update's first change, so "handled" and "changed"
    can never disagree. Rows older than Telegram's redelivery window are pruned.
    """

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
