"""The Bot API emulator (bot/emulator) with a scripted user and planned faults, for tests.

    async with FakeBotAPI() as fake:
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        ann = fake.user(42)
        await ann.send("/start")
        greeting = await ann.reply()

What the emulator finds wrong with a request lands in ``violations``; the e2e fixture fails
the test on any.
"""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass
from typing import Any, cast

from aiohttp import web

from bot.emulator.bot_api import (
    BLOCKED,
    DEFAULT_TOKEN,
    NOT_MODIFIED,
    ApiError,
    BotApiEmulator,
    BotMessage,
    ChatEvent,
    ChatUser,
    Json,
)

__all__ = [
    "BLOCKED",
    "DEFAULT_TOKEN",
    "DROP",
    "HANG",
    "NOT_MODIFIED",
    "BotMessage",
    "FakeBotAPI",
    "FakeUser",
]

DROP = 0  # fail_next(status=DROP): the connection is closed without an answer
HANG = -1  # fail_next(status=HANG, retry_after=s): answered normally, but only after s seconds


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    times: int


class FakeUser(ChatUser):
    """A scripted person in a private chat: acts, then reads the bot's answers in order."""

    api: FakeBotAPI

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read = 0
        self._seen_edits: dict[int, int] = {}
        # Every new or edited bot message, as it looked then: (snapshot, whether it was new).
        self._changes: list[tuple[BotMessage, bool]] = []
        self._changes_read = 0
        self.api.subscribe(self._on_event)

    def _on_event(self, event: ChatEvent) -> None:
        if event.chat_id != self.id or event.kind != "message":
            return
        message = self.api.find_message(self.id, event.message_id)
        if message is None:
            return  # the user's own message
        new = all(seen.message_id != message.message_id for seen, _ in self._changes)
        self._changes.append((copy.copy(message), new))

    # -- acting ----------------------------------------------------------------------------

    async def send(self, text: str) -> int:
        return self.send_text(text)

    async def send_sticker(self) -> int:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "sticker-1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.send_content({"sticker": sticker})

    async def send_photo(self) -> int:
        photo = {"file_id": "photo-1", "file_unique_id": "photo-1", "width": 90, "height": 90}
        return self.send_content({"photo": [photo]})

    async def send_voice(self) -> int:
        voice = {"file_id": "voice-1", "file_unique_id": "voice-1", "duration": 3}
        return self.send_content({"voice": {**voice, "mime_type": "audio/ogg"}})

    async def send_location(self, latitude: float, longitude: float) -> int:
        return self.share_location(latitude, longitude)

    async def edit(self, message_id: int, text: str) -> None:
        self.edit_text(message_id, text)

    async def tap(self, label: str, *, message: BotMessage | None = None) -> str:
        """Press the inline button ``label`` on the newest message that has it."""
        candidates = [message] if message else [m for m in reversed(self.messages) if not m.deleted]
        exact = [m for m in candidates if any(label in row for row in m.buttons())]
        found = exact or [m for m in candidates if m.find_button(label) is not None]
        if not found:
            shown = {m.message_id: m.buttons() for m in candidates if m.buttons()}
            raise AssertionError(f"{self.first_name} sees no button {label!r}; buttons: {shown}")
        button = found[0].find_button(label)
        assert button is not None
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} sends no callback data: {button}")
        return self.press(found[0], button)

    async def tap_data(self, data: str, message_id: int) -> str:
        """Send raw callback data from any message id, as a forged or stale button would."""
        message = self.api.find_message(self.id, message_id)
        if message is not None:
            return self.callback(data, self.api.message_dict(message))
        inaccessible = {"chat": self.chat(), "message_id": message_id, "date": 0}
        return self.callback(data, inaccessible)

    # -- reading ---------------------------------------------------------------------------

    async def reply(self, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next bot message in this chat not yet read by reply(), replies() or drain()."""
        return (await self.replies(1, timeout=timeout))[0]

    async def replies(self, n: int, *, timeout: float = 5.0) -> list[BotMessage]:  # noqa: ASYNC109
        wanted = self._read + n
        if not await self.api.wait_until(lambda: len(self.messages) >= wanted, timeout):
            self._fail(f"expected {n} new bot message(s) within {timeout}s", self._unread())
        received = self.messages[self._read : wanted]
        self._read = wanted
        # changed() goes on after these messages, not before them.
        ids = {message.message_id for message in received}
        for index, (snapshot, new) in enumerate(self._changes):
            if new and snapshot.message_id in ids:
                self._changes_read = max(self._changes_read, index + 1)
        return received

    async def changed(self, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next bot message sent or edited, as it looked then (live messages are edited)."""
        return (await self.changes(1, timeout=timeout))[0]

    async def changes(self, n: int, *, timeout: float = 5.0) -> list[BotMessage]:  # noqa: ASYNC109
        """The next `n` bot messages sent or edited, in order, each as it looked then."""
        wanted = self._changes_read + n
        if not await self.api.wait_until(lambda: len(self._changes) >= wanted, timeout):
            shown = [snapshot for snapshot, _ in self._changes[self._changes_read :]]
            self._fail(f"expected {n} new or edited bot message(s) within {timeout}s", shown)
        got = self._changes[self._changes_read : wanted]
        self._changes_read = wanted
        ids = [message.message_id for message in self.messages]
        for snapshot, new in got:
            if new:  # reply() goes on after the messages read here
                self._read = max(self._read, ids.index(snapshot.message_id) + 1)
        return [snapshot for snapshot, _ in got]

    @property
    def change_count(self) -> int:
        """How many times a bot message was sent or edited in this chat so far."""
        return len(self._changes)

    def unread_changes(self) -> list[BotMessage]:
        """Sent or edited bot messages not yet read by changed() or changes()."""
        return [snapshot for snapshot, _ in self._changes[self._changes_read :]]

    def in_chat(self) -> list[BotMessage]:
        """The bot's messages still in the chat (deleted ones gone)."""
        return [message for message in self.messages if not message.deleted]

    def with_set_buttons(self) -> list[BotMessage]:
        """The messages in the chat that carry rep buttons."""
        return [
            message
            for message in self.in_chat()
            if any(
                str(button.get("callback_data", "")).startswith("s:")
                for row in message.inline_rows()
                for button in row
            )
        ]

    def live_message(self) -> BotMessage:
        """The workout's live message: the newest in the chat with a set line or prompt."""
        for message in reversed(self.in_chat()):
            text = message.text or ""
            if "✅ Set" in text or " · Set " in text or "Rest until" in text:
                return message
        raise AssertionError(f"{self.first_name} has no live message")

    async def wait_edit(self, message_id: int, *, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The message after its next edit not yet seen by wait_edit (past edits count)."""
        seen = self._seen_edits.get(message_id, 0)

        def edited() -> bool:
            message = self.api.find_message(self.id, message_id)
            return message is not None and message.edit_count > seen

        if not await self.api.wait_until(edited, timeout):
            self._fail(f"message {message_id} was not edited within {timeout}s", self.messages)
        message = self.api.find_message(self.id, message_id)
        assert message is not None
        self._seen_edits[message_id] = message.edit_count
        return message

    async def callback_answer(self, query_id: str, *, timeout: float = 5.0) -> Json:  # noqa: ASYNC109
        answers = self.api.callback_answers
        if not await self.api.wait_until(lambda: query_id in answers, timeout):
            self._fail(f"callback query {query_id} was not answered within {timeout}s", [])
        return answers[query_id]

    def drain(self) -> list[BotMessage]:
        unread = self._unread()
        self._read += len(unread)
        return unread

    # -- helpers ---------------------------------------------------------------------------

    def _unread(self) -> list[BotMessage]:
        return self.messages[self._read :]

    def _fail(self, what: str, shown: list[BotMessage]) -> None:
        lines = [f"{self.first_name} (chat {self.id}): {what}."]
        lines += [f"  message {m.message_id}: {m.text!r} {m.buttons()}" for m in shown[-5:]]
        if self.api.violations:
            lines.append("Bot API violations so far:")
            lines += [f"  {violation}" for violation in self.api.violations[-10:]]
        recent = [name for name, _ in self.api.requests if name != "getUpdates"][-10:]
        lines.append(f"Recent requests: {recent}")
        raise AssertionError("\n".join(lines))


class FakeBotAPI(BotApiEmulator):
    def __init__(
        self, token: str = DEFAULT_TOKEN, *, bot_username: str = "toning_coach_bot"
    ) -> None:
        super().__init__(token, bot_username=bot_username)
        self._faults: dict[str, list[_Fault]] = {}

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    user_class = FakeUser

    def user(self, user_id: int, *args: Any, **kwargs: Any) -> FakeUser:
        return cast(FakeUser, super().user(user_id, *args, **kwargs))

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        fault = _Fault(status, description, retry_after, times)
        self._faults.setdefault(method, []).append(fault)

    def assert_no_violations(self) -> None:
        if self.violations:
            listing = "\n  ".join(self.violations)
            raise AssertionError(f"{len(self.violations)} Bot API violation(s):\n  {listing}")

    async def _before(self, method: str) -> None:
        """Raises the next fault planned for `method`, or hangs if that is the plan."""
        faults = self._faults.get(method)
        if not faults:
            return
        fault = faults[0]
        fault.times -= 1
        if fault.times <= 0:
            faults.pop(0)
        if fault.status == HANG:
            await asyncio.sleep(fault.retry_after or 0)  # the client's read timeout runs out
            return
        raise ApiError(fault.status, fault.description, fault.retry_after)

    def _error_response(self, request: web.Request, error: ApiError) -> web.StreamResponse:
        if error.status == DROP:
            # A dropped connection: the client sees the socket close, with no answer.
            if request.transport is not None:
                request.transport.abort()
            return web.Response()
        return super()._error_response(request, error)
