"""The Bot API emulator, checked with a real ``telegram.Bot`` and with raw HTTP requests."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes import regenerate_spec
from tests.fakes.bot_api import NOT_MODIFIED, FakeBotAPI

ANN = 42


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as api:
        api.user(ANN)
        yield api


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        yield bot


def keyboard(*labels_and_data: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data)] for label, data in labels_and_data]
    )


async def post(fake: FakeBotAPI, method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """A raw request, for what python-telegram-bot would never send."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.base_url}{fake.token}/{method}", **kwargs) as response,
    ):
        return response.status, await response.json()


# -- good requests ---------------------------------------------------------------------------


async def test_a_conversation_with_good_requests_records_no_violation(
    fake: FakeBotAPI, bot: Bot
) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("log_set", "Log a set")])
    await bot.delete_webhook(drop_pending_updates=True)
    await bot.send_chat_action(ANN, ChatAction.TYPING)
    sent = await bot.send_message(
        ANN,
        'Hi <b>Ann</b> &amp; <a href="https://example.org/?a=1&amp;b=2">plan</a> &#9733;',
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(("Start", "start:1")),
    )
    edited = await bot.edit_message_text(
        '<i>Done</i> <tg-spoiler>x</tg-spoiler> <pre><code class="language-csv">a,b</code></pre>',
        chat_id=ANN,
        message_id=sent.message_id,
        parse_mode=ParseMode.HTML,
    )
    await bot.edit_message_reply_markup(ANN, sent.message_id, reply_markup=keyboard(("Ok", "ok")))
    await bot.send_message(ANN, "Pick", reply_markup=ReplyKeyboardMarkup([["A", "B"]]))
    await bot.send_photo(ANN, photo=b"\x89PNG...", caption="<b>chart</b>", parse_mode="HTML")
    await bot.delete_message(ANN, sent.message_id)
    assert sent.text_html == 'Hi <b>Ann</b> &amp; <a href="https://example.org/?a=1&b=2">plan</a> ★'
    assert isinstance(edited, Message)
    assert edited.text == "Done x a,b"
    assert fake.violations == []
    assert [m.kind for m in fake.sent_to(ANN)] == ["text", "text", "photo"]
    assert fake.commands == [
        {"command": "start", "description": "Begin"},
        {"command": "log_set", "description": "Log a set"},
    ]


async def test_requests_are_recorded_with_decoded_parameters(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(ANN, "hi", reply_markup=keyboard(("A", "a")), disable_notification=True)

    assert fake.calls("sendMessage") == [
        {
            "chat_id": ANN,
            "text": "hi",
            "disable_notification": True,
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        }
    ]


async def test_json_and_url_encoded_bodies_are_both_understood(fake: FakeBotAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    json_status, _ = await post(
        fake, "sendMessage", json={"chat_id": ANN, "text": "json", "reply_markup": markup}
    )
    form = {"chat_id": str(ANN), "text": "form", "reply_markup": json.dumps(markup)}
    form_status, _ = await post(fake, "sendMessage", data=form)

    assert (json_status, form_status) == (200, 200)
    assert [m.text for m in fake.sent_to(ANN)] == ["json", "form"]
    assert fake.violations == []


# -- violations ------------------------------------------------------------------------------


async def test_an_unknown_method_is_a_violation(fake: FakeBotAPI) -> None:
    status, body = await post(fake, "sendMesage", data={"chat_id": "42", "text": "hi"})

    assert (status, body["description"]) == (404, "Not Found")
    assert len(fake.violations) == 1
    assert fake.violations[0].startswith("unknown method 'sendMesage'")


async def test_an_unknown_parameter_is_a_violation_that_telegram_ignores(
    fake: FakeBotAPI,
) -> None:
    status, _ = await post(
        fake, "sendMessage", data={"chat_id": "42", "text": "hi", "colour": "red"}
    )

    assert status == 200
    assert fake.violations == ["sendMessage: unknown parameter 'colour'"]


async def test_a_missing_required_parameter_is_refused(fake: FakeBotAPI) -> None:
    status, body = await post(fake, "sendMessage", data={"chat_id": "42"})

    assert status == 400
    assert body["description"] == 'Bad Request: parameter "text" is required'
    assert fake.violations == ["sendMessage: missing required parameter 'text'"]


@pytest.mark.parametrize(
    ("params", "violation"),
    [
        ({"disable_notification": "yes"}, "disable_notification: expected Boolean, got 'yes'"),
        ({"message_thread_id": "7.5"}, "message_thread_id: expected Integer, got '7.5'"),
        ({"reply_markup": "{not json"}, "reply_markup: expected JSON-serialized"),
        (
            {"reply_markup": json.dumps({"inline_keyboard": [[{"callback_data": "x"}]]})},
            "reply_markup.inline_keyboard[0][0]: InlineKeyboardButton is missing required "
            "field 'text'",
        ),
        (
            {"reply_markup": json.dumps({"inline_keyboard": [[{"text": 5, "url": "x"}]]})},
            "reply_markup.inline_keyboard[0][0].text: expected String, got 5",
        ),
    ],
)
async def test_a_value_of_the_wrong_type_is_refused(
    fake: FakeBotAPI, params: dict[str, str], violation: str
) -> None:
    status, body = await post(fake, "sendMessage", data={"chat_id": "42", "text": "hi", **params})

    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse")
    assert len(fake.violations) == 1
    assert violation in fake.violations[0]


async def test_json_bodies_are_type_checked_too(fake: FakeBotAPI) -> None:
    status, _ = await post(
        fake, "sendMessage", json={"chat_id": ANN, "text": "hi", "protect_content": "sure"}
    )

    assert status == 400
    assert fake.violations == ["sendMessage: protect_content: expected Boolean, got 'sure'"]


async def test_an_unknown_object_field_is_a_violation_that_telegram_ignores(
    fake: FakeBotAPI,
) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a", "colour": "red"}]]}
    status, _ = await post(
        fake, "sendMessage", json={"chat_id": ANN, "text": "hi", "reply_markup": markup}
    )

    assert status == 200
    assert fake.violations == [
        "sendMessage: reply_markup.inline_keyboard[0][0]: unknown InlineKeyboardButton field "
        "'colour'"
    ]


async def test_a_command_scope_must_match_one_of_the_scope_types(fake: FakeBotAPI) -> None:
    commands = json.dumps([{"command": "start", "description": "Begin"}])
    good = {"commands": commands, "scope": json.dumps({"type": "chat", "chat_id": ANN})}
    bad = {"commands": commands, "scope": json.dumps({"type": "chat"})}

    assert (await post(fake, "setMyCommands", data=good))[0] == 200
    assert (await post(fake, "setMyCommands", data=bad))[0] == 400
    assert len(fake.violations) == 1


async def test_text_over_4096_visible_characters_is_too_long(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(ANN, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANN, "x" * 4097)

    assert fake.violations == [
        "sendMessage: text is 4097 characters after entity parsing (max 4096)"
    ]


async def test_text_that_is_empty_after_parsing_is_refused(fake: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(ANN, "<b> </b>", parse_mode=ParseMode.HTML)
    assert len(fake.violations) == 1


async def test_a_caption_over_1024_characters_is_too_long(fake: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(ANN, document=b"a,b\n", filename="sets.csv", caption="c" * 1025)
    assert len(fake.violations) == 1


@pytest.mark.parametrize("data", ["é" * 33, ""])
async def test_callback_data_must_be_1_to_64_bytes(fake: FakeBotAPI, bot: Bot, data: str) -> None:
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ANN, "Pick", reply_markup=keyboard(("A", data)))
    assert len(fake.violations) == 1
    assert "callback_data" in fake.violations[0]


async def test_callback_data_of_64_bytes_is_fine(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(ANN, "Pick", reply_markup=keyboard(("A", "é" * 32)))
    assert fake.violations == []


async def test_an_inline_button_without_an_action_is_refused(fake: FakeBotAPI) -> None:
    markup = {"inline_keyboard": [[{"text": "A"}]]}
    status, _ = await post(
        fake, "sendMessage", json={"chat_id": ANN, "text": "hi", "reply_markup": markup}
    )

    assert status == 400
    assert fake.violations == ["sendMessage: button 'A' needs exactly one action field, has []"]


async def test_a_callback_answer_over_200_characters_is_refused(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(ANN, "Pick", reply_markup=keyboard(("A", "a")))
    query_id = await fake.user(ANN).tap("A")

    with pytest.raises(BadRequest):
        await bot.answer_callback_query(query_id, text="t" * 201)
    assert fake.violations == ["answerCallbackQuery: text is 201 characters (max 200)"]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("5 < 6", 'Character "<" at byte offset 2 does not start a tag'),
        ("5 <6", 'Character "<" at byte offset 2 does not start a tag'),
        ("sets & reps", 'Character "&" at byte offset 5 is not part of an entity'),
        ("&nbsp;", 'Character "&" at byte offset 0 is not part of an entity'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<a>x</a>", 'Tag "a" must have a non-empty attribute "href"'),
    ],
)
async def test_html_telegram_cannot_parse_is_refused(
    fake: FakeBotAPI, bot: Bot, html: str, error: str
) -> None:
    with pytest.raises(BadRequest, match="parse entities") as refused:
        await bot.send_message(ANN, html, parse_mode=ParseMode.HTML)

    assert error.lower() in str(refused.value).lower()
    assert len(fake.violations) == 1
    assert error in fake.violations[0]


async def test_markup_characters_are_plain_text_without_a_parse_mode(
    fake: FakeBotAPI, bot: Bot
) -> None:
    await bot.send_message(ANN, "5 < 6 & <b>")
    assert fake.violations == []
    assert fake.sent_to(ANN)[0].text == "5 < 6 & <b>"


# -- editing ---------------------------------------------------------------------------------


async def test_editing_to_the_same_text_and_markup_is_not_modified(
    fake: FakeBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(
        ANN, "<b>Set 1</b>", parse_mode="HTML", reply_markup=keyboard(("A", "a"))
    )

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<strong>Set 1</strong>",
            ANN,
            sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard(("A", "a")),
        )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(ANN, sent.message_id, reply_markup=keyboard(("A", "a")))
    assert NOT_MODIFIED.startswith("Bad Request: message is not modified")
    assert fake.violations == []


async def test_editing_text_without_markup_removes_the_keyboard(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ANN, "Set 1", reply_markup=keyboard(("A", "a")))
    await bot.edit_message_text("Set 1", ANN, sent.message_id)

    assert fake.sent_to(ANN)[0].buttons() == []


async def test_editing_an_unknown_message_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ANN, 999)


async def test_wait_edit_sees_an_edit_made_before_it_was_called(fake: FakeBotAPI, bot: Bot) -> None:
    ann = fake.user(ANN)
    sent = await bot.send_message(ANN, "Set 1")
    await bot.edit_message_text("Set 1 ✓", ANN, sent.message_id)

    assert (await ann.wait_edit(sent.message_id)).text == "Set 1 ✓"
    with pytest.raises(AssertionError, match="was not edited"):
        await ann.wait_edit(sent.message_id, timeout=0.05)


# -- getUpdates ------------------------------------------------------------------------------


async def test_a_long_poll_returns_as_soon_as_the_user_writes(fake: FakeBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    assert await fake.wait_until(lambda: fake.polling, within=2)
    started = time.monotonic()
    await fake.user(ANN).send("/start")
    updates = await poll

    assert time.monotonic() - started < 1
    assert [u.message.text for u in updates if u.message] == ["/start"]


async def test_a_long_poll_without_updates_returns_nothing_at_its_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


async def test_the_offset_confirms_earlier_updates(fake: FakeBotAPI, bot: Bot) -> None:
    ann = fake.user(ANN)
    for text in ("one", "two", "three"):
        await ann.send(text)

    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    assert len(await bot.get_updates()) == 3  # nothing confirmed yet
    assert len(await bot.get_updates(offset=first[1].update_id)) == 2
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first[1].update_id]
    assert await bot.get_updates(offset=first[2].update_id + 1) == ()


async def test_a_redelivered_update_comes_again_with_the_same_id_and_content(
    fake: FakeBotAPI, bot: Bot
) -> None:
    await fake.user(ANN).send("/start")
    (update,) = await bot.get_updates()
    assert await bot.get_updates(offset=update.update_id + 1) == ()

    fake.redeliver(update.update_id)
    (again,) = await bot.get_updates(offset=update.update_id + 1)

    assert again.to_dict() == update.to_dict()


async def test_a_newer_poll_terminates_the_older_one_with_a_conflict(
    fake: FakeBotAPI, bot: Bot
) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=10))
    assert await fake.wait_until(lambda: fake.polling, within=2)
    async with Bot(fake.token, base_url=fake.base_url) as second:
        assert await second.get_updates(timeout=0) == ()

    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await older
    assert fake.poll_conflicts == 1


async def test_get_updates_conflicts_with_a_webhook(bot: Bot) -> None:
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


# -- faults ----------------------------------------------------------------------------------


async def test_fail_next_answers_429_with_retry_after_once(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 3", retry_after=3
    )

    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(ANN, "hi")
    await bot.send_message(ANN, "hi")

    assert "Retry in 3 seconds" in str(refused.value)
    assert [m.text for m in fake.sent_to(ANN)] == ["hi"]


async def test_fail_next_can_fail_several_times(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("getMe", status=502, description="Bad Gateway", times=2)
    for _ in range(2):
        with pytest.raises(Exception, match="Bad Gateway"):
            await bot.get_me()
    assert (await bot.get_me()).username == "toning_coach_bot"


async def test_a_blocked_user_cannot_be_written_to(fake: FakeBotAPI, bot: Bot) -> None:
    fake.blocked_users.add(ANN)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANN, "hi")
    assert fake.sent_to(ANN) == []


async def test_an_unknown_token_is_unauthorized(fake: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken, match="was rejected by the server"):
        async with Bot("999:wrong", base_url=fake.base_url):
            pass


# -- files -----------------------------------------------------------------------------------


async def test_multipart_uploads_keep_their_bytes_and_names(fake: FakeBotAPI, bot: Bot) -> None:
    csv = b"date,exercise,reps\n2026-05-08,hip thrust,12\n"
    document = await bot.send_document(ANN, document=csv, filename="sets.csv", caption="Sets")
    await bot.send_photo(ANN, photo=b"\x89PNG\r\n", filename="chart.png")

    sent_document, sent_photo = fake.sent_to(ANN)
    assert document.document is not None
    assert document.document.file_name == "sets.csv"
    assert (sent_document.file_bytes, sent_document.file_name) == (csv, "sets.csv")
    assert (sent_photo.kind, sent_photo.file_bytes, sent_photo.text) == (
        "photo",
        b"\x89PNG\r\n",
        None,
    )
    assert fake.violations == []


# -- the user --------------------------------------------------------------------------------


async def test_a_user_taps_a_button_and_reads_the_answer(fake: FakeBotAPI, bot: Bot) -> None:
    ann = fake.user(ANN)
    sent = await bot.send_message(ANN, "Reps?", reply_markup=keyboard(("10 reps", "set:1:10")))
    assert (await ann.reply()).buttons() == [["10 reps"]]

    query_id = await ann.tap("10")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.message is not None
    assert (query.id, query.data, query.message.message_id) == (
        query_id,
        "set:1:10",
        sent.message_id,
    )
    assert query.from_user.id == ANN
    await bot.answer_callback_query(query_id, text="Logged")

    assert (await ann.callback_answer(query_id))["text"] == "Logged"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)


async def test_tapping_a_missing_button_lists_the_buttons_there_are(
    fake: FakeBotAPI, bot: Bot
) -> None:
    await bot.send_message(ANN, "Reps?", reply_markup=keyboard(("10 reps", "set:1:10")))
    with pytest.raises(AssertionError, match="10 reps"):
        await fake.user(ANN).tap("Skip")


async def test_stale_callback_data_reaches_the_bot_from_a_vanished_message(
    fake: FakeBotAPI, bot: Bot
) -> None:
    await fake.user(ANN).tap_data("set:9:99", message_id=77)
    (update,) = await bot.get_updates()

    assert update.callback_query is not None
    assert update.callback_query.data == "set:9:99"
    assert update.callback_query.message is not None
    assert not update.callback_query.message.is_accessible


async def test_user_messages_are_well_formed_updates(fake: FakeBotAPI, bot: Bot) -> None:
    ann = fake.user(ANN, "Ann", username="ann")
    text_id = await ann.send("/log_set 12")
    await ann.send_sticker()
    await ann.send_photo()
    await ann.send_voice()
    await ann.send_location(51.5, -0.12)
    await ann.edit(text_id, "/log_set 13")

    updates = await bot.get_updates()
    messages = [u.effective_message for u in updates]
    assert all(m is not None and m.chat.type == "private" for m in messages)
    first = messages[0]
    assert first is not None
    assert first.parse_entities() == {first.entities[0]: "/log_set"}
    assert [bool(m and m.sticker) for m in messages][1] is True
    assert updates[-1].edited_message is not None
    assert updates[-1].edited_message.text == "/log_set 13"
    assert [m.message_id for m in messages if m] == [1, 2, 3, 4, 5, 1]


async def test_replies_are_read_in_order_and_drain_skips_the_rest(
    fake: FakeBotAPI, bot: Bot
) -> None:
    ann = fake.user(ANN)
    for text in ("one", "two", "three", "four"):
        await bot.send_message(ANN, text)

    assert (await ann.reply()).text == "one"
    assert [m.text for m in await ann.replies(2)] == ["two", "three"]
    assert [m.text for m in ann.drain()] == ["four"]
    with pytest.raises(AssertionError, match="expected 1 new bot message"):
        await ann.reply(timeout=0.05)


async def test_reply_wakes_up_when_the_bot_writes(fake: FakeBotAPI, bot: Bot) -> None:
    reply = asyncio.create_task(fake.user(ANN).reply())
    await asyncio.sleep(0)
    await bot.send_message(ANN, "hello")
    assert (await reply).text == "hello"


# -- the committed spec ------------------------------------------------------------------------


def test_the_committed_spec_is_what_regenerate_spec_produces() -> None:
    source = regenerate_spec.DEFAULT_SOURCE
    if not source.exists():
        pytest.skip(f"{source} is absent: cannot compare with the full Bot API description")
    committed = Path(regenerate_spec.OUTPUT).read_text(encoding="utf-8")
    assert regenerate_spec.regenerate(source) == committed


# -- a real Application --------------------------------------------------------------------------


async def test_a_real_application_polls_answers_and_restarts_cleanly(fake: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            "<b>Ready?</b>", reply_markup=keyboard(("Go", "go"))
        )

    async def go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Started")
        await query.edit_message_text("Set 1 of 3")

    def build() -> Application:  # type: ignore[type-arg]
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(go, pattern="^go$"))
        return app

    ann = fake.user(ANN)
    for _ in range(2):  # the second run is a restart: nothing is delivered twice
        app = build()
        async with app:
            assert app.updater is not None
            await app.updater.start_polling(timeout=5)
            await app.start()
            await ann.send("/start")
            prompt = await ann.reply()
            query_id = await ann.tap("Go")
            assert (await ann.callback_answer(query_id))["text"] == "Started"
            assert (await ann.wait_edit(prompt.message_id)).text == "Set 1 of 3"
            await app.updater.stop()
            await app.stop()

    assert ann.drain() == []
    assert fake.violations == []
    assert fake.poll_conflicts == 0
