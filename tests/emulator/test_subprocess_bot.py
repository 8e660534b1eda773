"""A bot running in another OS process, driven through the emulator's HTTP interface."""

from __future__ import annotations

import asyncio
import sys
import textwrap

from emulator import Driver
from tests.emulator.conftest import TOKEN

BOT_SCRIPT = textwrap.dedent(
    """
    import sys
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler

    root, token = sys.argv[1], sys.argv[2]

    async def start(update: Update, context) -> None:
        await update.effective_message.reply_text(
            "Halo dari proses lain",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Oke", callback_data="ok")]]
            ),
        )

    async def pressed(update: Update, context) -> None:
        await update.callback_query.answer("Diterima")

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.run_polling(poll_interval=0.0)
    """
)


async def test_bot_in_a_separate_process(tg: Driver) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        BOT_SCRIPT,
        tg.server.root_url,
        TOKEN,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        budi = tg.user("Budi")
        await budi.send("/start")
        reply = await tg.next_bot_message(budi, timeout=20)
        assert reply.text == "Halo dari proses lain"
        answer = await budi.press(reply, "Oke", timeout=10)
        assert answer.text == "Diterima"
    finally:
        process.terminate()
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
        except TimeoutError:
            process.kill()
            await process.wait()
            stderr = b""
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
