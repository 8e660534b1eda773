"""How the bot presents itself in Telegram: its descriptions and command menus.

* Private chats (reporters): ``/lapor``, ``/status``, ``/batal``, ``/language``, ``/help``.
* The dispatchers' group: ``/antrian``, ``/laporan``, ``/alihkan``, ``/kirim``,
  ``/statistik``, ``/ekspor``, ``/unblock``, ``/chatid``, described for dispatchers.
* Every other group: ``/chatid`` (setting a group up).
* The description (shown in an empty chat, before Start) and the short description
  (profile page, shared links).

Each in every catalogue language (``language_code``) and once without a language code, in
the configured default, for apps in any other language.
"""

from __future__ import annotations

import logging
from typing import Final

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from bot.domain.models import Language
from handlers.views.texts import LANGUAGES, t

log = logging.getLogger(__name__)

COMMAND_NAMES: Final = ("lapor", "status", "batal", "language", "help")
"""The reporters' menu; descriptions are the texts ``command_<name>``."""
DISPATCH_COMMAND_NAMES: Final = (
    "antrian",
    "laporan",
    "alihkan",
    "kirim",
    "statistik",
    "ekspor",
    "unblock",
    "chatid",
)
"""The dispatchers' menu; descriptions are the texts ``dispatch_command_<name>``."""
GROUP_COMMAND_NAMES: Final = ("chatid",)


def private_menu(lang: Language) -> list[BotCommand]:
    """The reporters' command menu."""
    return [BotCommand(name, t(lang, f"command_{name}")) for name in COMMAND_NAMES]


def dispatch_menu(lang: Language) -> list[BotCommand]:
    """The dispatchers' command menu."""
    return [
        BotCommand(name, t(lang, f"dispatch_command_{name}")) for name in DISPATCH_COMMAND_NAMES
    ]


def group_menu(lang: Language) -> list[BotCommand]:
    """Any other group's command menu."""
    return [BotCommand(name, t(lang, f"dispatch_command_{name}")) for name in GROUP_COMMAND_NAMES]


async def _each_language(
    bot: Bot, scope: BotCommandScope, menu: dict[Language, list[BotCommand]], default: Language
) -> None:
    await bot.set_my_commands(menu[default], scope=scope)
    for lang in LANGUAGES:
        await bot.set_my_commands(menu[lang], scope=scope, language_code=lang)


async def present(
    bot: Bot, *, dispatch_chat_id: int | None, default: Language, dispatch: Language
) -> None:
    """Set the descriptions and the command menus (best effort: a failure is logged)."""
    try:
        await bot.set_my_description(t(default, "bot_description"))
        await bot.set_my_short_description(t(default, "bot_short_description"))
        for lang in LANGUAGES:
            await bot.set_my_description(t(lang, "bot_description"), language_code=lang)
            await bot.set_my_short_description(t(lang, "bot_short_description"), language_code=lang)
        private = {lang: private_menu(lang) for lang in LANGUAGES}
        await _each_language(bot, BotCommandScopeAllPrivateChats(), private, default)
        groups = {lang: group_menu(lang) for lang in LANGUAGES}
        await _each_language(bot, BotCommandScopeAllGroupChats(), groups, dispatch)
    except TelegramError as exc:
        log.warning("could not set the bot's description and command menus: %s", exc)
    if dispatch_chat_id is None:
        return
    try:
        menus = {lang: dispatch_menu(lang) for lang in LANGUAGES}
        await _each_language(bot, BotCommandScopeChat(dispatch_chat_id), menus, dispatch)
    except TelegramError as exc:
        log.warning("could not set the dispatch chat's command menu: %s", exc)
