"""The last line of defence: log the failure, tell the user what it means, no traceback."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot import metrics
from bot.i18n import N_, _
from bot.storage.database import AlreadyHandled

log = logging.getLogger(__name__)

NOT_SAVED = N_(
    "Sorry, I couldn't save that just now — my database didn't answer. Nothing was logged: "
    "please send it again in a moment."
)
REPLY_LOST = N_(
    "Sorry, my answer got lost on the way to you. What you sent was handled — "
    "/start_workout shows exactly where you are."
)
SORRY = N_(
    "Sorry, something went wrong on my side. Everything you logged before this is safe — "
    "please try that again in a moment."
)


def explanation(error: BaseException | None) -> str:
    if isinstance(error, SQLAlchemyError):
        return NOT_SAVED  # the unit of work rolled back: say so rather than pretend
    if isinstance(error, NetworkError):
        return REPLY_LOST  # failed talking to Telegram, after our work was committed
    return SORRY


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, AlreadyHandled):
        metrics.REDELIVERIES.inc()
        log.info("update %s was delivered again; it changed nothing", update_id)
        return
    if isinstance(context.error, SQLAlchemyError):
        metrics.DATABASE_ERRORS.inc()
    log.error("update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot: there is nobody to tell
    try:
        await context.bot.send_message(update.effective_chat.id, _(explanation(context.error)))
    except TelegramError:
        log.warning("could not tell chat %s about the failure", update.effective_chat.id)
