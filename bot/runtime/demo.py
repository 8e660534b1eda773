"""The offline demo: ``python -m bot`` with no token.

Starts the built-in Bot API emulator on 127.0.0.1 and the real bot against it, plays a
scripted report — a traveller (pemudik) reports a traffic accident near Simpang Lima —
and a dispatcher working it, then prints the reporter's chat and the dispatchers' group
as a readable transcript. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.runtime.app import BotRuntime
from emulator.driver import WIB, Driver, Group, Message, User
from emulator.server import BotApiServer

DEMO_TOKEN = "123456789:DEMO-offline-token-not-a-secret_000"
SIMPANG_LIMA = (-6.99046, 110.42285)
STEP_TIMEOUT = 10.0


async def run_demo(out: TextIO = sys.stdout) -> int:
    """Play the scripted report; print both transcripts; 0 on success."""
    with tempfile.TemporaryDirectory(prefix="semarang112-demo-") as tmp:
        async with BotApiServer() as server:
            tg = Driver(server, DEMO_TOKEN)
            rina = tg.user("Rina", last_name="Pemudik", username="rina_mudik", language_code="id")
            sari = tg.user("Sari", username="operator_sari", language_code="id")
            group = tg.group("Command Center 112 — Dispatch", admins=[sari])
            settings = Settings(
                _env_file=None,
                telegram_bot_token=DEMO_TOKEN,
                telegram_api_url=server.root_url,
                dispatch_chat_id=group.id,
                database_path=Path(tmp) / "demo.sqlite3",
            )
            print(f"Bot API emulator on {server.root_url}; the bot runs against it.\n", file=out)
            async with BotRuntime(settings, poll_timeout=1):
                async with asyncio.timeout(60):
                    await _play(tg, rina, sari, group)
            print("=" * 72, file=out)
            print("Reporter's private chat (Rina, a traveller)", file=out)
            print("=" * 72, file=out)
            print(tg.transcript(rina, tz=WIB), file=out)
            print("\n" + "=" * 72, file=out)
            print("Dispatchers' group", file=out)
            print("=" * 72, file=out)
            print(tg.transcript(group, tz=WIB), file=out)
    return 0


async def _play(tg: Driver, rina: User, sari: User, group: Group) -> None:
    async def bot_says(chat: User | Group, needle: str) -> Message:
        return await tg.wait_for(chat, lambda m: needle in m.text, timeout=STEP_TIMEOUT)

    await rina.send("/start")
    await bot_says(rina, "Buat laporan")
    await rina.tap("📝 Buat laporan")
    ask = await bot_says(rina, "Langkah 1")
    await rina.press(ask, "Kecelakaan")
    await bot_says(rina, "Langkah 2")
    await rina.tap("📍 Kirim lokasi saya", location=SIMPANG_LIMA)
    await bot_says(rina, "Langkah 3")
    await rina.send(
        "Tabrakan motor dan mobil di bundaran Simpang Lima sisi Jl. Pahlawan. "
        "Satu pengendara motor terluka di kaki, masih sadar."
    )
    await bot_says(rina, "Langkah 4")
    await rina.tap("📞 Bagikan nomor saya")
    summary = await bot_says(rina, "Periksa laporan")
    await rina.press(summary, "Kirim")
    card = await tg.wait_for(group, lambda m: "📌" in m.text, timeout=STEP_TIMEOUT)
    await bot_says(rina, "diterima")
    await sari.press(card, "Ambil")
    await bot_says(rina, "sedang ditangani")
    card = await tg.wait_for_edit(card, timeout=STEP_TIMEOUT)
    await sari.press(card, "Kirim instansi")
    menu = await tg.wait_for_edit(card, timeout=STEP_TIMEOUT)
    await sari.press(menu, "Satlantas")
    await bot_says(rina, "sudah diminta ke lokasi")
    await sari.send(
        "Ambulans dan Satlantas menuju lokasi. Mohon jangan pindahkan korban.",
        chat=group,
        reply_to=card,
    )
    await bot_says(rina, "Mohon jangan pindahkan korban")


def main() -> int:
    """Run the demo in a fresh event loop."""
    return asyncio.run(run_demo())
