"""Whatever a user sends that is not a known command or button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import settings, workout
from bot.chat.common import coach, sender
from bot.services.workout import Refusal, active_workout_id


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    # Mid-workout, text is a set: the common case, so it goes straight to its one write.
    if await workout.typed_set(update, context, message.text):
        return
    # Otherwise perhaps an answer to a settings question.
    if await settings.typed_answer(update, context, message.text):
        return
    await message.reply_text(workout.REFUSALS[Refusal.NO_WORKOUT])


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
