"""The composition root: builds the Application from Settings and wires everything."""

from __future__ import annotations

import gc
import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot.chat.bot_api import bot_api_requests
from bot.chat.common import Coach
from bot.chat.errors import on_error
from bot.chat.language import set_commands
from bot.chat.order import PerUserOrder
from bot.chat.register import add_handlers
from bot.config import Settings
from bot.reminders.jobs import schedule_sweeps
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.webhook import close_server, serve_status

log = logging.getLogger(__name__)

# Updates handled at once; the HTTP pool is sized to match so requests don't queue on it.
CONCURRENT_UPDATES = 64
STATUS_SERVER = "status_server"


def build_application(settings: Settings, db: Database | None = None) -> Application:  # type: ignore[type-arg]
    """The bot, ready for `run_polling`/`run_webhook` or a manual `initialize`/`start`."""
    database = db if db is not None else Database(settings.database_url)
    requests, get_updates_requests = bot_api_requests(CONCURRENT_UPDATES)
    builder = (
        ApplicationBuilder()
        .token(settings.token())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.send_rate, max_retries=3))
        .concurrent_updates(PerUserOrder(CONCURRENT_UPDATES))
        .request(requests)
        .get_updates_request(get_updates_requests)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_url:
        builder = builder.base_url(settings.telegram_api_url).base_file_url(
            settings.telegram_api_url.replace("/bot", "/file/bot", 1)
        )
    application = builder.build()
    application.bot_data["coach"] = Coach(db=database, settings=settings)
    add_handlers(application)
    application.add_error_handler(on_error)
    return application


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    coach: Coach = application.bot_data["coach"]
    await upgrade(coach.db.engine)
    await set_commands(application.bot)
    schedule_sweeps(application, coach.settings)
    if coach.settings.metrics_port is not None:
        application.bot_data[STATUS_SERVER] = serve_status(
            application, coach.settings.listen, coach.settings.metrics_port
        )
    # Everything loaded so far lives as long as the process: keep it out of the collector's
    # full passes, which otherwise stall every user's reply for a few hundred milliseconds.
    # `coach-bot run` kept the collector off through start-up (bot/cli.py); that leaves a few
    # hundred objects of garbage, cheaper frozen with the rest than a full pass (~60 ms) before
    # the first getUpdates. Where it was on (tests, embedding), collect first.
    if gc.isenabled():
        gc.collect()
    gc.freeze()
    gc.enable()
    log.info("coach bot ready as @%s", application.bot.username)


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    coach: Coach = application.bot_data["coach"]
    status_server = application.bot_data.pop(STATUS_SERVER, None)
    if status_server is not None:
        await close_server(status_server)
    await coach.db.dispose()
