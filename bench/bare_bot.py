"""The ceiling: a bare python-telegram-bot bot that answers every update with one message.

Run by ``bench/bench.py`` as its own process, against the Bot API emulator, with the same
polling and concurrency policy as the real bot (
:class:`bot.runtime.processor.PerChatUpdateProcessor`
bounded by ``MAX_CONCURRENT_UPDATES``, long polling with ``timeout=10``, all update types).
It has no database, no rendering and no outbox: whatever the real bot does beyond one
``sendMessage`` per update is what the ratio bot/ceiling measures. It keeps
python-telegram-bot's own HTTP client (httpx) and getUpdates parsing on purpose: the
ceiling is bare python-telegram-bot, the bot brings its own (``bot/runtime/http.py``,
``bot/runtime/updates.py``).

Environment: ``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_URL``, ``MAX_CONCURRENT_UPDATES``
(default 64). Stops gracefully on SIGTERM or SIGINT.

Each answer names what it answers (``ack text:/lapor``, ``ack location``, ``ack button``)
and carries one inline button, so the benchmark can drive the same update mix as a report
(text, button press, location, text, text, button press) and check per-chat order.
"""

from __future__ import annotations

import asyncio
import os
import signal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.runtime.processor import PerChatUpdateProcessor

POLL_TIMEOUT = 10  # as bot.runtime.app.BotRuntime
NEXT = InlineKeyboardMarkup([[InlineKeyboardButton("▶ next", callback_data="next")]])


def describe(update: Update) -> str:
    """What the update was, as the answer names it."""
    if update.callback_query is not None:
        return "button"
    message = update.effective_message
    if message is None:
        return "other"
    if message.location is not None:
        return "location"
    if message.text is not None:
        return f"text:{message.text[:24]}"
    return "other"


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One message per update, into the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(
        chat.id, f"ack {describe(update)}", parse_mode=ParseMode.HTML, reply_markup=NEXT
    )


def build(token: str, root: str, max_concurrent: int) -> Application:  # type: ignore[type-arg]
    """Polling and concurrency as ``bot.runtime.app.build_application``; one catch-all
    handler; python-telegram-bot's default HTTP client."""
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .concurrent_updates(PerChatUpdateProcessor(max_concurrent))
        .build()
    )
    app.add_handler(TypeHandler(Update, answer))
    return app


async def run() -> None:
    """Poll until SIGTERM or SIGINT, then stop gracefully."""
    app = build(
        os.environ["TELEGRAM_BOT_TOKEN"],
        os.environ["TELEGRAM_API_URL"].rstrip("/"),
        int(os.environ.get("MAX_CONCURRENT_UPDATES", "64")),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=POLL_TIMEOUT)
    try:
        await stop.wait()
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def main() -> None:
    """Entry point: ``python -m bench.bare_bot``."""
    asyncio.run(run())


if __name__ == "__main__":
    main()
