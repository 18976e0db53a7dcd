"""A web page in front of the emulator that looks and behaves like a Telegram private chat.

Served by the emulator's own HTTP server: plain HTML, CSS and a small script (``static/``),
a JSON API the script calls to act as the user, and a WebSocket per tab that carries every
change to its chat (new, edited and deleted messages, callback answers, typing). A tab
chooses a name; the name picks the user, so two tabs with two names are two users.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web

from bot.emulator.bot_api import BotApiEmulator, BotMessage, ChatEvent, ChatUser, Json

STATIC = resources.files("bot.emulator") / "static"
STATIC_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
}
NAME_MAX = 64
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
TEXT_MAX = 4096  # what Telegram lets a user type in one message
# Demo clock steps the page offers, in minutes: a rest, an hour, a day.
CLOCK_STEPS = (1, 60, 24 * 60)
PNG, JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


@dataclass(frozen=True)
class DemoClock:
    """The coach's clock as the page sees it: how far ahead it is, and how to move it."""

    ahead: Callable[[], timedelta]
    move_forward: Callable[[timedelta], Awaitable[None]]
    # How far the coach's time is from this user's next reminder (None: none is planned).
    until_next_reminder: Callable[[int], Awaitable[timedelta | None]]


class BadInput(web.HTTPBadRequest):
    def __init__(self, reason: str) -> None:
        super().__init__(text=json.dumps({"error": reason}), content_type="application/json")


class ChatPage:
    def __init__(self, emulator: BotApiEmulator, demo_clock: DemoClock | None = None) -> None:
        self.emulator = emulator
        self.demo_clock = demo_clock
        self._sockets: set[web.WebSocketResponse] = set()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/", self._index),
            web.get("/static/{name}", self._static),
            web.post("/api/hello", self._hello),
            web.post("/api/send", self._send),
            web.post("/api/edit", self._edit),
            web.post("/api/press", self._press),
            web.post("/api/location", self._location),
            web.post("/api/clock", self._move_clock),
            web.get("/api/files/{user}/{message}", self._file),
            web.get("/api/events", self._events),
        ]

    # -- the page ----------------------------------------------------------------------------

    async def _index(self, request: web.Request) -> web.Response:
        return self._static_file("index.html")

    async def _static(self, request: web.Request) -> web.Response:
        return self._static_file(request.match_info["name"])

    def _static_file(self, name: str) -> web.Response:
        kind = next((t for ext, t in STATIC_TYPES.items() if name.endswith(ext)), None)
        resource = STATIC / name
        if kind is None or "/" in name or not resource.is_file():
            raise web.HTTPNotFound()
        return web.Response(
            body=resource.read_bytes(),
            content_type=kind,
            charset="utf-8",
            headers=_NO_SNIFF
            | {
                "Cache-Control": "no-store",
                "Content-Security-Policy": (
                    "default-src 'self'; img-src 'self' blob:; connect-src 'self'; "
                    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
                ),
            },
        )

    # -- acting as the user ---------------------------------------------------------------------

    async def _hello(self, request: web.Request) -> web.Response:
        """A tab joins as the user with this name: everything it needs to draw the chat."""
        body = await self._body(request)
        name = body.get("name")
        if not isinstance(name, str) or not 0 < len(name.strip()) <= NAME_MAX:
            raise BadInput(f"a name of 1-{NAME_MAX} characters, please")
        language = body.get("language", "en")
        if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
            raise BadInput("a language tag like en or pt-br, please")
        user = self.emulator.user(user_id_for(name.strip()), name.strip())
        user.language_code = language  # Telegram sends the app's current language each time
        return web.json_response(self._state(user))

    async def _send(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        user = self._user(body)
        message_id = user.send_text(_text(body))
        return web.json_response({"message_id": message_id})

    async def _edit(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        user = self._user(body)
        try:
            user.edit_text(_integer(body, "message_id"), _text(body))
        except ValueError as error:
            raise BadInput(str(error)) from None
        return web.json_response({})

    async def _press(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        user = self._user(body)
        message = self.emulator.find_message(user.id, _integer(body, "message_id"))
        if message is None:
            raise BadInput("that message is gone")
        try:
            button = message.inline_rows()[_integer(body, "row")][_integer(body, "column")]
        except IndexError:
            raise BadInput("that button is gone") from None
        try:
            user.press(message, button)
        except ValueError as error:
            raise BadInput(str(error)) from None
        return web.json_response({})

    async def _location(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        user = self._user(body)
        latitude, longitude = body.get("latitude"), body.get("longitude")
        if not (_is_number(latitude) and _is_number(longitude)):
            raise BadInput("latitude and longitude, please")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # type: ignore[operator]
            raise BadInput("that is not a place on Earth")
        user.share_location(float(latitude), float(longitude))  # type: ignore[arg-type]
        return web.json_response({})

    async def _move_clock(self, request: web.Request) -> web.Response:
        if self.demo_clock is None:
            raise web.HTTPNotFound()
        body = await self._body(request)
        if body.get("to") == "next_reminder":
            wait = await self.demo_clock.until_next_reminder(self._user(body).id)
            if wait is None:
                raise BadInput("no reminder is planned: pick training days with /settings")
        else:
            minutes = _integer(body, "minutes")
            if minutes not in CLOCK_STEPS:
                raise BadInput(f"the demo clock moves by {CLOCK_STEPS} minutes")
            wait = timedelta(minutes=minutes)
        await self.demo_clock.move_forward(wait)
        state = self._clock_state()
        for socket in list(self._sockets):
            await _send_json(socket, {"type": "clock", "clock": state})
        return web.json_response({"clock": state})

    async def _file(self, request: web.Request) -> web.Response:
        self._check_origin(request)
        try:
            user_id, message_id = (
                int(request.match_info["user"]),
                int(request.match_info["message"]),
            )
        except ValueError:
            raise web.HTTPNotFound() from None
        message = self.emulator.find_message(user_id, message_id)
        if message is None or message.file_bytes is None:
            raise web.HTTPNotFound()
        data = message.file_bytes
        if message.kind == "photo":
            # Only pictures are shown inline; anything else is served as bytes to download.
            kind = "image/png" if data.startswith(PNG) else "image/jpeg"
            if not data.startswith((PNG, JPEG)):
                kind = "application/octet-stream"
            return web.Response(body=data, content_type=kind, headers=_NO_SNIFF)
        disposition = f"attachment; filename*=UTF-8''{quote(_file_name(message), safe='')}"
        return web.Response(
            body=data,
            content_type="application/octet-stream",
            headers=_NO_SNIFF | {"Content-Disposition": disposition},
        )

    # -- live changes ---------------------------------------------------------------------------

    async def _events(self, request: web.Request) -> web.WebSocketResponse:
        self._check_origin(request)
        try:
            user_id = int(request.query["user"])
        except (KeyError, ValueError):
            raise web.HTTPBadRequest() from None
        socket = web.WebSocketResponse(heartbeat=30)
        await socket.prepare(request)
        queue: asyncio.Queue[Json] = asyncio.Queue()

        def on_change(event: ChatEvent) -> None:
            if event.chat_id in (user_id, 0):
                queue.put_nowait(self._event_json(event, user_id))

        unsubscribe = self.emulator.subscribe(on_change)
        self._sockets.add(socket)
        sender = asyncio.create_task(_forward(queue, socket))
        try:
            async for message in socket:
                if message.type == WSMsgType.ERROR:
                    break
        finally:
            unsubscribe()
            self._sockets.discard(socket)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        return socket

    def _event_json(self, event: ChatEvent, user_id: int) -> Json:
        if event.kind == "message":
            return {
                "type": "message",
                "message": self._message_json(event.chat_id, event.message_id),
            }
        if event.kind == "deleted":
            return {"type": "deleted", "message_id": event.message_id}
        if event.kind == "answer":
            detail = event.detail
            return {
                "type": "answer",
                "text": detail.get("text", ""),
                "show_alert": bool(detail.get("show_alert")),
            }
        if event.kind == "keyboard":
            return {
                "type": "keyboard",
                "keyboard": self.emulator.reply_keyboards.get(event.chat_id),
            }
        if event.kind == "commands":
            user = self.emulator.chat_user(user_id)
            language = user.language_code if user is not None else None
            commands = self.emulator.commands_for(language, user_id)
            return {"type": "commands", "commands": commands}
        return {"type": "action", "action": event.detail.get("action", "")}

    # -- what the page draws -------------------------------------------------------------------

    def _state(self, user: ChatUser) -> Json:
        ids = [m.message_id for m in user.messages if not m.deleted]
        ids += [int(m["message_id"]) for m in self.emulator.user_messages(user.id)]
        return {
            "me": {"id": user.id, "name": user.first_name, "language": user.language_code},
            "bot": self.emulator.bot_user(),
            "commands": self.emulator.commands_for(user.language_code, user.id),
            "keyboard": self.emulator.reply_keyboards.get(user.id),
            "messages": [self._message_json(user.id, i) for i in sorted(ids)],
            "clock": self._clock_state(),
            "clock_steps": list(CLOCK_STEPS),
        }

    def _clock_state(self) -> Json | None:
        if self.demo_clock is None:
            return None
        return {
            "ahead_seconds": int(self.demo_clock.ahead().total_seconds()),
            "now": self.emulator.clock(),  # the coach's time, which dates every message
        }

    def _message_json(self, chat_id: int, message_id: int) -> Json:
        sent = self.emulator.find_message(chat_id, message_id)
        if sent is not None:
            return _bot_message_json(sent)
        for message in self.emulator.user_messages(chat_id):
            if message["message_id"] == message_id:
                return _user_message_json(message)
        return {"id": message_id, "deleted": True}

    # -- checks -------------------------------------------------------------------------------

    async def _body(self, request: web.Request) -> Json:
        self._check_origin(request)
        if request.content_type != "application/json":
            raise BadInput("JSON, please")  # also keeps other sites' plain form posts out
        try:
            body = await request.json()
        except ValueError:
            raise BadInput("JSON, please") from None
        if not isinstance(body, dict):
            raise BadInput("a JSON object, please")
        return body

    def _check_origin(self, request: web.Request) -> None:
        """Only this page may act: not another site open in the same browser (whose requests
        carry its own Origin), nor a DNS name rebound to this address (another Host)."""
        origin = self.emulator.origin
        host = origin.removeprefix("http://")
        port = host.rsplit(":", 1)[-1]
        if request.host not in (host, f"localhost:{port}"):
            raise web.HTTPForbidden()
        sent_from = request.headers.get("Origin")
        if sent_from is not None and sent_from not in (origin, f"http://localhost:{port}"):
            raise web.HTTPForbidden()

    def _user(self, body: Json) -> ChatUser:
        user = self.emulator.chat_user(_integer(body, "user"))
        if user is None:
            raise BadInput("say hello first")
        return user


_NO_SNIFF = {"X-Content-Type-Options": "nosniff"}


def user_id_for(name: str) -> int:
    """The same name is the same user, in every tab and every run on the same database."""
    return 1_000_000 + zlib.crc32(name.casefold().encode()) % 1_000_000_000


def _bot_message_json(message: BotMessage) -> Json:
    buttons = [[_button_json(button) for button in row] for row in message.inline_rows()]
    result: Json = {
        "id": message.message_id,
        "from": "bot",
        "kind": message.kind,
        "text": message.text or "",
        "entities": message.entities,
        "buttons": buttons,
        "date": message.date,
        "edited": message.edit_count > 0,
    }
    if message.file_bytes is not None:
        result["file"] = {
            "url": f"/api/files/{message.chat_id}/{message.message_id}",
            "name": _file_name(message),
            "size": len(message.file_bytes),
        }
    return result


def _user_message_json(message: Json) -> Json:
    kind = "text" if "text" in message else "location" if "location" in message else "other"
    result: Json = {
        "id": message["message_id"],
        "from": "me",
        "kind": kind,
        "text": message.get("text", ""),
        "entities": [],
        "buttons": [],
        "date": message["date"],
        "edited": "edit_date" in message,
    }
    if kind == "location":
        result["location"] = message["location"]
    return result


def _button_json(button: Json) -> Json:
    url = button.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return {"text": button["text"], "kind": "url", "url": url}
    kind = "callback" if "callback_data" in button else "other"
    return {"text": button["text"], "kind": kind}


def _file_name(message: BotMessage) -> str:
    name = (message.file_name or "").replace("/", "_").replace("\\", "_").strip(". ")
    return name or ("photo.png" if message.kind == "photo" else "file")


def _text(body: Json) -> str:
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput("type something first")
    if len(text) > TEXT_MAX:
        raise BadInput(f"Telegram takes at most {TEXT_MAX} characters a message")
    return text


def _integer(body: Json, name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadInput(f"{name} must be a whole number")
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


async def _forward(queue: asyncio.Queue[Json], socket: web.WebSocketResponse) -> None:
    while True:
        await _send_json(socket, await queue.get())


async def _send_json(socket: web.WebSocketResponse, payload: Json) -> None:
    if not socket.closed:
        with contextlib.suppress(ConnectionResetError):
            await socket.send_json(payload)
