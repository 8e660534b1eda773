"""The command line (``python -m bot``): run the bot; with no token, the offline demo.

Subcommands: ``run`` (default), ``demo``, ``chat-id`` (setup: print the ids of chats the
bot sees), ``backup PATH`` (online copy of the database), ``export`` (reports as CSV,
Open311 or EIDO).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from datetime import date

from bot.config import Settings, SettingsError, load_settings
from bot.domain.routing import RoutingConfigError, load_routing
from bot.runtime.logs import setup_logging

log = logging.getLogger("bot")


async def run(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then stop gracefully."""
    from bot.runtime.app import BotRuntime  # python-telegram-bot and the handlers: only to run

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with BotRuntime(settings):
        await stop.wait()
        log.info("stopping: finishing in-flight updates")


async def print_chat_ids(settings: Settings) -> None:
    """Setup helper: poll with the token only and print every chat that writes to the bot."""
    from telegram import Bot

    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_url
    async with Bot(settings.telegram_bot_token.get_secret_value(), base_url=f"{root}/bot") as bot:
        print(f"Logged in as @{bot.username}. Add the bot to the dispatchers' group and send")
        print("/chatid there (or any message mentioning the bot). Ctrl+C to stop.")
        offset = 0
        while True:
            for update in await bot.get_updates(offset=offset, timeout=20):
                offset = update.update_id + 1
                chat = update.effective_chat
                if chat is not None:
                    print(f"chat id {chat.id}  type={chat.type}  title={chat.title!r}")


async def backup(settings: Settings, target: str) -> None:
    """Online backup with SQLite's backup API (safe while the bot runs)."""
    from storage.db import Database

    db = await Database.open(settings.database_path)
    try:
        await db.backup(target)
    finally:
        await db.close()
    print(f"backup written to {target}")


def parser() -> argparse.ArgumentParser:
    """The command line's grammar."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (default; the demo when no token is set)")
    sub.add_parser("demo", help="offline demo against the built-in Bot API emulator")
    sub.add_parser("chat-id", help="print the ids of chats that write to the bot")
    b = sub.add_parser("backup", help="online copy of the database")
    b.add_argument("target")
    e = sub.add_parser("export", help="export reports as csv, open311 or eido")
    e.add_argument("--from", dest="date_from", required=True, type=date.fromisoformat)
    e.add_argument("--to", dest="date_to", required=True, type=date.fromisoformat)
    e.add_argument("--format", dest="fmt", choices=["csv", "open311", "eido"], default="csv")
    e.add_argument("--output", default=None, help="file to write (stdout if omitted)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parser().parse_args(argv)

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    secrets = (
        [settings.telegram_bot_token.get_secret_value()] if settings.telegram_bot_token else []
    )
    setup_logging(settings.log_level, secrets)

    if args.command == "export":  # needs the database only, no token
        from bot.runtime.export_cli import run_export  # no Telegram import for a file export

        return asyncio.run(
            run_export(settings, args.date_from, args.date_to, args.fmt, args.output)
        )
    command = args.command or "run"
    if command == "demo" or (command == "run" and settings.demo):
        from bot.runtime.demo import run_demo

        if command == "run":
            print("TELEGRAM_BOT_TOKEN is not set: running the offline demo.\n")
        if "LOG_LEVEL" not in os.environ:  # keep the transcript readable
            logging.getLogger().setLevel(logging.WARNING)
        return asyncio.run(run_demo())
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN: required for this command", file=sys.stderr)
        return 2
    if command == "chat-id":
        try:
            asyncio.run(print_chat_ids(settings))
        except KeyboardInterrupt:
            pass
        return 0
    if command == "backup":
        asyncio.run(backup(settings, args.target))
        return 0
    try:
        load_routing(settings.routing_path)
    except RoutingConfigError as exc:
        print(f"ROUTING_PATH: {exc}", file=sys.stderr)
        return 2
    asyncio.run(run(settings))
    return 0
