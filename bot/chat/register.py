"""Which handler answers which update."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.chat import messages, progress, reminders, settings, start, workout


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    commands = {
        "start": start.start,
        "help": start.help_command,
        "start_workout": workout.start_workout,
        "cues": workout.cues,
        "undo": workout.undo,
        "skip": workout.skip,
        "end": workout.end,
        "cancel": workout.cancel,
        "progress": progress.show_progress,
        "history": progress.show_history,
        "export": progress.export_data,
        "delete_me": progress.delete_me,
        "settings": settings.settings,
        "pause": settings.pause,
        "resume": settings.resume,
        "next": settings.next_workout,
    }
    # First, for every update: a user who had blocked the bot and writes again is back.
    application.add_handler(TypeHandler(Update, settings.note_return), group=-1)
    for name, callback in commands.items():
        # Edits of old command messages must not run the command again.
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    application.add_handler(CallbackQueryHandler(workout.button, pattern=r"^[seucqw]:"))
    application.add_handler(CallbackQueryHandler(progress.button, pattern=r"^[phd]:"))
    application.add_handler(CallbackQueryHandler(settings.button, pattern=r"^o:"))
    application.add_handler(CallbackQueryHandler(reminders.button, pattern=r"^r:go$"))
    application.add_handler(CallbackQueryHandler(settings.pause_button, pattern=r"^r:pause:"))
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.LOCATION, settings.location)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, workout.edited_set)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, messages.unknown_command)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, messages.text)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT, messages.not_text)
    )
    application.add_handler(CallbackQueryHandler(messages.expired_button))
