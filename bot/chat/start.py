"""/start and /help."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import settings
from bot.chat.programme_words import lift_names, rep_range

# Shown in Telegram's command menu (setMyCommands) and in /help, in this order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start_workout", "Start or resume today's workout"),
    ("next", "When the next workout is due"),
    ("progress", "Your loads, records and adherence"),
    ("history", "Past workouts"),
    ("settings", "Units, time zone, training days, reminders"),
    ("cues", "Form cues for the current exercise"),
    ("undo", "Remove the last logged set"),
    ("skip", "Skip the rest of this exercise"),
    ("end", "Finish the workout now, keeping what you logged"),
    ("cancel", "Abandon the workout"),
    ("pause", "Stop reminders for a while"),
    ("resume", "Start reminders again"),
    ("export", "Download your sets as CSV and your plan as a calendar"),
    ("delete_me", "Erase everything stored about you"),
    ("help", "What I can do"),
)


def help_text() -> str:
    return (
        f"I coach a twice-a-week hamstring and glute programme: {lift_names()}, "
        f"{rep_range()} reps a set, with at least two rest days "
        "between workouts.\n\n"
        + "\n".join(f"/{name} — {escape(about)}" for name, about in COMMANDS)
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A new user is onboarded; a returning one sees their settings (nothing is wiped)."""
    await settings.start(update, context)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(help_text())
