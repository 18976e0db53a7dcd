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

from bot.chat import (
    buttons,
    checks,
    language,
    messages,
    progress,
    reminders,
    settings,
    start,
    workout,
)

BUTTONS: dict[type[buttons.Button], buttons.Handler] = {
    buttons.LogReps: workout.tapped_reps,
    buttons.LogSetsOf: checks.tapped_sets_of,
    buttons.LogCheckedSet: checks.tapped_checked_set,
    buttons.RateEffort: workout.tapped_effort,
    buttons.UndoSet: workout.tapped_undo,
    buttons.RestMore: workout.tapped_rest_more,
    buttons.RestSkip: workout.tapped_rest_skip,
    buttons.StopWorkout: workout.tapped_stop,
    buttons.ShowCues: workout.tapped_cues,
    buttons.TrainAnyway: workout.tapped_train_anyway,
    buttons.RestInstead: workout.tapped_rest_instead,
    buttons.StartFromReminder: reminders.tapped_start,
    buttons.PauseReminders: settings.tapped_pause,
    buttons.Setting: settings.tapped,
    buttons.ShowChart: progress.tapped_chart,
    buttons.ShowHistoryPage: progress.tapped_page,
    buttons.ShowPastWorkout: progress.tapped_workout,
    buttons.EraseEverything: progress.tapped_erase,
    buttons.KeepData: progress.tapped_keep,
    buttons.ChooseLanguage: language.tapped,
}


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
        "language": language.choose,
    }
    # First, for every update: the language to answer in; a user who had blocked the bot and
    # writes again is back.
    application.add_handler(TypeHandler(Update, settings.note_return), group=-1)
    for name, callback in commands.items():
        # Edits of old command messages must not run the command again.
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    # Every button goes through one codec, to the one handler for its kind.
    application.add_handler(CallbackQueryHandler(buttons.dispatcher(BUTTONS)))
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
