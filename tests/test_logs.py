import logging
import sys
from collections.abc import Iterator

import pytest

from bot.logs import REDACTED, configure_logging

TOKEN = "123456:AAAAbbbbCCCCddddEEEEffff"


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    names = ("httpx", "httpcore", "apscheduler", "tornado.access")
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    root.handlers[:], root.level = handlers, level
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


@pytest.mark.usefixtures("restored_logging")
def test_per_request_loggers_stay_quiet_and_refusals_still_show() -> None:
    configure_logging("INFO", TOKEN)
    assert logging.getLogger("bot").isEnabledFor(logging.INFO)
    for per_request in ("httpx", "httpcore", "tornado.access"):
        assert not logging.getLogger(per_request).isEnabledFor(logging.INFO)
        assert logging.getLogger(per_request).isEnabledFor(logging.WARNING)


@pytest.mark.usefixtures("restored_logging")
def test_the_token_is_redacted_in_messages_and_tracebacks() -> None:
    configure_logging("DEBUG", TOKEN)
    (handler,) = logging.getLogger().handlers
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        record = logging.getLogger("httpx").makeRecord(
            "httpx", logging.WARNING, __file__, 1, "GET /bot%s/getMe", (TOKEN,), None
        )
        record.exc_info = sys.exc_info()
    record.exc_text = handler.formatter.formatException(record.exc_info)  # type: ignore[union-attr,arg-type]
    assert handler.filter(record)
    text = handler.format(record)
    assert TOKEN not in text
    assert text.count(REDACTED) == 2
