"""/start and /help."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import settings
from bot.chat.names import lift_names
from bot.chat.programme_words import rep_range
from bot.i18n import N_, _

# Shown in Telegram's command menu (setMyCommands) and in /help, in this order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start_workout", N_("Start or resume today's workout")),
    ("next", N_("When the next workout is due")),
    ("progress", N_("Your loads, records and adherence")),
    ("history", N_("Past workouts")),
    ("settings", N_("Units, time zone, training days, reminders")),
    ("cues", N_("Form cues for the current exercise")),
    ("undo", N_("Remove the last logged set")),
    ("skip", N_("Skip the rest of this exercise")),
    ("end", N_("Finish the workout now, keeping what you logged")),
    ("cancel", N_("Abandon the workout")),
    ("pause", N_("Stop reminders for a while")),
    ("resume", N_("Start reminders again")),
    ("export", N_("Download your sets as CSV and your plan as a calendar")),
    ("delete_me", N_("Erase everything stored about you")),
    ("language", N_("Change the language I coach you in")),
    ("help", N_("What I can do")),
)


def help_text() -> str:
    return (
        _(
            "I coach a twice-a-week hamstring and glute programme: %(lifts)s, "
            "%(reps)s reps a set, with at least two rest days between workouts.",
            lifts=lift_names(),
            reps=rep_range(),
        )
        + "\n\n"
        + "\n".join(f"/{name} — {escape(_(about))}" for name, about in COMMANDS)
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A new user is onboarded; a returning one sees their settings (nothing is wiped)."""
    await settings.start(update, context)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(help_text())
