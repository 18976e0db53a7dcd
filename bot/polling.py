"""Starting and stopping the Application by hand, polling, inside an event loop that also
runs other things (`coach-bot try`'s emulator and page; the tests' fake Bot API)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application


async def start_polling(application: Application, *, long_poll_seconds: int) -> None:  # type: ignore[type-arg]
    """What `run_polling` does before it blocks: initialise, post_init, start, poll."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0, timeout=long_poll_seconds, allowed_updates=Update.ALL_TYPES
    )


async def stop_polling(application: Application) -> None:  # type: ignore[type-arg]
    """What `run_polling` does when it stops, in the same order."""
    assert application.updater is not None
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
