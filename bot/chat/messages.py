"""Whatever a user sends that is not a known command or button."""

from __future__ import annotations

from functools import partial

from telegram import Update
from telegram.ext import ContextTypes

from bot.chat import checks, settings, workout
from bot.chat.common import coach, now, sender, speak_to
from bot.domain.workout import Refusal
from bot.i18n import N_, _
from bot.services.conversation import conversation
from bot.services.workout import active_workout_id

# Someone who writes before /start has no workout to be told about: say hello instead.
NEW_HERE = N_("Hi! I'm a coach for hamstrings and glutes. Send /start to set up and begin.")


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text goes to the one handler for where the user is: a workout, a question, or neither.

    The user's state is read once, in the update's unit of work, and the chosen handler writes
    in that same unit of work; what it says is sent once that is committed.
    """
    message = update.effective_message
    assert message is not None and message.text is not None
    async with conversation(coach(context).db, sender(update).id, now()) as talk:
        speak_to(update, talk.user.language if talk.user is not None else None)
        if talk.workout is not None:
            # A reply that could mean two things is asked about before anything is logged.
            asked = checks.ask_first(update, talk, message.text)
            send = asked or await workout.typed(update, context, talk, message.text)
        elif talk.awaiting is not None:
            send = await settings.typed(update, context, talk, message.text)
        elif talk.user is None:
            send = partial(workout.say, update, _(NEW_HERE))
        else:
            send = partial(workout.say, update, workout.refusal_text(Refusal.NO_WORKOUT))
    await send()


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes...: answered kindly, nothing changes."""
    message = update.effective_message
    assert message is not None
    if await active_workout_id(coach(context).db, sender(update).id) is not None:
        await message.reply_text(
            _(
                "I can only read reps as text: send <code>10</code>, or <code>10 x 40</code> "
                "with the load."
            )
        )
        return
    await message.reply_text(_("I only understand text and buttons. /help lists what I can do."))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(_("I don't know that command. /help lists what I can do."))
