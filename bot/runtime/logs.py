"""Logging setup: one line per event with its UTC date and time, and nothing secret or
personal in any line at any level.

* Times are UTC, ISO 8601 with a ``Z`` (``2026-03-27T07:02:11.123Z``): the same in every
  log collector, whatever the server's zone (WIB is UTC+7).
* ``LOG_FORMAT=text`` (default): ``<time> <LEVEL> <logger>: <message>``; ``json``: one JSON
  object per line with ``time``, ``level``, ``logger``, ``message`` (and ``exc``).
* The token and the webhook secret are replaced by ``<redacted>`` in the whole formatted
  line, tracebacks included (:class:`RedactingFormatter`).
* Libraries log call parameters and updates at DEBUG (python-telegram-bot: every Bot API
  call's parameters, every update, the webhook's secret token and bodies; aiosqlite: every
  SQL statement with its values), which carry reporters' names, usernames, phones and
  details. :class:`PrivacyFilter` keeps such lines but drops their values, except for the
  few values known to be safe (which Bot API method was called, which update ids came).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Mapping
from typing import Final, Literal

OUR_LOGGERS: Final = ("bot", "handlers", "storage", "emulator", "bench", "__main__")
"""Loggers of this project: they never log personal data themselves."""

SAFE_VALUES: Final[Mapping[str, tuple[int, ...]]] = {
    # python-telegram-bot (telegram/_bot.py): the method, never its parameters or result.
    "Calling Bot API endpoint `%s` with parameters `%s`": (0,),
    "Call to Bot API endpoint `%s` finished with return value `%s`": (0,),
    "Getting updates: %s": (0,),  # update ids only
    "Set Bot API URL: %s": (0,),  # the token in it is redacted
    "Set Bot API File URL: %s": (0,),
}
"""Library log templates whose values at these positions are safe to show."""

_SPEC = re.compile(r"%(\([^)]*\))?[#0\- +]*(\*|\d+)?(\.(\*|\d+))?[diouxXeEfFgGcrsa%]")
HIDDEN: Final = "…"

# Libraries that log each request or statement: quiet below these levels whatever LOG_LEVEL.
QUIET: Final[Mapping[str, int]] = {
    "httpx": logging.WARNING,  # every request URL, which contains the bot token
    "httpcore": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "aiosqlite": logging.INFO,  # two lines per SQL statement, with its values
}


def _ours(name: str) -> bool:
    return any(name == root or name.startswith(root + ".") for root in OUR_LOGGERS)


def hide_values(template: str, args: tuple[object, ...], keep: tuple[int, ...] = ()) -> str:
    """The message with every ``%`` value replaced by ``…`` except the positions in ``keep``."""
    position = 0
    pieces: list[str] = []
    last = 0
    for match in _SPEC.finditer(template):
        pieces.append(template[last : match.start()])
        last = match.end()
        if match.group(0) == "%%":
            pieces.append("%")
            continue
        if position in keep and position < len(args):
            pieces.append(str(args[position]))
        else:
            pieces.append(HIDDEN)
        position += 1
    pieces.append(template[last:])
    return "".join(pieces)


class PrivacyFilter(logging.Filter):
    """Library records below WARNING keep their text but lose their values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or _ours(record.name) or not record.args:
            return True
        template = str(record.msg)
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        record.msg = hide_values(template, args, SAFE_VALUES.get(template, ()))
        record.args = None
        return True


class RedactFilter(logging.Filter):
    """Replaces every occurrence of the given secrets in a record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "<redacted>")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingFormatter(logging.Formatter):
    """UTC ``…Z`` times; the secrets replaced in the whole line, traceback included."""

    def __init__(self, secrets: Iterable[str] = (), fmt: str | None = None) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"

    def redact(self, line: str) -> str:
        """The line without any secret."""
        for secret in self._secrets:
            line = line.replace(secret, "<redacted>")
        return line

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


class JsonFormatter(RedactingFormatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(entry, ensure_ascii=False))


def setup_logging(
    level: str, secrets: Iterable[str] = (), fmt: Literal["text", "json"] = "text"
) -> None:
    """Configure the root logger once (to standard error)."""
    secrets = list(secrets)
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(
            RedactingFormatter(secrets, "%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
    handler.addFilter(PrivacyFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, floor in QUIET.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
