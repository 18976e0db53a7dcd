"""Webhook mode: Telegram posts updates to /telegram; a load balancer checks /health;
Prometheus scrapes /metrics. In polling mode, METRICS_PORT serves /health and /metrics alone.

An update is handled (its set committed) before Telegram gets its 200: answering first would
lose the update if this instance died in between, since Telegram does not resend after a 200.
Handling takes milliseconds; Telegram waits far longer. Slow work (reminders, rest timers)
runs in the JobQueue, not in the request.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.chat.common import Coach

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram"


class TelegramUpdates(RequestHandler):
    def initialize(self, bot_app: Application, secret: str) -> None:  # type: ignore[type-arg]
        self.bot_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_app.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("refused a webhook body that is not an update")
            self.set_status(400)
            return
        # Through the update processor, so one user's updates still run in order.
        processor = self.bot_app.update_processor
        await processor.process_update(update, self.bot_app.process_update(update))
        self.set_status(200)


class Health(RequestHandler):
    def initialize(self, bot_app: Application) -> None:  # type: ignore[type-arg]
        self.bot_app = bot_app

    async def get(self) -> None:
        coach: Coach = self.bot_app.bot_data["coach"]
        try:
            async with coach.db.reading() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: the database does not answer")
            self.set_status(503)
            self.write({"ok": False, "database": "unreachable"})
            return
        self.write({"ok": True})


class Metrics(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.write(generate_latest())


def _status_routes(application: Application) -> list[Any]:  # type: ignore[type-arg]
    return [("/health", Health, {"bot_app": application}), ("/metrics", Metrics)]


def web_app(application: Application, secret: str) -> WebApplication:  # type: ignore[type-arg]
    return WebApplication(
        [
            (PATH, TelegramUpdates, {"bot_app": application, "secret": secret}),
            *_status_routes(application),
        ]
    )


def _bound(web: WebApplication, listen: str, port: int) -> tuple[HTTPServer, int]:
    """The server, listening; and its port (useful when asked for port 0)."""
    server = HTTPServer(web, xheaders=True)
    sockets = bind_sockets(port, listen)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]


async def close_server(server: HTTPServer) -> None:
    server.stop()
    await server.close_all_connections()


def serve_status(application: Application, listen: str, port: int) -> HTTPServer:  # type: ignore[type-arg]
    """/health and /metrics alone (METRICS_PORT), on the event loop the bot runs on."""
    server, bound = _bound(WebApplication(_status_routes(application)), listen, port)
    log.info("metrics on %s:%s/metrics", listen, bound)
    return server


class WebhookServer:
    """Starts the bot, registers the webhook, serves until stopped."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        *,
        public_url: str,
        secret: str,
        listen: str,
        port: int,
    ) -> None:
        self.application = application
        self.public_url = public_url.rstrip("/") + PATH
        self.secret = secret
        self.listen = listen
        self.port = port
        self._server: HTTPServer | None = None

    async def start(self) -> int:
        """Returns the port it listens on (useful when asked for port 0)."""
        app = self.application
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.bot.set_webhook(
            self.public_url,
            secret_token=self.secret,
            allowed_updates=Update.ALL_TYPES,
            max_connections=40,
        )
        await app.start()
        self._server, port = _bound(web_app(app, self.secret), self.listen, self.port)
        log.info("webhook server on %s:%s", self.listen, port)
        return port

    async def stop(self) -> None:
        app = self.application
        if self._server is not None:
            await close_server(self._server)
            self._server = None
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def serve(server: WebhookServer) -> None:
    """Runs until SIGINT or SIGTERM."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    await server.start()
    try:
        await stopping.wait()
    finally:
        await server.stop()
