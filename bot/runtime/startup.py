"""Start-up checks whose failures end the start with one line naming the setting and the
fix (:class:`StartupError`), never a traceback and never a secret.

* :func:`check_database` — ``DATABASE_PATH`` can be created or opened, is SQLite, and can
  be written, before anything else starts.
* :func:`connect_telegram` — the Bot API server answers and accepts the token; an
  unreachable server is retried for ``STARTUP_RETRY_SECONDS`` (and the log says so).
* :func:`port_problem` — a port the webhook or health server cannot listen on.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from telegram.error import InvalidToken, TelegramError

from handlers.context import BotApplication

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message is one line naming the setting and the fix.

    ``exit_code`` 2: the configuration is wrong (starting again will not help); 1: the
    environment failed and may recover (a supervisor may try again).
    """

    def __init__(self, message: str, exit_code: int = 1, *, started: bool = False) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.started = started  # it had started and had to stop (the lease was lost)


def port_problem(setting: str, listen: str, host: str, port: int, exc: OSError) -> str:
    """One line for a port the bot cannot listen on."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{setting}: port {port} on {host} is already in use: stop the program that "
            f"listens there or choose another {setting}"
        )
    return f"{setting}: cannot listen on {host}:{port} ({exc.strerror or exc}): check {listen}"


def _explain(path: Path, exc: sqlite3.Error) -> tuple[int, str]:
    text = str(exc)
    if "not a database" in text:
        return 2, (
            f"DATABASE_PATH: {path} is not an SQLite database: point DATABASE_PATH at the "
            "bot's database, or at a new file name to start an empty one"
        )
    if "readonly" in text or "read-only" in text:
        return 1, (
            f"DATABASE_PATH: {path} is read-only: the bot must write the file and create "
            f"{path.name}-wal and {path.name}-shm beside it; give its user write access"
        )
    if "locked" in text or "busy" in text:
        return 1, (
            f"DATABASE_PATH: {path} is locked by another process (is another copy of the bot "
            "running?): stop it, or use another DATABASE_PATH"
        )
    return 1, (
        f"DATABASE_PATH: cannot open {path} ({text}): check the path and that the bot's "
        "user may write its folder"
    )


def check_database(path: Path) -> None:
    """Raise :class:`StartupError` unless ``path`` is, or can become, a writable SQLite
    database. Creates the folder (and an empty file) like the bot would; writes nothing."""
    if str(path) == ":memory:":
        return
    if path.is_dir():
        raise StartupError(
            f"DATABASE_PATH: {path} is a folder: give a file name, "
            f"e.g. {path / 'semarang112.sqlite3'}",
            2,
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = (
            "a file is in the way"
            if isinstance(exc, FileExistsError | NotADirectoryError)
            else exc.strerror
        )
        raise StartupError(
            f"DATABASE_PATH: cannot create the folder {path.parent} ({why or exc}): "
            "create it, or choose another DATABASE_PATH"
        ) from None
    try:
        with closing(sqlite3.connect(path, timeout=5, isolation_level=None)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()  # reads the header
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("CREATE TABLE _write_probe (x INTEGER)")
            finally:
                conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        code, message = _explain(path, exc)
        raise StartupError(message, code) from None


def telegram_problem(exc: TelegramError, api_url: str, retried_for: float) -> StartupError:
    """One line for a Bot API server that rejected the token or could not be reached."""
    if isinstance(exc, InvalidToken):
        return StartupError(
            f"TELEGRAM_BOT_TOKEN: the Bot API server at {api_url} rejected the token: copy "
            "it again from @BotFather (or check TELEGRAM_API_URL if it is not Telegram's)",
            2,
        )
    waited = f" after retrying for {retried_for:g} s" if retried_for > 0 else ""
    return StartupError(
        f"TELEGRAM_API_URL: the Bot API server at {api_url} cannot be reached "
        f"({type(exc).__name__}: {exc.message}){waited}: check the URL, the network and "
        "any proxy"
    )


async def connect_telegram(app: BotApplication, api_url: str, retry_for: float) -> None:
    """Initialize the Application (``getMe``): retry an unreachable server for
    ``retry_for`` seconds; a rejected token or a server that never answered raise
    :class:`StartupError`."""
    deadline = time.monotonic() + retry_for
    delay = 1.0
    announced = False
    while True:
        try:
            await app.initialize()
            return
        except InvalidToken as exc:
            raise telegram_problem(exc, api_url, 0) from None
        except TelegramError as exc:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise telegram_problem(exc, api_url, retry_for) from None
            if not announced:
                log.warning(
                    "the Bot API server at %s cannot be reached (%s: %s); retrying for up to "
                    "%g s (STARTUP_RETRY_SECONDS)",
                    api_url,
                    type(exc).__name__,
                    exc.message,
                    retry_for,
                )
                announced = True
            await asyncio.sleep(min(delay, remaining))
            delay = min(delay * 2, 10.0)
