"""Which handler answers which update."""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.chat import messages, start, workout


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
    }
    for name, callback in commands.items():
        # Edits of old command messages must not run the command again.
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    application.add_handler(CallbackQueryHandler(workout.button, pattern=r"^[seucqw]:"))
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
