"""The test driver: simulated people against a real python-telegram-bot Application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from emulator import BotApiServer, Driver
from tests.emulator.conftest import TOKEN

FIXED_NOW = 1_700_000_000  # 2023-11-15 05:13:20 WIB


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        "Selamat datang di <b>112 Semarang</b>. Laporkan keadaan darurat:",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("🚨 Kirim laporan", callback_data="report")],
                [InlineKeyboardButton("Info", url="https://semarangkota.go.id")],
            ]
        ),
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Laporan dimulai")
    await query.edit_message_text("Silakan kirim lokasi Anda.")


async def located(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.location is not None
    await message.reply_text(
        f"Lokasi diterima: {message.location.latitude:.4f}, {message.location.longitude:.4f}",
        do_quote=True,
    )


async def live_moved(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.edited_message
    assert message is not None and message.location is not None
    await context.bot.send_message(message.chat_id, f"Bergerak ke {message.location.latitude}")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"Dicatat: {message.text}")


@pytest.fixture
async def app(server: BotApiServer, tg: Driver) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{server.root_url}/bot")
        .base_file_url(f"{server.root_url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(
        MessageHandler(filters.LOCATION & filters.UpdateType.EDITED_MESSAGE, live_moved)
    )
    application.add_handler(MessageHandler(filters.LOCATION & filters.UpdateType.MESSAGE, located))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, group_text)
    )
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def test_press_round_trip_with_a_polling_application(
    app: Application,  # type: ignore[type-arg]
    tg: Driver,
) -> None:
    budi = tg.user("Budi", username="budi_smg", language_code="id")
    await budi.send("/start")
    welcome = await tg.next_bot_message(budi, timeout=5)
    assert welcome.text == "Selamat datang di 112 Semarang. Laporkan keadaan darurat:"
    assert welcome.html.startswith("Selamat datang di <b>112 Semarang</b>.")
    assert [[b.text for b in row] for row in welcome.inline_buttons] == [
        ["🚨 Kirim laporan"],
        ["Info"],
    ]
    assert welcome.inline_buttons[1][0].url == "https://semarangkota.go.id"
    with pytest.raises(ValueError, match="no callback_data"):
        budi.press_nowait(welcome, "Info")  # a URL button sends nothing to the bot
    answer = await budi.press(welcome, "Kirim")
    assert answer.text == "Laporan dimulai" and not answer.show_alert
    edited = await tg.wait_for_edit(welcome)
    assert edited.text == "Silakan kirim lokasi Anda."
    assert edited.inline_buttons == []
    assert edited.edits == ["Selamat datang di 112 Semarang. Laporkan keadaan darurat:"]
    sent = await budi.send_location(-6.9905, 110.4229, horizontal_accuracy=35, live_period=900)
    reply = await tg.next_bot_message(budi)
    assert reply.text == "Lokasi diterima: -6.9905, 110.4229"
    assert reply.reply_to_message_id == sent.message_id
    await budi.edit_live_location(sent, -6.9800, 110.4300)
    moved = await tg.wait_for(budi, lambda m: m.text.startswith("Bergerak"))
    assert moved.text == "Bergerak ke -6.98"
    assert tg.call_count("answerCallbackQuery") == 1
    assert tg.server.internal_errors == []


async def test_press_times_out_when_the_bot_does_not_answer(tg: Driver, bot: telegram.Bot) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(
        budi.id,
        "Pilih",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="yes")]]),
    )
    msg = await tg.next_bot_message(budi)
    with pytest.raises(TimeoutError, match="did not answer"):
        await budi.press(msg, callback_data="yes", timeout=0.2)
    with pytest.raises(LookupError, match="no inline button 'Tidak'"):
        await budi.press(msg, "Tidak")


async def test_group_privacy_mode_and_replies(
    app: Application,  # type: ignore[type-arg]
    tg: Driver,
) -> None:
    op1 = tg.user("Sari")
    op2 = tg.user("Agus")
    dispatch = tg.group("112 Dispatch", members=[op1, op2], admins=[op1])
    await op1.send("/start@semarang112_bot", chat=dispatch)
    welcome = await tg.next_bot_message(dispatch)
    assert welcome.chat_id == dispatch.id
    await op2.send("obrolan biasa", chat=dispatch)  # privacy mode: the bot does not see it
    await tg.assert_no_bot_message(dispatch, within=0.2)
    await op2.send("OTW 5 menit", chat=dispatch, reply_to=welcome)  # replies reach the bot
    ack = await tg.wait_for(dispatch, lambda m: m.text.startswith("Dicatat"))
    assert ack.text == "Dicatat: OTW 5 menit"
    await op2.send("hai @semarang112_bot", chat=dispatch)  # mentions reach the bot
    await tg.wait_for(dispatch, lambda m: m.text == "Dicatat: hai @semarang112_bot")
    texts = [m.text for m in tg.messages(dispatch)]
    assert "obrolan biasa" in texts  # stored for the transcript even if the bot missed it


async def test_wait_for_sees_existing_future_and_edited_messages(
    tg: Driver, bot: telegram.Bot
) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(budi.id, "pertama")
    found = await tg.wait_for(budi, lambda m: m.text == "pertama", timeout=0.1)
    assert found.message_id == 2

    async def later() -> None:
        await asyncio.sleep(0.05)
        sent = await bot.send_message(budi.id, "kedua")
        await asyncio.sleep(0.05)
        await bot.edit_message_text(
            "kedua (diperbarui)", chat_id=budi.id, message_id=sent.message_id
        )

    task = asyncio.create_task(later())
    updated = await tg.wait_for(budi, lambda m: "diperbarui" in m.text, timeout=2)
    await task
    assert updated.text == "kedua (diperbarui)" and updated.edits == ["kedua"]
    with pytest.raises(TimeoutError, match="no matching bot message"):
        await tg.wait_for(budi, lambda m: m.text == "tidak ada", timeout=0.1)
    with pytest.raises(TimeoutError):
        await tg.wait_for(budi, lambda m: m.text == "pertama", timeout=0.05, only_new=True)
    assert [m.text for m in [await tg.next_bot_message(budi), await tg.next_bot_message(budi)]] == [
        "pertama",
        "kedua (diperbarui)",
    ]
    with pytest.raises(TimeoutError, match="no new bot message"):
        await tg.next_bot_message(budi, timeout=0.05)


async def test_update_shapes_parse_in_python_telegram_bot(tg: Driver, bot: telegram.Bot) -> None:
    budi = tg.user("Budi", last_name="Santoso")
    op = tg.user("Sari")
    dispatch = tg.group("112 Dispatch", members=[op], add_bot=False)
    await budi.send("/start")
    await budi.send_venue(-6.98, 110.41, "Simpang Lima", "Jl. Pahlawan")
    await budi.send_contact()
    await budi.send_photo(caption="asap")
    await budi.send_voice(duration=4)
    await budi.send_video()
    await budi.send_document()
    await budi.send_sticker()
    await budi.send_animation()
    await budi.send_poll("Aman?", ["Ya", "Tidak"])
    text = await budi.send("salah ketik")
    await budi.edit(text, "sudah benar")
    tg.add_bot_to_group(dispatch, by=op)
    updates = await bot.get_updates()
    kinds = []
    for update in updates:
        message = update.effective_message
        if update.my_chat_member is not None:
            kinds.append(f"my_chat_member:{update.my_chat_member.new_chat_member.status}")
        elif update.edited_message is not None:
            kinds.append(f"edited:{update.edited_message.text}")
        elif message is not None:
            kinds.append(str(message.effective_attachment.__class__.__name__))
    assert kinds == [
        "NoneType",  # /start text
        "Location",  # PTB prefers .location of a venue message (which has both)
        "Contact",
        "tuple",  # photo sizes
        "Voice",
        "Video",
        "Document",
        "Sticker",
        "Animation",
        "Poll",
        "NoneType",
        "edited:sudah benar",
        "my_chat_member:member",
        "NoneType",  # new_chat_members service message
    ]
    assert updates[0].message is not None and updates[0].message.text == "/start"
    venue = updates[1].message
    assert venue is not None and venue.venue is not None and venue.venue.title == "Simpang Lima"
    contact = updates[2].message
    assert contact is not None and contact.contact is not None
    assert contact.contact.user_id == budi.id
    assert updates[-1].message is not None
    assert updates[-1].message.new_chat_members[0].id == (await bot.get_me()).id
    await bot.send_message(dispatch.id, "Halo dispatcher")


async def test_bot_not_in_group_or_removed(tg: Driver, bot: telegram.Bot) -> None:
    op = tg.user("Sari")
    outside = tg.group("Grup lain", members=[op], add_bot=False)
    with pytest.raises(telegram.error.Forbidden, match="bot is not a member"):
        await bot.send_message(outside.id, "x")
    tg.add_bot_to_group(outside, by=op)
    await bot.send_message(outside.id, "halo")
    tg.remove_bot_from_group(outside, by=op)
    with pytest.raises(telegram.error.Forbidden, match="bot was kicked"):
        await bot.send_message(outside.id, "x")


async def test_transcript_format() -> None:
    async with BotApiServer(clock=lambda: FIXED_NOW) as server:
        tg = Driver(server, TOKEN)
        budi = tg.user("Budi", last_name="Santoso")
        op1 = tg.user("Sari")
        dispatch = tg.group("112 Dispatch", members=[op1])
        async with telegram.Bot(TOKEN, base_url=f"{server.root_url}/bot") as bot:
            await budi.send("/start")
            sent = await bot.send_message(
                budi.id,
                "Pilih <b>jenis</b>:",
                parse_mode="HTML",
                reply_markup=InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton("🔥 Kebakaran", callback_data="fire"),
                            InlineKeyboardButton("🚑 Medis", callback_data="med"),
                        ]
                    ]
                ),
            )
            await budi.send_location(-6.9905, 110.4229, horizontal_accuracy=35)
            await budi.send_photo(caption="asap tebal")
            await bot.edit_message_text(
                "Jenis: Kebakaran", chat_id=budi.id, message_id=sent.message_id
            )
            card = await bot.send_message(dispatch.id, "LAPORAN #1\nKebakaran di Tugu")
            await op1.send("OTW", chat=dispatch, reply_to=card.message_id)
    assert tg.transcript(budi) == (
        "[05:13:20] Budi Santoso: /start\n"
        "[05:13:20] 🤖 Semarang 112: Jenis: Kebakaran (edited)\n"
        "[05:13:20] Budi Santoso: 📍 -6.99050, 110.42290 ±35 m\n"
        "[05:13:20] Budi Santoso: 🖼 photo: asap tebal"
    )
    assert tg.transcript(dispatch) == (
        "[05:13:20] 🤖 Semarang 112: LAPORAN #1\n"
        "           Kebakaran di Tugu\n"
        "[05:13:20] Sari (↩ 🤖 Semarang 112: LAPORAN #1): OTW"
    )
    edited = tg.bot_messages(budi)[0]
    assert edited.edits == ["Pilih jenis:"]
    assert edited.inline_buttons == []


async def test_transcript_shows_buttons_and_keyboards(tg: Driver, bot: telegram.Bot) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(
        budi.id,
        "Pilih",
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Ya", callback_data="y"),
                    InlineKeyboardButton("Tidak", callback_data="n"),
                ]
            ]
        ),
    )
    await bot.send_message(
        budi.id,
        "Lokasi?",
        reply_markup=telegram.ReplyKeyboardMarkup(
            [[telegram.KeyboardButton("Kirim lokasi", request_location=True), "Batal"]]
        ),
    )
    lines = tg.transcript(budi).splitlines()
    assert lines[1].endswith("🤖 Semarang 112: Pilih")
    assert lines[2] == "           [Ya] [Tidak]"
    assert lines[3].endswith("🤖 Semarang 112: Lokasi?")
    assert lines[4] == "           ⌨ [📍 Kirim lokasi] [Batal]"


async def test_opening_a_deep_link_sends_start_with_its_payload(
    app: Application,  # type: ignore[type-arg]
    tg: Driver,
) -> None:
    budi = tg.user("Budi")
    sent = await budi.open_link("https://t.me/semarang112_bot?start=inv_Ab-9_z")
    assert sent.text == "/start inv_Ab-9_z" and sent.chat_id == budi.id
    assert sent.entities == [{"type": "bot_command", "offset": 0, "length": 6}]
    await tg.next_bot_message(budi)  # the bot's /start handler answered
    with pytest.raises(ValueError, match="not a link to @semarang112_bot"):
        await budi.open_link("https://t.me/other_bot?start=x")
    with pytest.raises(ValueError, match="payload"):
        await budi.open_link("https://t.me/semarang112_bot?start=" + "a" * 65)
    with pytest.raises(ValueError, match="payload"):
        await budi.open_link("https://t.me/semarang112_bot?start=bad%20token")
