"""The foundation end to end: /start, /help, the command menu, odd input."""

from __future__ import annotations

from tests.e2e.harness import RunningBot
from tests.fakes.bot_api import FakeBotAPI


async def test_start_greets_by_name_and_help_lists_commands(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    ann = fake.user(1001, "Ann <b>")
    await ann.send("/start")
    greeting = await ann.reply()
    assert "Hi Ann <b>!" in (greeting.text or "")
    await ann.send("/start")
    assert "Welcome back" in ((await ann.reply()).text or "")
    await ann.send("/help")
    help_text = (await ann.reply()).text or ""
    assert "/start_workout" in help_text and "/progress" in help_text
    commands = fake.calls("setMyCommands")
    assert commands, "the command menu was set"


async def test_unknown_command_sticker_and_text_get_short_answers(
    bot: RunningBot, fake: FakeBotAPI
) -> None:
    bob = fake.user(1002, "Bob")
    await bob.send("/frobnicate")
    assert "don't know that command" in ((await bob.reply()).text or "")
    await bob.send_sticker()
    assert "only understand text" in ((await bob.reply()).text or "")
    await bob.send("hello there")
    greeting = (await bob.reply()).text or ""
    # Before /start there is no workout to speak of: a hello that points to /start.
    assert "/start" in greeting and "No workout" not in greeting, greeting
