"""The last line of defence: log the failure, apologise, never show a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side. Everything you logged before this is safe — "
    "please try that again in a moment."
)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot: there is nobody to apologise to
    try:
        await context.bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError:
        log.warning("could not tell chat %s about the failure", update.effective_chat.id)
