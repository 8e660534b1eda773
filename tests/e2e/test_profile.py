"""How the bot looks in Telegram: descriptions before Start, command menus per scope and
language, /help naming every private command, links built with python-telegram-bot's
helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from telegram.helpers import create_deep_linked_url, mention_html

from bot.runtime.profile import COMMAND_NAMES, DISPATCH_COMMAND_NAMES
from handlers.views.render import reporter_line
from handlers.views.texts import LANGUAGES, t
from tests.support import factories as f
from tests.support.harness import world


def menu(w: Any, scope: dict[str, Any], lang: str = "") -> dict[str, str]:
    key = (json.dumps(scope, sort_keys=True), lang)
    return {c["command"]: c["description"] for c in w.tg.world.commands.get(key, [])}


async def test_menus_per_scope_and_language_and_descriptions(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        private = {"type": "all_private_chats"}
        assert list(menu(w, private)) == ["lapor", "status", "batal", "language", "help"]
        assert menu(w, private)["status"] == "Laporan saya dan statusnya"  # default: id
        assert menu(w, private, "en")["status"] == "My reports and where they stand"
        assert menu(w, private, "id") == menu(w, private)

        dispatch = {"type": "chat", "chat_id": w.dispatch.id}
        assert list(menu(w, dispatch)) == list(DISPATCH_COMMAND_NAMES)
        assert menu(w, dispatch)["antrian"] == "Laporan terbuka, yang terlama dulu"
        assert menu(w, dispatch, "en")["unblock"].startswith("Unblock a reporter")
        assert list(menu(w, {"type": "all_group_chats"})) == ["chatid"]

        texts = w.tg.world.descriptions
        for lang in LANGUAGES:
            assert texts[("description", lang)] == t(lang, "bot_description")
            assert texts[("short_description", lang)] == t(lang, "bot_short_description")
        assert texts[("description", "")] == t("id", "bot_description")

        await w.reporter.send("/help")
        help_text = await w.tg.wait_for(w.reporter, lambda m: "/lapor" in m.text)
        for name in COMMAND_NAMES:
            assert f"/{name}" in help_text.text or name == "help"  # /help shows this

        await w.member.send("/lapor", chat=w.dispatch)
        link = await w.tg.wait_for(w.dispatch, lambda m: "?start=" in m.text)
        assert create_deep_linked_url("semarang112_bot", "lapor") in link.text


def test_descriptions_fit_telegrams_limits() -> None:
    for lang in LANGUAGES:
        assert len(t(lang, "bot_description")) <= 512
        assert len(t(lang, "bot_short_description")) <= 120
        for name in COMMAND_NAMES:
            assert 3 <= len(t(lang, f"command_{name}")) <= 256
        for name in DISPATCH_COMMAND_NAMES:
            assert 3 <= len(t(lang, f"dispatch_command_{name}")) <= 256


def test_the_reporter_is_mentioned_with_the_helper() -> None:
    reporter = f.reporter(first_name='Budi "<b>"', last_name="Santoso")
    line = reporter_line(reporter)
    assert line.startswith(mention_html(reporter.user_id, reporter.full_name))
    assert "<b>" not in line and "@budi_smg" in line
