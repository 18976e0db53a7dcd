"""A browser tab on the chat page, played over its JSON API and WebSocket (no browser)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp

Json = dict[str, Any]


class PageTab:
    def __init__(self, session: aiohttp.ClientSession, origin: str) -> None:
        self.session = session
        self.origin = origin
        self.user = 0
        self.state: Json = {}
        self.events: list[Json] = []
        self._socket: aiohttp.ClientWebSocketResponse | None = None

    async def hello(self, name: str) -> Json:
        return await self.hello_in(name, "en")

    async def hello_in(self, name: str, language: str) -> Json:
        status, self.state = await self.post("/api/hello", name=name, language=language)
        assert status == 200, self.state
        self.user = int(self.state["me"]["id"])
        self._socket = await self.session.ws_connect(f"{self.origin}/api/events?user={self.user}")
        return self.state

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def post(self, path: str, **body: Any) -> tuple[int, Json]:
        async with self.session.post(f"{self.origin}{path}", json=body) as response:
            return response.status, await response.json()

    async def act(self, path: str, **body: Any) -> Json:
        status, answer = await self.post(path, user=self.user, **body)
        assert status == 200, answer
        return answer

    async def send(self, text: str) -> int:
        return int((await self.act("/api/send", text=text))["message_id"])

    async def event(self, wanted: Callable[[Json], bool], within: float = 10.0) -> Json:
        """The next pushed event that `wanted` accepts (earlier ones are kept in `events`)."""
        assert self._socket is not None
        seen = len(self.events)
        try:
            async with asyncio.timeout(within):
                while True:
                    event = await self._socket.receive_json()
                    self.events.append(event)
                    if wanted(event):
                        return event
        except TimeoutError:
            shown = [e.get("message", e) for e in self.events[seen:]]
            raise TimeoutError(f"not within {within}s; pushed meanwhile: {shown}") from None

    async def bot_says(self, fragment: str, within: float = 10.0) -> Json:
        """The next new or changed bot message containing `fragment`."""
        event = await self.event(
            lambda e: (
                e["type"] == "message"
                and e["message"]["from"] == "bot"
                and fragment in e["message"]["text"]
            ),
            within,
        )
        return dict(event["message"])

    async def press(self, message: Json, label: str) -> None:
        for row, buttons in enumerate(message["buttons"]):
            for column, button in enumerate(buttons):
                if button["text"] == label:
                    await self.act("/api/press", message_id=message["id"], row=row, column=column)
                    return
        raise AssertionError(f"no button {label!r} in {message['buttons']}")
