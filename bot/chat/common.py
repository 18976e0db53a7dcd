"""What every handler needs: the database, the settings, the user, the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import Message, Update, User
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import clock, i18n
from bot.config import Settings
from bot.storage.database import Database


@dataclass
class Coach:
    """Shared, stateless services kept in `application.bot_data["coach"]`."""

    db: Database
    settings: Settings


def coach(context: ContextTypes.DEFAULT_TYPE) -> Coach:
    found = context.bot_data["coach"]
    assert isinstance(found, Coach)
    return found


def sender(update: Update) -> User:
    user = update.effective_user
    assert user is not None, "handlers are registered for updates that carry a user"
    return user


def speak_to(update: Update, chosen: str | None = None) -> None:
    """Texts for this update are in the user's chosen language, else their Telegram app's."""
    user = update.effective_user
    i18n.use(i18n.language_for(chosen, user.language_code if user is not None else None))


def now() -> datetime:
    return clock.now()


async def drop_buttons(update: Update) -> None:
    """Takes the buttons off an answered question, keeping its text.

    Through editMessageText: PTB adds the default parse_mode to editMessageReplyMarkup, a
    parameter that method doesn't have.
    """
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        try:
            await query.edit_message_text(query.message.text_html, reply_markup=None)
        except BadRequest as error:
            if "not modified" not in str(error):
                raise
