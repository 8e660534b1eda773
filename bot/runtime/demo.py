"""The offline demo: ``python -m bot`` with no token (``python -m bot demo --lang en`` in
English).

Starts the built-in Bot API emulator on 127.0.0.1 and the real bot against it, plays a
scripted report — a traveller (pemudik) reports a traffic accident near Simpang Lima —
and a dispatcher working it, then prints the reporter's chat and the dispatchers' group
as a readable transcript, with the buttons people pressed (``[taps ✅ Kirim]``), and what
to do next. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path
from typing import Final, TextIO

from bot.config import Settings
from bot.domain.categories import Category
from bot.domain.models import Language
from bot.runtime.app import BotRuntime
from emulator.driver import WIB, Driver, Group, Message, User
from emulator.server import BotApiServer
from handlers.views.texts import category_label, t

DEMO_TOKEN = "123456789:DEMO-offline-token-not-a-secret_000"
SIMPANG_LIMA = (-6.99046, 110.42285)
STEP_TIMEOUT = 10.0
TICKET = re.compile(r"[A-Z]{2,5}-\d{6}-\d{4}")

SCRIPT: Final[dict[Language, dict[str, str]]] = {
    "id": {
        "details": "Tabrakan motor dan mobil di bundaran Simpang Lima sisi Jl. Pahlawan. "
        "Satu pengendara motor terluka di kaki, masih sadar.",
        "reply": "Ambulans dan Satlantas menuju lokasi. Mohon jangan pindahkan korban.",
    },
    "en": {
        "details": "A motorbike and a car collided at the Simpang Lima roundabout, Jl. Pahlawan "
        "side. One rider is hurt in the leg, still conscious.",
        "reply": "An ambulance and the traffic police are on their way. Please do not move "
        "the injured rider.",
    },
}

NEXT_STEPS = """\
What next
  * Run the tests:  python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' \\
                    && .venv/bin/python -m pytest
  * Run it for real: create a bot with @BotFather, copy .env.example to .env, set
    TELEGRAM_BOT_TOKEN and DISPATCH_CHAT_ID (add the bot to the dispatchers' group and
    send /chatid there), then run `python -m bot` (README: "Set it up", "Deploy").
  * This demo in the other language: python -m bot demo --lang {other}"""


def plain(lang: Language, key: str, **values: object) -> str:
    """A catalogue text as people read it (no HTML tags), first line only."""
    return re.sub(r"<[^>]+>", "", t(lang, key, **values)).split("\n")[0]


async def run_demo(out: TextIO = sys.stdout, *, lang: Language = "id") -> int:
    """Play the scripted report; print both transcripts and what to do next; 0 on success."""
    with tempfile.TemporaryDirectory(prefix="semarang112-demo-") as tmp:
        async with BotApiServer() as server:
            tg = Driver(server, DEMO_TOKEN)
            rina = tg.user("Rina", last_name="Pemudik", username="rina_mudik", language_code=lang)
            sari = tg.user("Sari", username="operator_sari", language_code=lang)
            group = tg.group("Command Center 112 — Dispatch", admins=[sari])
            settings = Settings(
                _env_file=None,
                telegram_bot_token=DEMO_TOKEN,
                telegram_api_url=server.root_url,
                dispatch_chat_id=group.id,
                database_path=Path(tmp) / "demo.sqlite3",
                dispatch_language=lang,
                default_language=lang,
                daily_summary=False,  # the summaries depend on the time of day: noise here
                monthly_summary=False,
            )
            print(f"Bot API emulator on {server.root_url}; the bot runs against it.\n", file=out)
            async with BotRuntime(settings, poll_timeout=1):
                async with asyncio.timeout(60):
                    await _play(tg, rina, sari, group, lang)
            rule = "=" * 72
            print(f"{rule}\nReporter's private chat (Rina, a traveller)\n{rule}", file=out)
            print(tg.transcript(rina, tz=WIB), file=out)
            print(f"\n{rule}\nDispatchers' group\n{rule}", file=out)
            print(tg.transcript(group, tz=WIB), file=out)
            print(f"\n{rule}\n" + NEXT_STEPS.format(other="en" if lang == "id" else "id"), file=out)
    return 0


async def _play(tg: Driver, rina: User, sari: User, group: Group, lang: Language) -> None:
    async def bot_says(chat: User | Group, needle: str) -> Message:
        return await tg.wait_for(chat, lambda m: needle in m.text, timeout=STEP_TIMEOUT)

    await rina.send("/start")
    await bot_says(rina, t(lang, "btn_report"))
    await rina.tap(t(lang, "btn_report"))
    ask = await bot_says(rina, plain(lang, "ask_category"))
    await rina.press(ask, category_label(lang, Category.TRAFFIC_ACCIDENT))
    await bot_says(rina, plain(lang, "ask_location"))
    await rina.tap(t(lang, "btn_send_location"), location=SIMPANG_LIMA)
    await bot_says(rina, plain(lang, "ask_details"))
    await rina.send(SCRIPT[lang]["details"])
    await bot_says(rina, plain(lang, "ask_phone"))
    await rina.tap(t(lang, "btn_share_phone"))
    summary = await bot_says(rina, plain(lang, "draft_summary", body=""))
    await rina.press(summary, t(lang, "btn_send"))
    card = await tg.wait_for(
        group, lambda m: TICKET.search(m.text) is not None, timeout=STEP_TIMEOUT
    )
    found = TICKET.search(card.text)
    assert found is not None
    ticket = found.group(0)
    await sari.press(card, t(lang, "btn_claim"))
    await bot_says(rina, plain(lang, "notice_claimed", ticket=ticket))
    card = await tg.wait_for_edit(card, timeout=STEP_TIMEOUT)
    await sari.press(card, t(lang, "btn_dispatch"))
    menu = await tg.wait_for_edit(card, timeout=STEP_TIMEOUT)
    await sari.press(menu, "Satlantas")
    await bot_says(rina, "Satlantas")
    await sari.send(SCRIPT[lang]["reply"], chat=group, reply_to=card)
    await bot_says(rina, SCRIPT[lang]["reply"])


def main() -> int:
    """Run the demo in a fresh event loop."""
    return asyncio.run(run_demo())
