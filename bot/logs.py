"""Logging set-up that never prints the bot token, at any level."""

from __future__ import annotations

import logging

REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replaces the token in every record that passes the handler (PTB logs the API URL)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, REDACTED)
            record.args = None
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, REDACTED)
        return True


def configure_logging(level: str, token: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx and httpcore log each request URL, and the URL carries the token.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # APScheduler logs every run at INFO, and a sweep still busy when the next is due (skipped
    # by design: max_instances=1) at WARNING: both are noise.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # Tornado logs every webhook update and every /metrics scrape at INFO; refused requests
    # (4xx) still come through at WARNING.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
