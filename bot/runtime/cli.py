"""The command line, ``semarang112`` or ``python -m bot``: run the bot (with no token, the
offline demo), and the operator's tools.

Subcommands: ``run`` (default), ``demo``, ``chat-id`` (setup: print the ids of chats the
bot sees), ``backup TARGET`` (online copy of the database), ``export`` (reports as CSV,
Open311 or EIDO), ``healthcheck`` (ask the running bot's ``/healthz``).

Errors end with one line on standard error and a non-zero exit: 2 when the configuration
is wrong (fix it before starting again), 1 when the start or the command failed for a
reason that may pass (Telegram unreachable, a busy port, a refused file).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings
from bot.domain.routing import RoutingConfigError, load_routing
from bot.runtime.logs import setup_logging
from bot.runtime.safety import missing_database, partial_path, refuse_target
from bot.runtime.startup import StartupError, telegram_problem

log = logging.getLogger("bot")

DATE_HELP = "YYYY-MM-DD, a local date in TIMEZONE (WIB by default), inclusive"
DESCRIPTION = """\
Semarang 112's Telegram bot: run it (with no TELEGRAM_BOT_TOKEN, the offline demo), and
the operator's tools. `COMMAND --help` tells more about each command.

Errors end with one line on standard error and a non-zero exit status: 2 when the
configuration is wrong (fix it before starting again), 1 when the start or the command
failed for a reason that may pass (Telegram unreachable, a port in use, a refused file)."""


async def run(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then stop gracefully (also while still starting, e.g.
    retrying an unreachable Telegram)."""
    from bot.runtime.app import BotRuntime  # python-telegram-bot and the handlers: only to run

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runtime = BotRuntime(settings)
    starting = asyncio.ensure_future(runtime.__aenter__())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait((starting, stopping), return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        log.info("stopping before the start completed")
        starting.cancel()  # the runtime closes what it had started
        with contextlib.suppress(asyncio.CancelledError):
            await starting
        return
    stopping.cancel()
    await starting  # raises a StartupError
    lost = asyncio.ensure_future(runtime.lost.wait())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((stopping, lost), return_when=asyncio.FIRST_COMPLETED)
        if lost.done():
            raise StartupError(
                "the lease was lost (another process is active now): exiting, so the"
                " supervisor starts this one again as a standby",
                exit_code=1,
                started=True,
            )
        log.info("stopping: finishing in-flight updates")
    finally:
        lost.cancel()
        stopping.cancel()
        await runtime.__aexit__(None, None, None)


async def print_chat_ids(settings: Settings) -> None:
    """Setup helper: poll with the token only and print every chat that writes to the bot."""
    from telegram import Bot
    from telegram.error import Conflict, TelegramError

    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_url
    bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=f"{root}/bot")
    try:
        async with bot:
            print(f"Logged in as @{bot.username}. Add the bot to the dispatchers' group and send")
            print("/chatid there (or any message mentioning the bot). Ctrl+C to stop.")
            offset = 0
            while True:
                for update in await bot.get_updates(offset=offset, timeout=20):
                    offset = update.update_id + 1
                    chat = update.effective_chat
                    if chat is not None:
                        print(f"chat id {chat.id}  type={chat.type}  title={chat.title!r}")
    except Conflict as exc:
        raise StartupError(
            "chat-id: the bot is running (or a webhook is set), so this command cannot read "
            "its updates: send /chatid in the group instead, or stop the bot first"
            if "webhook" not in exc.message
            else "chat-id: a webhook is set (WEBHOOK_URL), so updates cannot be polled: "
            "send /chatid in the group instead"
        ) from None
    except TelegramError as exc:
        raise telegram_problem(exc, root, 0) from None


async def backup(settings: Settings, target: Path, *, force: bool) -> int:
    """Online backup with SQLite's backup API (safe while the bot runs); 1 if refused."""
    from storage.db import Database

    if settings.shared_database:
        print(
            "backup: DATABASE_URL names PostgreSQL; back it up with pg_dump (README)",
            file=sys.stderr,
        )
        return 1
    source = settings.sqlite_file
    problem = missing_database(source) or refuse_target(target, source, force=force)
    if problem is not None:
        print(f"backup: {problem}", file=sys.stderr)
        return 1
    partial = partial_path(target)
    db = await Database.open(source)
    try:
        partial.unlink(missing_ok=True)
        await db.backup(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        await db.close()
    print(f"backup written to {target}")
    return 0


async def migrate_db(settings: Settings, target: str) -> int:
    """Copy the SQLite database (DATABASE_URL's or DATABASE_PATH) into an empty
    PostgreSQL database and verify every table's row count; 1 if refused."""
    from storage.db import SqliteDatabase, display_url
    from storage.postgres import PostgresDatabase
    from storage.transfer import CountMismatch, TargetNotEmpty, copy_database

    source_path = settings.sqlite_file
    if settings.shared_database:
        print(
            "migrate-db: DATABASE_URL names PostgreSQL; the source must be SQLite", file=sys.stderr
        )
        return 1
    if not target.startswith(("postgresql://", "postgres://")):
        print("migrate-db: --to must be a postgresql:// URL", file=sys.stderr)
        return 1
    if (problem := missing_database(source_path)) is not None:
        print(f"migrate-db: {problem}", file=sys.stderr)
        return 1
    source = await SqliteDatabase.open(source_path)
    try:
        dest = await PostgresDatabase.open(target)
    except Exception as exc:
        await source.close()
        print(f"migrate-db: cannot open {display_url(target)}: {exc}", file=sys.stderr)
        return 1
    try:
        counts = await copy_database(source, dest)
    except (TargetNotEmpty, CountMismatch) as exc:
        print(f"migrate-db: {exc}; nothing was copied", file=sys.stderr)
        return 1
    finally:
        await dest.close()
        await source.close()
    for table, n in counts.items():
        print(f"{table:24} {n:>9} rows")
    print(
        f"copied {sum(counts.values())} rows of {len(counts)} tables from {source_path} to"
        f" {display_url(target)}; every count verified. Set DATABASE_URL to it and start"
        " the bot."
    )
    return 0


def healthcheck(settings: Settings) -> int:
    """Ask the running bot's /healthz (for Docker's HEALTHCHECK): 0 healthy (a standby
    too), 1 not."""
    if settings.health_port is None:
        print("healthcheck: HEALTH_PORT is not set, so there is no health server to ask")
        return 1
    host = settings.health_listen
    host = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{settings.health_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            body = json.load(answer)
    except urllib.error.HTTPError as exc:
        body = json.load(exc)
        if body.get("status") == "standby":  # 503 only to keep a load balancer's webhook away
            print("healthy: standby")
            return 0
        print(f"unhealthy: {'; '.join(body.get('problems', [])) or exc.code}")
        return 1
    except (OSError, ValueError) as exc:
        print(f"unhealthy: no answer from {url} ({exc})")
        return 1
    print(f"healthy: {body.get('status')}")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    """The command line's grammar."""
    prog = "semarang112" if Path(sys.argv[0]).name == "semarang112" else "python -m bot"
    top = argparse.ArgumentParser(
        prog=prog,
        description=DESCRIPTION,
        epilog="Settings come from the environment or .env (see .env.example and the README).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser(
        "run",
        help="run the bot (default; the offline demo when TELEGRAM_BOT_TOKEN is not set)",
        description="Run the bot until SIGINT or SIGTERM (a graceful stop).",
    )
    d = sub.add_parser(
        "demo",
        help="offline demo against the built-in Bot API emulator",
        description="Play a scripted report against the built-in emulator; nothing leaves "
        "the machine and no token is needed.",
    )
    d.add_argument(
        "--lang", choices=["id", "en"], default="id", help="language of the demo (default: id)"
    )
    sub.add_parser(
        "chat-id",
        help="print the ids of chats that write to the bot (setup; the bot must not be running)",
        description="Poll with TELEGRAM_BOT_TOKEN and print the id of every chat that writes "
        "to the bot, to fill in DISPATCH_CHAT_ID. Stop with Ctrl+C.",
    )
    b = sub.add_parser(
        "backup",
        help="online copy of the database (safe while the bot runs)",
        description="Copy the database at DATABASE_PATH with SQLite's online backup API. "
        "Needs no token. Refuses a missing database, the database itself as target, and an "
        "existing target unless --force.",
    )
    b.add_argument(
        "target",
        type=Path,
        metavar="TARGET",
        help="file to write (a new SQLite database), e.g. backups/112-2026-03-27.sqlite3",
    )
    b.add_argument("--force", action="store_true", help="replace TARGET if it exists")
    _export_arguments(sub)
    m = sub.add_parser(
        "migrate-db",
        help="copy the SQLite database into an empty PostgreSQL database",
        description="Copy every table of the SQLite database (DATABASE_PATH, or a sqlite:///"
        " DATABASE_URL) into an empty PostgreSQL database, then verify each table's row"
        " count. Stop the bot first. Refuses a target that already holds data.",
    )
    m.add_argument(
        "--to",
        dest="to",
        required=True,
        metavar="postgresql://USER@HOST/DB",
        help="the empty PostgreSQL database (it is migrated first)",
    )
    sub.add_parser(
        "healthcheck",
        help="ask the running bot's /healthz (exit 0 healthy, 1 not)",
        description="GET /healthz on HEALTH_LISTEN:HEALTH_PORT; used by the container's "
        "HEALTHCHECK.",
    )
    return top


def _export_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    e = sub.add_parser(
        "export",
        help="export reports as csv, open311 or eido",
        description="Write the reports submitted on the local days FROM to TO (inclusive) "
        "to a file or standard output. Needs no token. Refuses a missing database, the "
        "database itself as output, and an existing output unless --force.",
    )
    e.add_argument(
        "--from",
        dest="date_from",
        required=True,
        type=_day,
        metavar="YYYY-MM-DD",
        help=f"first day: {DATE_HELP}",
    )
    e.add_argument(
        "--to",
        dest="date_to",
        required=True,
        type=_day,
        metavar="YYYY-MM-DD",
        help=f"last day: {DATE_HELP}",
    )
    e.add_argument(
        "--format",
        dest="fmt",
        choices=["csv", "open311", "eido"],
        default="csv",
        help="csv: the command center's working file (with phone numbers); open311: "
        "GeoReport v2 JSON, public; eido: EIDO-shaped JSON for other emergency services "
        "(default: csv)",
    )
    e.add_argument(
        "--output",
        default=None,
        metavar="FILE",
        help="file to write (standard output if omitted or -)",
    )
    e.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")


def main(argv: list[str] | None = None) -> int:
    """Entry point: the exit status."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    secrets = [
        s.get_secret_value()
        for s in (settings.telegram_bot_token, settings.webhook_secret)
        if s is not None
    ]
    setup_logging(settings.log_level, secrets, settings.log_format)
    try:
        return _command(args, settings)
    except StartupError as exc:
        if (args.command or "run") == "run":
            log.critical("%s: %s", "stopped" if exc.started else "cannot start", exc)
        else:
            print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _command(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command or "run"
    tools: dict[str, Callable[[], int]] = {
        "export": lambda: _export(settings, args),
        "backup": lambda: asyncio.run(backup(settings, args.target, force=args.force)),
        "healthcheck": lambda: healthcheck(settings),
        "migrate-db": lambda: asyncio.run(migrate_db(settings, getattr(args, "to", ""))),
    }
    if command in tools:  # the database or the health server only: no token needed
        return tools[command]()
    if command == "demo" or (command == "run" and settings.demo):
        from bot.runtime.demo import run_demo

        if command == "run":
            print("TELEGRAM_BOT_TOKEN is not set: running the offline demo.\n")
        if "LOG_LEVEL" not in os.environ:  # keep the transcript readable
            logging.getLogger().setLevel(logging.WARNING)
        return asyncio.run(run_demo(lang=getattr(args, "lang", "id")))
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN: required for this command", file=sys.stderr)
        return 2
    if command == "chat-id":
        try:
            asyncio.run(print_chat_ids(settings))
        except KeyboardInterrupt:
            pass  # Ctrl+C is how it ends
        return 0
    try:
        load_routing(settings.routing_path)
    except RoutingConfigError as exc:
        print(f"ROUTING_PATH: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    asyncio.run(run(settings))
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime.export_cli import run_export  # no Telegram import for a file export

    return asyncio.run(
        run_export(settings, args.date_from, args.date_to, args.fmt, args.output, force=args.force)
    )
