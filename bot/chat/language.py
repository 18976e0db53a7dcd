"""Which language each update is answered in, /language, and the command menu per language."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.ext import ContextTypes

from bot import i18n
from bot.chat import buttons
from bot.chat.buttons import ChooseLanguage
from bot.chat.common import coach, drop_buttons, now, sender
from bot.chat.start import COMMANDS
from bot.i18n import _
from bot.services import settings as service


def commands() -> list[BotCommand]:
    """The command menu in the current language."""
    return [BotCommand(name, _(about)) for name, about in COMMANDS]


async def set_commands(bot: Bot) -> None:
    """The command menu for every shipped language: Telegram shows the one matching the app's
    language (`language_code` is the two-letter code: `pt` for pt_BR), English otherwise."""
    await bot.set_my_commands(commands())
    for tag in i18n.SHIPPED:
        if tag == i18n.ENGLISH:
            continue
        with i18n.speaking(tag):
            await bot.set_my_commands(commands(), language_code=tag.split("_")[0])


def language_keyboard() -> InlineKeyboardMarkup:
    keys = [
        InlineKeyboardButton(i18n.NAMES[tag], callback_data=buttons.encode(ChooseLanguage(tag)))
        for tag in i18n.SHIPPED
    ]
    return InlineKeyboardMarkup([keys[i : i + 2] for i in range(0, len(keys), 2)])


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: one button per shipped language."""
    chat = update.effective_chat
    assert chat is not None
    current = i18n.current().tag
    await chat.send_message(
        _("Which language should I coach you in? Now: %(language)s.", language=i18n.NAMES[current]),
        reply_markup=language_keyboard(),
    )


async def tapped(
    update: Update, context: ContextTypes.DEFAULT_TYPE, button: ChooseLanguage
) -> None:
    query = update.callback_query
    assert query is not None
    if button.tag not in i18n.SHIPPED:
        await query.answer(_("That button has expired."))
        return
    user = sender(update)
    await service.choose_language(
        coach(context).db,
        user.id,
        button.tag,
        now(),
        first_name=user.first_name,
        language_code=user.language_code,
    )
    i18n.use(button.tag)
    await query.answer()
    await drop_buttons(update)  # answered: no live-looking choices left in the chat
    chat = update.effective_chat
    assert chat is not None
    # This chat's command menu follows the choice, whatever language the app is in.
    await context.bot.set_my_commands(commands(), scope=BotCommandScopeChat(chat.id))
    await chat.send_message(
        _(
            "Done: I'll coach you in English from now on. /language changes it again.",
        )
    )
