"""`coach-bot run | migrate | try` (and `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

# The rest is imported in the functions: `coach-bot run` turns the collector off first.


def _run(settings: Settings) -> None:
    from telegram import Update

    from bot.app import build_application
    from bot.logs import configure_logging

    token = settings.token()
    configure_logging(settings.log_level, token)
    application = build_application(settings)
    if settings.webhook_url:
        from bot.webhook import WebhookServer, serve

        server = WebhookServer(
            application,
            public_url=settings.webhook_url,
            secret=settings.webhook_secret_value(),
            listen=settings.listen,
            port=settings.port,
        )
        asyncio.run(serve(server))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def _migrate(settings: Settings) -> None:
    from bot.logs import configure_logging
    from bot.storage.database import Database
    from bot.storage.migrate import upgrade

    async def go() -> None:
        db = Database(settings.database_url)
        try:
            await upgrade(db.engine)
        finally:
            await db.dispose()

    configure_logging(settings.log_level, "")
    asyncio.run(go())
    print("database is at the newest schema")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coach-bot", description="The toning coach bot.")
    parser.add_argument("command", choices=["run", "migrate", "try"], help="what to do")
    tryout = parser.add_argument_group("try: the coach in a browser, with no Telegram token")
    tryout.add_argument("--database-url", help="keep the data here (default: a fresh file)")
    tryout.add_argument("--host", default="127.0.0.1", help="the page's address (127.0.0.1)")
    tryout.add_argument("--port", type=int, default=0, help="the page's port (default: any)")
    tryout.add_argument("--no-browser", action="store_true", help="only print the address")
    args = parser.parse_args(argv)
    if args.command == "try":
        from bot.tryout import run

        asyncio.run(
            run(args.database_url, host=args.host, port=args.port, browser=not args.no_browser)
        )
        return 0
    if args.command == "run":
        # Start-up builds many long-lived objects and little garbage; the collector's passes
        # over them were about 0.1 s of the time to the first getUpdates. post_init freezes
        # what start-up built and turns it back on.
        gc.disable()
    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
        if args.command == "run":
            _run(settings)
        else:
            _migrate(settings)
    except SettingsError as problem:
        print(f"coach-bot: {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
