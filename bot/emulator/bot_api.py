"""The Bot API emulator: Telegram's side of the bot's HTTP requests, and of private chats.

    emulator = BotApiEmulator()
    await emulator.start()
    app = Application.builder().token(emulator.token).base_url(emulator.base_url).build()
    ann = emulator.user(42)
    ann.send("/start")

Every request is checked against the trimmed Bot API 10.0 spec (``bot_api_spec.json``) and
Telegram's content rules; what is wrong lands in ``violations`` (and in the log) and, where
Telegram would refuse the request, the bot gets the same error status and ``ok: false`` body
Telegram would give. ``coach-bot try`` puts a chat page in front of it; the tests put a
scripted user (tests/fakes/bot_api.py).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.emulator.api_spec import BotApiSpec, Upload
from bot.emulator.content_rules import check_content
from bot.emulator.telegram_html import ParsedText, utf16_length

log = logging.getLogger(__name__)

# Well formed (digits, a colon, 30+ URL-safe characters) but never a real bot's token.
DEFAULT_TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
STALE_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ROUTE = re.compile(r"/bot([^/]*)/([^/]*)")

Json = dict[str, Any]


class ApiError(Exception):
    """Makes the emulator answer ``{"ok": false, ...}`` with the error's status, like Telegram."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def response(self) -> web.Response:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


@dataclass
class BotMessage:
    """A message the bot sent, as it stands now (edits change it in place)."""

    message_id: int
    chat_id: int
    text: str | None  # visible text; for photos and documents, the caption
    html: str  # the text or caption exactly as sent
    parse_mode: str | None
    reply_markup: Json | None
    kind: str = "text"  # "text", "photo" or "document"
    file_bytes: bytes | None = None
    file_name: str | None = None
    entities: list[Json] = field(default_factory=list)
    date: int = 0
    edit_count: int = 0
    deleted: bool = False

    def buttons(self) -> list[list[str]]:
        """Inline keyboard labels, row by row."""
        return [[button["text"] for button in row] for row in self.inline_rows()]

    def keyboard(self) -> list[list[str]]:
        """Reply keyboard labels, row by row."""
        rows = (self.reply_markup or {}).get("keyboard", [])
        return [[b if isinstance(b, str) else b["text"] for b in row] for row in rows]

    def button_data(self, label: str) -> str:
        button = self.find_button(label)
        if button is None:
            raise AssertionError(
                f"no button {label!r} in message {self.message_id}: {self.buttons()}"
            )
        return str(button.get("callback_data"))

    def find_button(self, label: str) -> Json | None:
        """The inline button labelled ``label``, else the one whose label contains it."""
        buttons = [button for row in self.inline_rows() for button in row]
        exact = [button for button in buttons if button["text"] == label]
        if exact:
            return exact[0]
        partial = [button for button in buttons if label in button["text"]]
        if len(partial) > 1:
            labels = [button["text"] for button in partial]
            raise AssertionError(f"{label!r} is ambiguous in message {self.message_id}: {labels}")
        return partial[0] if partial else None

    def inline_rows(self) -> list[list[Json]]:
        return list((self.reply_markup or {}).get("inline_keyboard", []))


@dataclass(frozen=True)
class ChatEvent:
    """Something a chat window shows: ``kind`` is "message" (new or changed, bot's or
    user's), "deleted", "answer" (a callback answer), "action" (typing...), "keyboard"
    (the reply keyboard changed) or "commands" (chat_id 0: the menu changed)."""

    chat_id: int
    kind: str
    message_id: int = 0
    detail: Json = field(default_factory=dict)


class ChatUser:
    """A person in a private chat with the bot (the chat id is the user id)."""

    def __init__(
        self,
        api: BotApiEmulator,
        user_id: int,
        first_name: str,
        last_name: str | None,
        language_code: str | None,
        username: str | None,
    ) -> None:
        self.api = api
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.language_code = language_code
        self.username = username

    @property
    def messages(self) -> list[BotMessage]:
        return self.api.sent_to(self.id)

    def as_user(self) -> Json:
        user: Json = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        return user | {key: value for key, value in optional.items() if value is not None}

    def chat(self) -> Json:
        chat: Json = {"id": self.id, "type": "private", "first_name": self.first_name}
        optional = {"last_name": self.last_name, "username": self.username}
        return chat | {key: value for key, value in optional.items() if value is not None}

    # -- acting ----------------------------------------------------------------------------

    def send_text(self, text: str) -> int:
        """Send a text message; a leading /command carries its bot_command entity."""
        content: Json = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
            ]
        return self.send_content(content)

    def share_location(self, latitude: float, longitude: float) -> int:
        return self.send_content({"location": {"latitude": latitude, "longitude": longitude}})

    def edit_text(self, message_id: int, text: str) -> None:
        """Edit a text message this user sent: the bot gets an edited_message update."""
        sent = self.api._user_messages.get(self.id, {})
        original = sent.get(message_id)
        if original is None or "text" not in original:
            raise ValueError(f"{self.first_name} sent no text message {message_id}")
        edited = {**original, "text": text, "edit_date": int(self.api.clock())}
        edited.pop("entities", None)
        sent[message_id] = edited
        self.api._notify(ChatEvent(self.id, "message", message_id))
        self.api.enqueue_update({"edited_message": edited})

    def press(self, message: BotMessage, button: Json) -> str:
        """Press an inline button of ``message``: the bot gets a callback query."""
        if "callback_data" not in button:
            raise ValueError(f"button {button.get('text')!r} sends no callback data")
        return self.callback(str(button["callback_data"]), self.api.message_dict(message))

    def callback(self, data: str, message: Json) -> str:
        query_id = self.api._open_query(self.id)
        query = {
            "id": query_id,
            "from": self.as_user(),
            "message": message,
            "chat_instance": f"-{self.id}00",
            "data": data,
        }
        self.api.enqueue_update({"callback_query": query})
        return query_id

    def send_content(self, content: Json) -> int:
        message = {
            "message_id": self.api._next_message_id(self.id),
            "from": self.as_user(),
            "chat": self.chat(),
            "date": int(self.api.clock()),
            **content,
        }
        self.api._user_messages.setdefault(self.id, {})[message["message_id"]] = message
        self.api._notify(ChatEvent(self.id, "message", message["message_id"]))
        self.api.enqueue_update({"message": message})
        return int(message["message_id"])


class BotApiEmulator:
    user_class: type[ChatUser] = ChatUser  # who is at the other end of each chat

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "toning_coach_bot",
        first_id: int = 1,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``first_id`` starts update and message ids: a later run on the same database
        must not reuse ids it has seen (the bot keys sets and redeliveries by them).
        ``clock`` gives message dates, in seconds since the epoch."""
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":")[0])
        self.spec = BotApiSpec.load()
        self.clock = clock
        self.base_url = ""
        self.origin = ""
        self.violations: list[str] = []
        self.requests: list[tuple[str, Json]] = []
        self.blocked_users: set[int] = set()
        self.callback_answers: dict[str, Json] = {}
        # The command menus setMyCommands set, by (chat id for a chat's own scope or None,
        # language_code or "" for every language).
        self.menus: dict[tuple[int | None, str], list[Json]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.reply_keyboards: dict[int, Json] = {}
        self.webhook_url = ""
        self.poll_conflicts = 0
        self._first_id = first_id
        self._users: dict[int, ChatUser] = {}
        self._bot_messages: dict[int, list[BotMessage]] = {}
        self._user_messages: dict[int, dict[int, Json]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._update_ids = itertools.count(first_id)
        self._query_ids = itertools.count(7_001_000_000_000_000_001)
        self._open_queries: dict[str, int] = {}  # query id -> chat id
        self._history: dict[int, Json] = {}
        self._pending: list[Json] = []
        self._redelivered: list[Json] = []
        self._poller: object | None = None
        self._changed = asyncio.Event()
        self._listeners: list[Callable[[ChatEvent], None]] = []
        self._closing = False
        self._runner: web.AppRunner | None = None

    # -- lifecycle -----------------------------------------------------------------------

    async def start(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        extra_routes: Iterable[web.AbstractRouteDef] = (),
    ) -> None:
        """Serve the Bot API on ``host:port`` (0: any free port); ``extra_routes`` (a chat
        page) are served by the same server, ahead of the Bot API's."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.add_routes(list(extra_routes))
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.origin = f"http://{host}:{bound_port}"
        self.base_url = f"{self.origin}/bot"

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- chats ---------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        *,
        last_name: str | None = None,
        language_code: str | None = "en",
        username: str | None = None,
    ) -> ChatUser:
        if user_id not in self._users:
            self._users[user_id] = self.user_class(
                self, user_id, first_name, last_name, language_code, username
            )
            self._bot_messages[user_id] = []
        return self._users[user_id]

    def chat_user(self, user_id: int) -> ChatUser | None:
        """The user of this private chat, if they ever wrote or were written to."""
        return self._users.get(user_id)

    def sent_to(self, chat_id: int) -> list[BotMessage]:
        return list(self._bot_messages.get(chat_id, []))

    def user_messages(self, chat_id: int) -> list[Json]:
        """What the user sent in this chat, as Message objects (the latest edit of each)."""
        return list(self._user_messages.get(chat_id, {}).values())

    def subscribe(self, listener: Callable[[ChatEvent], None]) -> Callable[[], None]:
        """Call ``listener`` on every change to any chat; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def enqueue_update(self, update: Json) -> int:
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        else:
            self._update_ids = itertools.count(max(update["update_id"] + 1, next(self._update_ids)))
        self._history[update["update_id"]] = update
        self._pending.append(update)
        self._notify()
        return int(update["update_id"])

    @property
    def last_update_id(self) -> int:
        """The id of the newest update enqueued (to redeliver it)."""
        return max(self._history)

    def redeliver(self, update_id: int) -> None:
        """Deliver an update again with the same id and content, whatever the offset."""
        self._redelivered.append(copy.deepcopy(self._history[update_id]))
        self._notify()

    def take_updates(self) -> list[Json]:
        """Every update not yet delivered, for a webhook delivery that posts them itself."""
        updates = self._redelivered + self._pending
        self._redelivered, self._pending = [], []
        return updates

    @property
    def has_updates(self) -> bool:
        return bool(self._pending or self._redelivered)

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now."""
        return self._poller is not None

    def calls(self, method: str) -> list[Json]:
        """The parameters of every ``method`` request, in order."""
        return [params for name, params in self.requests if name == method]

    # -- waiting -------------------------------------------------------------------------

    def _notify(self, event: ChatEvent | None = None) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
        if event is not None:
            for listener in list(self._listeners):
                listener(event)

    def notify(self) -> None:
        """Wake everything waiting in ``wait_until`` (to have it look at its predicate)."""
        self._notify()

    async def wait_until(self, predicate: Callable[[], bool], within: float) -> bool:
        """Wait, woken by every change to the emulator, until predicate() holds or time is up."""
        deadline = asyncio.get_running_loop().time() + within
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True

    # -- HTTP ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        route = ROUTE.fullmatch(request.path)
        if route is None:
            return ApiError(404, "Not Found").response()
        token, method = route.groups()
        if token != self.token:
            return ApiError(401, "Unauthorized").response()
        try:
            raw = await _read_params(request)
            if method not in self.spec.methods:
                self._violation(
                    f"unknown method {method!r} (not in bot_api_spec.json; if Bot API 10.0 "
                    "has it, add it to regenerate_spec.METHODS)"
                )
                raise ApiError(404, "Not Found")
            result = await self._call(method, raw)
        except ApiError as error:
            return self._error_response(request, error)
        return web.json_response({"ok": True, "result": result})

    def _error_response(self, request: web.Request, error: ApiError) -> web.StreamResponse:
        return error.response()

    def _violation(self, message: str) -> None:
        self.violations.append(message)
        log.warning("the bot sent what Telegram would not accept: %s", message)

    async def _call(self, method: str, raw: dict[str, object]) -> object:
        checked = self.spec.check(method, raw)
        content = check_content(method, checked.params, self.spec.limits)
        problems = checked.problems + content.problems
        self.requests.append((method, checked.params))
        for problem in problems:
            self._violation(problem.message)
        refusal = next((p.refusal for p in problems if p.refusal), None)
        if refusal:
            raise ApiError(400, refusal)
        await self._before(method)
        handler = self._handlers()[method]
        return await handler(checked.params, content.rendered)

    async def _before(self, method: str) -> None:
        """Runs before each valid request is carried out; a test layer plans faults here."""

    def _handlers(self) -> dict[str, Callable[[Json, ParsedText | None], Awaitable[object]]]:
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "close": self._true,
            "logOut": self._true,
        }

    # -- Bot API methods -----------------------------------------------------------------

    async def _true(self, params: Json, rendered: ParsedText | None) -> bool:
        return True

    async def _get_me(self, params: Json, rendered: ParsedText | None) -> Json:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: Json, rendered: ParsedText | None) -> list[Json]:
        if self.webhook_url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = int(params.get("offset", 0))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        self._confirm(offset)
        me = object()
        self._poller = me  # a newer poll terminates the older one, as on Telegram
        self._notify()
        await self.wait_until(
            lambda: bool(self._deliverable(offset)) or self._poller is not me or self._closing,
            timeout,
        )
        if self._poller is not me:
            self.poll_conflicts += 1
            raise ApiError(409, POLL_CONFLICT)
        self._poller = None
        updates = self._deliverable(offset)[:limit]
        self._redelivered = [u for u in self._redelivered if all(u is not d for d in updates)]
        return updates

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _deliverable(self, offset: int) -> list[Json]:
        fresh = [u for u in self._pending if offset <= 0 or u["update_id"] >= offset]
        return sorted(self._redelivered + fresh, key=lambda u: int(u["update_id"]))

    async def _set_webhook(self, params: Json, rendered: ParsedText | None) -> bool:
        self.webhook_url = str(params["url"])
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _delete_webhook(self, params: Json, rendered: ParsedText | None) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: Json, rendered: ParsedText | None) -> Json:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _send_message(self, params: Json, rendered: ParsedText | None) -> Json:
        assert rendered is not None
        return self._store(params, "text", str(params["text"]), rendered)

    async def _send_photo(self, params: Json, rendered: ParsedText | None) -> Json:
        return self._store(params, "photo", str(params.get("caption", "")), rendered, "photo")

    async def _send_document(self, params: Json, rendered: ParsedText | None) -> Json:
        caption = str(params.get("caption", ""))
        return self._store(params, "document", caption, rendered, "document")

    def _store(
        self,
        params: Json,
        kind: str,
        html: str,
        rendered: ParsedText | None,
        file_param: str | None = None,
    ) -> Json:
        chat_id = self._reachable_chat(params["chat_id"])
        upload = params.get(file_param) if file_param else None
        message = BotMessage(
            message_id=self._next_message_id(chat_id),
            chat_id=chat_id,
            text=rendered.text if rendered else None,
            html=html,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            kind=kind,
            file_bytes=upload.content if isinstance(upload, Upload) else None,
            file_name=upload.filename if isinstance(upload, Upload) else None,
            entities=rendered.entities if rendered else [],
            date=int(self.clock()),
        )
        self._bot_messages[chat_id].append(message)
        self._notify(ChatEvent(chat_id, "message", message.message_id))
        self._keep_reply_keyboard(chat_id, message.reply_markup)
        return self.message_dict(message)

    def _keep_reply_keyboard(self, chat_id: int, markup: Json | None) -> None:
        """A reply keyboard stays under the input field until one replaces or removes it."""
        if markup is None or "inline_keyboard" in markup:
            return
        if "keyboard" in markup:
            self.reply_keyboards[chat_id] = markup
        elif markup.get("remove_keyboard"):
            self.reply_keyboards.pop(chat_id, None)
        else:
            return  # force_reply: nothing to show
        self._notify(ChatEvent(chat_id, "keyboard"))

    def _reachable_chat(self, chat_id: object) -> int:
        if not isinstance(chat_id, int) or chat_id not in self._users:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked_users:
            raise ApiError(403, BLOCKED)
        return chat_id

    def _message_to_edit(self, params: Json) -> BotMessage:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by the emulator")
        message = self.find_message(params.get("chat_id"), params.get("message_id"))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _edit_message_text(self, params: Json, rendered: ParsedText | None) -> Json:
        assert rendered is not None
        message = self._message_to_edit(params)
        if message.kind != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        markup = params.get("reply_markup")
        before = (message.text, message.entities, message.reply_markup)
        if before == (rendered.text, rendered.entities, markup):
            raise ApiError(400, NOT_MODIFIED)
        message.text, message.entities, message.reply_markup = (
            rendered.text,
            rendered.entities,
            markup,
        )
        message.html = str(params["text"])
        message.parse_mode = params.get("parse_mode")
        return self._edited(message)

    async def _edit_message_reply_markup(self, params: Json, rendered: ParsedText | None) -> Json:
        message = self._message_to_edit(params)
        markup = params.get("reply_markup")
        if markup == message.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        message.reply_markup = markup
        return self._edited(message)

    def _edited(self, message: BotMessage) -> Json:
        message.edit_count += 1
        self._notify(ChatEvent(message.chat_id, "message", message.message_id))
        return {**self.message_dict(message), "edit_date": int(self.clock())}

    async def _delete_message(self, params: Json, rendered: ParsedText | None) -> bool:
        chat_id, message_id = params["chat_id"], params["message_id"]
        message = self.find_message(chat_id, message_id)
        user_messages = self._user_messages.get(chat_id, {}) if isinstance(chat_id, int) else {}
        if message is not None:
            message.deleted = True
        elif user_messages.pop(message_id, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._notify(ChatEvent(chat_id, "deleted", message_id))
        return True

    async def _answer_callback_query(self, params: Json, rendered: ParsedText | None) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._open_queries:
            raise ApiError(400, STALE_QUERY)
        chat_id = self._open_queries.pop(query_id)
        self.callback_answers[query_id] = params
        self._notify(ChatEvent(chat_id, "answer", detail=params))
        return True

    @property
    def commands(self) -> list[Json]:
        """The menu of users whose language has none of its own."""
        return self.commands_for(None)

    def commands_for(self, language_code: str | None, chat_id: int | None = None) -> list[Json]:
        """The menu Telegram shows in a private chat whose user's app is in `language_code`
        (`pt-br` -> `pt`): the chat's own scope first, then the default, each in the user's
        language before every language."""
        language = (language_code or "").split("-")[0].split("_")[0].lower()
        for key in ((chat_id, language), (chat_id, ""), (None, language), (None, "")):
            if key in self.menus:
                return self.menus[key]
        return []

    @staticmethod
    def _menu_key(params: Json) -> tuple[int | None, str]:
        scope = params.get("scope") or {}
        if isinstance(scope, str):
            scope = json.loads(scope)
        chat = scope.get("chat_id") if scope.get("type") == "chat" else None
        return (None if chat is None else int(chat), str(params.get("language_code") or ""))

    async def _set_my_commands(self, params: Json, rendered: ParsedText | None) -> bool:
        commands = params["commands"]
        if isinstance(commands, str):
            commands = json.loads(commands)
        self.menus[self._menu_key(params)] = list(commands)
        self._notify(ChatEvent(0, "commands"))
        return True

    async def _delete_my_commands(self, params: Json, rendered: ParsedText | None) -> bool:
        self.menus.pop(self._menu_key(params), None)
        self._notify(ChatEvent(0, "commands"))
        return True

    async def _send_chat_action(self, params: Json, rendered: ParsedText | None) -> bool:
        chat_id = self._reachable_chat(params["chat_id"])
        self.chat_actions.append((chat_id, str(params["action"])))
        self._notify(ChatEvent(chat_id, "action", detail={"action": str(params["action"])}))
        return True

    # -- Telegram objects ------------------------------------------------------------------

    def bot_user(self) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Toning Coach",
            "username": self.bot_username,
        }

    def find_message(self, chat_id: object, message_id: object) -> BotMessage | None:
        if not isinstance(chat_id, int):
            return None
        for message in self._bot_messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def message_dict(self, message: BotMessage) -> Json:
        """The message as a Bot API Message object."""
        result: Json = {
            "message_id": message.message_id,
            "from": self.bot_user(),
            "chat": self._users[message.chat_id].chat(),
            "date": message.date,
        }
        text_key, entities_key = ("text", "entities")
        if message.kind != "text":
            text_key, entities_key = ("caption", "caption_entities")
            result[message.kind] = self._file_object(message)
        if message.text:
            result[text_key] = message.text
        if message.entities:
            result[entities_key] = message.entities
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return result

    def _file_object(self, message: BotMessage) -> Json | list[Json]:
        file_id = f"{message.kind}-{message.chat_id}-{message.message_id}"
        common = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(message.file_bytes or b""),
        }
        if message.kind == "photo":
            return [{**common, "width": 800, "height": 600}]
        return {**common, "file_name": message.file_name or "file"}

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(self._first_id)))

    def _open_query(self, chat_id: int) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries[query_id] = chat_id
        return query_id


async def _read_params(request: web.Request) -> dict[str, object]:
    """Query string, then the body: JSON, url-encoded form fields or multipart parts."""
    params: dict[str, object] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text())
        except ValueError as error:
            raise ApiError(400, f"Bad Request: can't parse JSON body: {error}") from error
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[name] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                params[name] = value
    return params
