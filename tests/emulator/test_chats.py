"""What the emulator keeps for a chat window: the reply keyboard, live events, ids, dates."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.emulator.bot_api import BotApiEmulator, ChatEvent

ANN = 42


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(first_id=1_000, clock=lambda: 1_800_000_000.5) as api:
        api.user(ANN)
        yield api


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:
        yield bot


async def test_a_reply_keyboard_stays_until_one_replaces_or_removes_it(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    share = ReplyKeyboardMarkup([[KeyboardButton("📍 Share", request_location=True)]])
    await bot.send_message(ANN, "Where are you?", reply_markup=share)
    await bot.send_message(ANN, "No keyboard given: it stays")
    await bot.send_message(ANN, "A reply?", reply_markup=ForceReply())
    kept = emulator.reply_keyboards[ANN]
    assert kept["keyboard"][0][0] == {"text": "📍 Share", "request_location": True}
    inline = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    await bot.send_message(ANN, "Inline buttons belong to their message", reply_markup=inline)
    assert emulator.reply_keyboards[ANN] == kept
    await bot.send_message(ANN, "Thanks", reply_markup=ReplyKeyboardRemove())
    assert ANN not in emulator.reply_keyboards


async def test_listeners_hear_every_change_in_order_until_they_leave(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    heard: list[ChatEvent] = []
    leave = emulator.subscribe(heard.append)
    ann = emulator.user(ANN)
    typed = ann.send_text("hi")
    sent = await bot.send_message(
        ANN, "Pick", reply_markup=ReplyKeyboardMarkup([["a", "b"]], one_time_keyboard=True)
    )
    await bot.send_chat_action(ANN, "typing")
    await bot.edit_message_text("Picked", chat_id=ANN, message_id=sent.message_id)
    ann.edit_text(typed, "hello")
    await bot.delete_message(ANN, sent.message_id)
    await bot.set_my_commands([("start", "Begin")])
    leave()
    await bot.send_message(ANN, "nobody listens")

    assert [(e.chat_id, e.kind, e.message_id) for e in heard] == [
        (ANN, "message", typed),
        (ANN, "message", sent.message_id),
        (ANN, "keyboard", 0),
        (ANN, "action", 0),
        (ANN, "message", sent.message_id),
        (ANN, "message", typed),
        (ANN, "deleted", sent.message_id),
        (0, "commands", 0),
    ]
    assert heard[3].detail == {"action": "typing"}


async def test_ids_start_where_asked_and_dates_come_from_the_clock(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    ann = emulator.user(ANN)
    typed = ann.send_text("hi")
    (update,) = await bot.get_updates()
    sent = await bot.send_message(ANN, "hello")
    assert (update.update_id, typed, sent.message_id) == (1_000, 1_000, 1_001)
    assert sent.date.timestamp() == 1_800_000_000
    assert emulator.user_messages(ANN)[0]["date"] == 1_800_000_000


async def test_a_user_edits_only_their_own_text_and_presses_only_callback_buttons(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    ann = emulator.user(ANN)
    location = ann.share_location(51.5, -0.12)
    with pytest.raises(ValueError, match="sent no text message"):
        ann.edit_text(location, "moved")
    with pytest.raises(ValueError, match="sent no text message"):
        ann.edit_text(999, "never sent")
    link = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://example.org")]])
    sent = await bot.send_message(ANN, "Read", reply_markup=link)
    message = emulator.find_message(ANN, sent.message_id)
    assert message is not None
    with pytest.raises(ValueError, match="sends no callback data"):
        ann.press(message, message.inline_rows()[0][0])


async def test_what_telegram_would_refuse_is_logged_as_well_as_recorded(
    emulator: BotApiEmulator, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.emulator.bot_api"):
        await bot.send_message(ANN, "fine", api_kwargs={"colour": "red"})
    assert emulator.violations == ["sendMessage: unknown parameter 'colour'"]
    assert "Telegram would not accept: sendMessage: unknown parameter 'colour'" in caplog.text
