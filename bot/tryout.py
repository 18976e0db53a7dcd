"""`coach-bot try`: the real coach, in a browser, with no Telegram token and no network.

The same Application as `coach-bot run` (handlers, JobQueue, database) polls the Bot API
emulator on loopback with a dummy token; the emulator's server also serves a chat page, so a
person can talk to the coach as in Telegram. The page's demo clock moves the coach's time
forward, so reminders show up without waiting for a training day.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
import webbrowser
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from telegram.ext import Application

from bot import clock
from bot.app import build_application
from bot.chat.common import Coach
from bot.config import Settings
from bot.emulator.bot_api import DEFAULT_TOKEN, BotApiEmulator
from bot.emulator.chat_page import ChatPage, DemoClock
from bot.logs import configure_logging
from bot.polling import start_polling, stop_polling
from bot.services import reminders

log = logging.getLogger(__name__)

# The sweep for due reminders runs this often, so that a reminder shows soon after it is due.
SWEEP_SECONDS = 3.0
# "To the next reminder" lands this far past its due instant, so the sweep finds it due.
REMINDER_MARGIN = timedelta(seconds=5)


class TryOut:
    """The emulator with its chat page, and the coach polling it."""

    def __init__(self, database_url: str, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.database_url = database_url
        self.host = host
        self.port = port
        # Ids go on from where an earlier run on the same database left off: the coach keys
        # sets and redelivered updates by them. Milliseconds since the epoch only grow.
        self.emulator = BotApiEmulator(
            DEFAULT_TOKEN,
            first_id=time.time_ns() // 1_000_000,
            clock=lambda: clock.now().timestamp(),
        )
        self.application: Application | None = None  # type: ignore[type-arg]

    @property
    def url(self) -> str:
        return f"{self.emulator.origin}/"

    async def start(self) -> str:
        """Starts everything; returns the page's address."""
        demo_clock = DemoClock(clock.ahead, self._move_clock, self._until_next_reminder)
        page = ChatPage(self.emulator, demo_clock)
        await self.emulator.start(self.host, self.port, extra_routes=page.routes())
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=SecretStr(DEFAULT_TOKEN),
            telegram_api_url=self.emulator.base_url,
            database_url=self.database_url,
            webhook_url=None,
            sweep_seconds=SWEEP_SECONDS,
        )
        application = build_application(settings)
        await start_polling(application, long_poll_seconds=10)
        self.application = application
        return self.url

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is not None:
            await stop_polling(application)
        await self.emulator.stop()

    async def _move_clock(self, by: timedelta) -> None:
        await move_coach_clock(self.application, by)

    async def _until_next_reminder(self, user_id: int) -> timedelta | None:
        """From the coach's now to just after the user's next reminder is due."""
        assert self.application is not None
        coach: Coach = self.application.bot_data["coach"]
        async with coach.db.reading() as session:
            planned = await reminders.pending(session, user_id)
        if planned is None:
            return None
        due = planned.due_at if planned.due_at.tzinfo else planned.due_at.replace(tzinfo=UTC)
        return max(due - clock.now() + REMINDER_MARGIN, timedelta(0))


async def move_coach_clock(application: Application | None, by: timedelta) -> None:  # type: ignore[type-arg]
    """Moves the coach's clock forward, and the JobQueue's timers with it.

    APScheduler keeps real time. A timer due at real time T was meant for coach time
    T + ahead; with the coach `by` further ahead, it must fire `by` sooner to keep that
    moment (a rest that is over now ends now; the sweep runs at once).
    """
    clock.move_forward(by)
    if application is None or application.job_queue is None:
        return
    real_now = datetime.now(UTC)
    for job in application.job_queue.scheduler.get_jobs():
        if job.next_run_time is not None:
            job.modify(next_run_time=max(job.next_run_time - by, real_now))
    log.info("demo clock: the coach's time is now %s", clock.now().isoformat(timespec="minutes"))


def fresh_database_url(folder: Path) -> tuple[str, Path]:
    """A new SQLite file in `folder`, named for the moment, and its URL."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"coach-try-{stamp}.db"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"coach-try-{stamp}-{counter}.db"
    return f"sqlite+aiosqlite:///{path.resolve()}", path.resolve()


def open_in_browser(url: str) -> bool:
    """Opens the page in the desktop's browser; False where there is none."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if type(browser) is webbrowser.GenericBrowser:
        return False  # a text-mode browser (lynx, w3m) would take over this terminal
    return browser.open(url)


async def run(database_url: str | None, *, host: str, port: int, browser: bool) -> None:
    """Runs the try-out until Ctrl+C (SIGINT) or SIGTERM."""
    configure_logging("INFO", DEFAULT_TOKEN)
    if database_url is None:
        database_url, path = fresh_database_url(Path.cwd())
        where = (
            f"a fresh database: {path}\n"
            f"  (to carry on later: coach-bot try --database-url {database_url})"
        )
    else:
        where = f"the database {database_url}"
    tryout = TryOut(database_url, host=host, port=port)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        url = await tryout.start()
        print(
            f"\nThe coach is ready at {url}\nIts data is in {where}\nCtrl+C stops it.\n",
            flush=True,
        )
        if browser and not await loop.run_in_executor(None, open_in_browser, url):
            print(f"No browser to open here: open {url} yourself.", flush=True)
        await stopping.wait()
    finally:
        await tryout.stop()
