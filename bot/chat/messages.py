"""Whatever a user sends that is not a known command or button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import workout
from bot.chat.common import coach, sender
from bot.services.workout import active_workout_id

# Long enough for any real answer; longer text is not worth parsing.
MAX_TEXT = 200


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    if await active_workout_id(coach(context).db, sender(update).id) is not None:
        await workout.typed_set(update, context, message.text[:MAX_TEXT])
        return
    await message.reply_text(
        "No workout is running. /start_workout to begin one, or /help to see what I do."
    )


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes...: answered kindly, nothing changes."""
    message = update.effective_message
    assert message is not None
    if await active_workout_id(coach(context).db, sender(update).id) is not None:
        await message.reply_text(
            "I can only read reps as text: send <code>10</code>, or <code>10 x 40</code> "
            "with the load."
        )
        return
    await message.reply_text("I only understand text and buttons. /help lists what I can do.")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text("I don't know that command. /help lists what I can do.")


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("That button has expired.")
