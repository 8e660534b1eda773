"""Offline Telegram Bot API emulator for tests, the demo and benchmarks.

* :class:`BotApiServer` - an HTTP server on 127.0.0.1 speaking the Bot API as
  python-telegram-bot 22.x uses it (with flood limits and fault injection);
* :class:`Driver` - simulated users and groups that talk to the bot under test, including
  group life (the bot removed and re-added, members promoted, a group upgraded to a
  supergroup, forum topics - see :mod:`emulator.groups`).

Run it standalone with ``python -m emulator --port 8081`` (its default token is one the
bot accepts).
"""

from emulator.driver import (
    Button,
    CallbackAnswer,
    Driver,
    Group,
    KeyboardButton,
    Message,
    Topic,
    User,
)
from emulator.server import BotApiServer
from emulator.world import ApiCall

__all__ = [
    "ApiCall",
    "BotApiServer",
    "Button",
    "CallbackAnswer",
    "Driver",
    "Group",
    "KeyboardButton",
    "Message",
    "Topic",
    "User",
]
