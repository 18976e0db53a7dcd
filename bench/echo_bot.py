"""A bare python-telegram-bot echo bot: the framework's own cost, to compare the coach with.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT/bot \
        .venv/bin/python -m bench.echo_bot CONCURRENCY

Started in its own process by bench/bot_processes.py, with the coach's concurrency and HTTP
pool size, so the two differ only in what they do with an update. It imports nothing from
bot/, so its process holds only the framework.
"""

from __future__ import annotations

import os
import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


def main(concurrency: int) -> None:
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .concurrent_updates(concurrency)
        .connection_pool_size(concurrency)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main(int(sys.argv[1]))
