"""A chat as its user saw it, written out: what they sent and tapped, what the bot sent,
edited and deleted, in order. `python -m tests.e2e.transcript ru out.txt` plays a full first
workout in that language against the real bot and the Bot API emulator, and writes it."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import time_machine

from bot.emulator.telegram_html import parse_html
from tests.fakes.bot_api import FakeBotAPI, FakeUser

Json = dict[str, Any]


class Transcript:
    """Reads the emulator's request log after each step of the user's."""

    def __init__(self, fake: FakeBotAPI, user: FakeUser) -> None:
        self.fake = fake
        self.user = user
        self.lines: list[str] = []
        self._seen = len(fake.requests)

    def said(self, text: str) -> None:
        self.lines.append(f"\n👤 {text}")

    def tapped(self, label: str) -> None:
        self.lines.append(f"\n👤 [taps {label}]")

    def note(self, text: str) -> None:
        self.lines.append(f"\n⏱ {text}")

    def read(self) -> None:
        """Whatever the bot did since the last read."""
        for method, params in self.fake.requests[self._seen :]:
            line = self._render(method, params)
            if line:
                self.lines.append(line)
        self._seen = len(self.fake.requests)

    def _render(self, method: str, params: Json) -> str:
        if str(params.get("chat_id", self.user.id)) != str(self.user.id):
            return ""
        text = _visible(str(params.get("text") or params.get("caption") or ""))
        buttons = _buttons(params.get("reply_markup"))
        if method == "sendMessage":
            return f"🤖 {text}{buttons}"
        if method == "editMessageText":
            return f"🤖 ✎ (message {params.get('message_id')} now reads) {text}{buttons}"
        if method == "deleteMessage":
            return f"🤖 🗑 (message {params.get('message_id')} deleted)"
        if method in ("sendDocument", "sendPhoto"):
            return f"🤖 📎 {text}"
        if method == "answerCallbackQuery" and params.get("text"):
            return f"🤖 (toast) {params['text']}"
        return ""

    def text(self) -> str:
        return "\n".join(self.lines).strip() + "\n"


def _visible(html: str) -> str:
    """The text as Telegram shows it: tags gone, entities decoded."""
    return parse_html(html).text if html else ""


def _buttons(markup: Any) -> str:
    if not isinstance(markup, dict):
        return ""
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    labels = [" | ".join(str(b.get("text", b)) for b in row) for row in rows]
    return "".join(f"\n   [{row}]" for row in labels)


@contextmanager
def pinned(at: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at, tick=True) as traveller:
        yield traveller


def main() -> None:
    from tests.e2e.test_languages import FULL_WORKOUTS, play_full_workout

    language, out = sys.argv[1], Path(sys.argv[2])
    if language not in FULL_WORKOUTS:
        raise SystemExit(f"no scripted workout in {language!r}: {sorted(FULL_WORKOUTS)}")

    async def run() -> str:
        start = datetime(2026, 12, 1, 17, tzinfo=UTC)
        with tempfile.TemporaryDirectory() as folder, pinned(start) as traveller:
            fake = FakeBotAPI()
            await fake.start()
            try:
                url = f"sqlite+aiosqlite:///{folder}/transcript.db"
                return await play_full_workout(
                    fake, url, language, rest_seconds=90, traveller=traveller
                )
            finally:
                await fake.stop()

    header = (
        f"# A first workout in {language}, typed in {language}: onboarding skipped, each set "
        "typed before its 90 s rest is over, one rest left to run out.\n"
        f"# Made with: python -m tests.e2e.transcript {language} {out.name}\n\n"
    )
    out.write_text(header + asyncio.run(run()), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
