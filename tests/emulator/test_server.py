"""The Bot API emulator, driven by python-telegram-bot's own ``telegram.Bot``.

Using the real client proves the emulator's request parsing and response shapes.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import aiohttp
import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyParameters,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from emulator import BotApiServer, Driver
from emulator.world import make_png
from tests.emulator.conftest import TOKEN, make_bot


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def test_get_me_and_bot_user_shape(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.username == "semarang112_bot"
    assert me.is_bot and me.can_join_groups
    assert me.can_read_all_group_messages is False
    assert me.id == 123456


async def test_wrong_token_is_401_invalid_token(server: BotApiServer, tg: Driver) -> None:
    stranger = make_bot(server, "999:nope")
    with pytest.raises(InvalidToken, match="rejected by the server"):
        await stranger.initialize()
    await stranger.shutdown()
    assert server.calls[-1].status == 401


async def test_unknown_method_is_400_not_404(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Method not found"):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})


async def test_method_names_case_insensitive_and_json_and_query_params(
    server: BotApiServer, tg: Driver
) -> None:
    budi = tg.user("Budi")
    await budi.send("halo")
    url = f"{server.root_url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{url}/SENDMESSAGE", json={"chat_id": budi.id, "text": "json body"}
        ) as resp:
            body = await resp.json()
        assert resp.status == 200 and body["ok"] is True
        assert body["result"]["text"] == "json body"
        async with session.get(f"{url}/sendMessage", params={"chat_id": budi.id}) as resp:
            body = await resp.json()
        assert resp.status == 400
        assert body == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: message text is empty",
        }
    assert [m.text for m in tg.messages(budi)] == ["halo", "json body"]


async def test_get_updates_offset_limit_and_negative_offset(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    for text in ("satu", "dua", "tiga"):
        await budi.send(text)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["satu", "dua", "tiga"]
    first = updates[0].update_id
    assert [u.update_id for u in updates] == [first, first + 1, first + 2]
    limited = await bot.get_updates(offset=first + 1, limit=1)
    assert [u.update_id for u in limited] == [first + 1]
    assert tg.pending_updates == 2  # "satu" was confirmed by the offset
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == [first + 2]
    assert await bot.get_updates(offset=first + 3) == ()
    assert tg.pending_updates == 0


async def test_long_poll_wakes_up_when_an_update_arrives(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await budi.send("tolong")
    updates = await poll
    assert time.monotonic() - started < 1.0
    assert updates[0].message is not None and updates[0].message.text == "tolong"


async def test_long_poll_times_out_empty(bot: telegram.Bot, tg: Driver) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
    assert 0.25 < time.monotonic() - started < 2


async def test_allowed_updates_filters_types(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    first = await budi.send("/start")
    await budi.edit(first, "/start lagi")
    updates = await bot.get_updates(allowed_updates=["edited_message"])
    assert len(updates) == 1 and updates[0].edited_message is not None
    assert updates[0].edited_message.text == "/start lagi"


async def test_send_edit_and_not_modified(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("/start")
    sent = await bot.send_message(budi.id, "Pilih:", reply_markup=keyboard(("Kirim", "send")))
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.message_id == 2  # per-chat ids: Budi's /start was 1
    edited = await bot.edit_message_text(
        "Pilih lagi:",
        chat_id=budi.id,
        message_id=sent.message_id,
        reply_markup=keyboard(("A", "a")),
    )
    assert isinstance(edited, telegram.Message) and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "Pilih lagi:",
            chat_id=budi.id,
            message_id=sent.message_id,
            reply_markup=keyboard(("A", "a")),
        )
    # Without reply_markup the keyboard is removed (that is a modification).
    await bot.edit_message_text("Pilih lagi:", chat_id=budi.id, message_id=sent.message_id)
    msg = tg.bot_messages(budi)[0]
    assert msg.inline_buttons == []
    assert msg.edits == ["Pilih:", "Pilih lagi:"]
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=budi.id, message_id=999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=budi.id, message_id=1)  # Budi's message
    markup_only = await bot.edit_message_reply_markup(
        chat_id=budi.id, message_id=sent.message_id, reply_markup=keyboard(("B", "b"))
    )
    assert isinstance(markup_only, telegram.Message)
    assert tg.bot_messages(budi)[0].inline_buttons[0][0].callback_data == "b"
    assert await bot.delete_message(budi.id, sent.message_id) is True
    assert tg.bot_messages(budi) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(budi.id, sent.message_id)


async def test_html_is_parsed_into_text_and_entities(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    sent = await bot.send_message(
        budi.id,
        '🚨 <b>Laporan #12</b>\n<i>Kebakaran</i> di <a href="https://maps.example">Tugu</a>',
        parse_mode="HTML",
    )
    assert sent.text == "🚨 Laporan #12\nKebakaran di Tugu"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 3, 11),
        ("italic", 15, 9),
        ("text_link", 28, 4),
    ]
    msg = await tg.next_bot_message(budi)
    assert msg.html == (
        '🚨 <b>Laporan #12</b>\n<i>Kebakaran</i> di <a href="https://maps.example">Tugu</a>'
    )


@pytest.mark.parametrize(
    "text",
    ["Suhu < 40", "Tom & Jerry", "<b>tebal", "<b>x</i>", "baris<br>baru", "<foo>x</foo>"],
)
async def test_invalid_html_is_rejected(bot: telegram.Bot, tg: Driver, text: str) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(budi.id, text, parse_mode="HTML")
    assert tg.bot_messages(budi) == []


async def test_text_length_limit_counts_utf16_after_parsing(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(budi.id, "a" * 4096)
    await bot.send_message(budi.id, f"<b>{'a' * 4096}</b>", parse_mode="HTML")
    await bot.send_message(budi.id, "🚨" * 2048)  # 4096 UTF-16 code units
    for too_long in ("a" * 4097, "🚨" * 2048 + "a"):
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(budi.id, too_long)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(budi.id, f"<b>{'a' * 4097}</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(budi.id, "  \n ")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(budi.id, "<b> </b>", parse_mode="HTML")
    photo = make_png()
    await bot.send_photo(budi.id, photo, caption="c" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(budi.id, photo, caption="c" * 1025)
    assert len(tg.bot_messages(budi)) == 4


async def test_callback_data_limit_is_64_bytes(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(budi.id, "ok", reply_markup=keyboard(("x", "d" * 64)))
    await bot.send_message(budi.id, "ok", reply_markup=keyboard(("x", "é" * 32)))
    for data in ("d" * 65, "é" * 33):
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(budi.id, "no", reply_markup=keyboard(("x", data)))


async def test_forbidden_and_chat_not_found(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(budi.id, "halo")
    await budi.send("/start")
    await bot.send_message(budi.id, "halo")
    budi.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(budi.id, "halo lagi")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_chat_action(budi.id, "typing")
    budi.unblock_bot()
    await bot.send_message(budi.id, "halo lagi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "halo")
    updates = await bot.get_updates()
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert statuses == [("member", "kicked"), ("kicked", "member")]


async def test_flood_limits_answer_429_with_retry_after(
    bot: telegram.Bot, tg: Driver, server: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns when reading int retry_after
    budi = tg.user("Budi")
    op = tg.user("Sari")
    dispatch = tg.group("112 Dispatch", members=[op])
    await budi.send("hi")
    server.set_flood_limits(per_chat_per_second=1, per_group_per_minute=3)
    await bot.send_message(budi.id, "satu")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(budi.id, "dua")
    assert info.value.retry_after == dtm.timedelta(seconds=1)
    server.set_flood_limits(per_chat_per_second=None, per_group_per_minute=3)
    for n in range(3):
        await bot.send_message(dispatch.id, f"kartu {n}")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(dispatch.id, "kartu 4")
    assert info.value.retry_after == dtm.timedelta(seconds=60)
    assert server.flood_rejections == 2
    assert tg.call_count("sendMessage", dispatch) == 4
    assert tg.call_count("sendMessage", dispatch, ok_only=True) == 3
    server.set_flood_limits(
        per_chat_per_second=None, per_group_per_minute=None, global_per_second=2
    )
    await bot.send_message(budi.id, "a")
    await bot.send_message(budi.id, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(budi.id, "c")
    server.disable_flood_limits()
    await bot.send_message(budi.id, "d")


async def test_fault_injection(bot: telegram.Bot, tg: Driver, server: BotApiServer) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    server.add_fault(method="sendMessage", status=500, count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(budi.id, "gagal")
    await bot.send_message(budi.id, "berhasil")
    assert [m.text for m in tg.bot_messages(budi)] == ["berhasil"]
    assert await bot.get_me()  # other methods unaffected
    server.add_fault(
        method=None, status=502, description="Bad Gateway", count=None, probability=0.5, seed=7
    )
    outcomes = []
    for _ in range(20):
        try:
            await bot.send_chat_action(budi.id, "typing")
            outcomes.append(True)
        except NetworkError:
            outcomes.append(False)
    assert 3 < outcomes.count(False) < 17
    server.clear_faults()
    await bot.send_chat_action(budi.id, "typing")
    assert [c.status for c in server.calls if c.method == "sendMessage"] == [500, 500, 200]
    dispatch = tg.group("112 Dispatch")
    server.add_fault(
        method="sendMessage", status=502, description="Bad Gateway", chat_id=dispatch.id
    )
    await bot.send_message(budi.id, "tidak terkena")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(dispatch.id, "kena")
    await bot.send_message(dispatch.id, "lolos")


async def test_outage_502_and_dropped_connections(
    bot: telegram.Bot, tg: Driver, server: BotApiServer
) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    server.outage(0.3)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(budi.id, "x")
    with pytest.raises(NetworkError):
        await bot.get_me()
    await asyncio.sleep(0.35)
    await bot.send_message(budi.id, "pulih")
    server.outage_until_cleared(mode="close")
    with pytest.raises(NetworkError):
        await bot.send_message(budi.id, "x")
    server.clear_faults()
    await bot.send_message(budi.id, "pulih lagi")
    assert [m.text for m in tg.bot_messages(budi)] == ["pulih", "pulih lagi"]


async def test_timeout_after_delivery_stores_the_message(
    bot: telegram.Bot, tg: Driver, server: BotApiServer
) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    dispatch = tg.group("112 Dispatch")
    server.add_timeout_after_delivery(method="sendMessage", delay=2.0, chat_id=budi.id)
    await bot.send_message(dispatch.id, "tidak tertunda", read_timeout=0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(budi.id, "nasib tidak pasti", read_timeout=0.2)
    assert [m.text for m in tg.bot_messages(budi)] == ["nasib tidak pasti"]
    await bot.send_message(budi.id, "normal lagi", read_timeout=0.5)


async def test_reply_parameters(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    question = await budi.send("Di mana posko?")
    answer = await bot.send_message(
        budi.id, "Di Balai Kota", reply_parameters=ReplyParameters(question.message_id)
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "Di mana posko?"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(budi.id, "x", reply_parameters=ReplyParameters(999))
    lenient = await bot.send_message(
        budi.id,
        "tanpa balasan",
        reply_parameters=ReplyParameters(999, allow_sending_without_reply=True),
    )
    assert lenient.reply_to_message is None
    form = {"chat_id": str(budi.id), "text": "lama", "reply_to_message_id": "1"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{tg.server.base_url(TOKEN)}/sendMessage", data=form) as resp,
    ):
        legacy = await resp.json()
    assert legacy["result"]["reply_to_message"]["text"] == "Di mana posko?"
    assert (await tg.wait_for(budi, lambda m: m.text == "lama")).reply_to_message_id == 1


async def test_message_thread_id_is_kept(bot: telegram.Bot, tg: Driver) -> None:
    op = tg.user("Sari")
    forum = tg.group("Forum", is_forum=True, members=[op])
    topic = tg.create_topic(forum, "Kebakaran", by=op)
    sent = await bot.send_message(forum.id, "topik", message_thread_id=topic.id)
    assert sent.message_thread_id == topic.id and sent.is_topic_message
    assert tg.bot_messages(forum)[0].thread_id == topic.id


async def test_photos_upload_file_id_and_download(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    png = make_png(64, 48)
    first = await bot.send_photo(budi.id, png, caption="<b>Foto</b>", parse_mode="HTML")
    assert (first.photo[-1].width, first.photo[-1].height) == (64, 48)
    assert len(first.photo) == 2  # a thumbnail plus the original
    assert first.caption == "Foto" and first.caption_entities[0].type == "bold"
    again = await bot.send_photo(budi.id, first.photo[-1].file_id)
    assert again.photo[-1].file_id == first.photo[-1].file_id
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_photo(budi.id, "AgACnotthere")
    file = await bot.get_file(first.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == png
    user_photo = await budi.send_photo(caption="asap tebal")
    assert user_photo.photo is not None
    their_file = await bot.get_file(user_photo.photo[-1]["file_id"])
    assert (await their_file.download_as_bytearray()).startswith(b"\x89PNG")


async def test_copy_and_forward(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    op = tg.user("Sari")
    dispatch = tg.group("112 Dispatch", members=[op])
    photo = await budi.send_photo(caption="asap")
    copied = await bot.copy_message(
        dispatch.id, budi.id, photo.message_id, caption="<b>Foto pelapor</b>", parse_mode="HTML"
    )
    assert isinstance(copied, telegram.MessageId)
    copy = tg.bot_messages(dispatch)[0]
    assert copy.message_id == copied.message_id
    assert copy.caption == "Foto pelapor" and copy.photo == photo.photo
    forwarded = await bot.forward_message(dispatch.id, budi.id, photo.message_id)
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(dispatch.id, budi.id, 999)


async def test_locations_venues_contacts_media_group(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    live = await bot.send_location(budi.id, -6.99, 110.42, live_period=900, horizontal_accuracy=20)
    assert live.location is not None and live.location.horizontal_accuracy == 20
    moved = await bot.edit_message_live_location(
        chat_id=budi.id, message_id=live.message_id, latitude=-6.98, longitude=110.43
    )
    assert isinstance(moved, telegram.Message) and moved.location is not None
    assert moved.location.latitude == -6.98
    await bot.stop_message_live_location(chat_id=budi.id, message_id=live.message_id)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_live_location(
            chat_id=budi.id, message_id=live.message_id, latitude=-6.97, longitude=110.43
        )
    venue = await bot.send_venue(budi.id, -6.98, 110.41, "Balai Kota", "Jl. Pemuda 148")
    assert venue.venue is not None and venue.location is not None
    contact = await bot.send_contact(budi.id, "112", "Call Center")
    assert contact.contact is not None and contact.contact.phone_number == "112"
    album = await bot.send_media_group(
        budi.id, [InputMediaPhoto(make_png(), caption="satu"), InputMediaPhoto(make_png())]
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    assert album[0].caption == "satu"
    with pytest.raises(BadRequest, match="Wrong location"):
        await bot.send_location(budi.id, 91, 0)


async def test_callback_query_answers(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(budi.id, "Pilih", reply_markup=keyboard(("Ya", "yes")))
    msg = await tg.next_bot_message(budi)
    query = budi.press_nowait(msg, "Ya")
    updates = await bot.get_updates()
    callback = updates[-1].callback_query
    assert callback is not None and callback.data == "yes" and callback.chat_instance
    assert callback.message is not None and callback.message.message_id == msg.message_id
    with pytest.raises(BadRequest, match="Message_too_long"):
        await callback.answer("x" * 201)
    assert await callback.answer("Oke", show_alert=True)
    answer = await tg.wait_for_answer(query.id, timeout=1)
    assert answer.text == "Oke" and answer.show_alert
    with pytest.raises(BadRequest, match="Query is too old"):
        await callback.answer("lagi")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("does-not-exist")


async def test_commands_chats_members_and_misc(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi", username="budi_smg")
    sari = tg.user("Sari")
    owner = tg.user("Kepala")
    dispatch = tg.group("112 Dispatch", members=[budi], admins=[sari], owner=owner)
    await bot.set_my_commands([("start", "Mulai"), ("lapor", "Buat laporan")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "lapor"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start!", "x")])
    chat = await bot.get_chat(dispatch.id)
    assert chat.type == "supergroup" and chat.title == "112 Dispatch"
    assert str(dispatch.id).startswith("-100")
    private = await bot.get_chat(budi.id)
    assert private.username == "budi_smg"
    member = await bot.get_chat_member(dispatch.id, sari.id)
    assert member.status == "administrator"
    assert (await bot.get_chat_member(dispatch.id, owner.id)).status == "creator"
    assert (await bot.get_chat_member(dispatch.id, (await bot.get_me()).id)).status == "member"
    admins = await bot.get_chat_administrators(dispatch.id)
    assert {a.user.id for a in admins} == {sari.id, owner.id}
    assert await bot.get_chat_member_count(dispatch.id) == 4
    assert await bot.send_chat_action(dispatch.id, "typing")
    assert await bot.set_my_description("Layanan 112 Kota Semarang")
    assert (await bot.get_my_description()).description == "Layanan 112 Kota Semarang"
    assert await bot.set_my_short_description("112")
    assert await bot.set_chat_menu_button()
    assert await bot.set_webhook("https://example.invalid/hook")
    assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"
    assert await bot.delete_webhook()
    assert await bot.log_out() and await bot.close()


async def test_reply_keyboard_is_tracked(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("/lapor")
    await bot.send_message(
        budi.id,
        "Kirim lokasi",
        reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton("📍 Lokasi", request_location=True)], ["Batal"]],
            one_time_keyboard=True,
        ),
    )
    msg = await tg.next_bot_message(budi)
    assert msg.reply_keyboard[0][0].request_location
    assert msg.reply_keyboard[1][0].text == "Batal"
    shared = await budi.tap("Lokasi", location=(-6.99, 110.42))
    assert shared.location == {"latitude": -6.99, "longitude": 110.42}
    assert tg.current_keyboard(budi) == []  # one-time keyboard is gone


async def test_getupdates_conflict_between_two_pollers(bot: telegram.Bot, tg: Driver) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.1)
    async with make_bot(tg.server) as other:
        second = asyncio.create_task(other.get_updates(timeout=dtm.timedelta(seconds=0.2)))
        with pytest.raises(telegram.error.Conflict, match="terminated by other getUpdates"):
            await first
        assert await second == ()


async def test_calls_are_recorded(bot: telegram.Bot, tg: Driver, server: BotApiServer) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    await bot.send_message(budi.id, "a")
    with pytest.raises(BadRequest):
        await bot.send_message(budi.id, "")
    methods = [c.method for c in server.calls]
    assert methods[:1] == ["getMe"]
    assert methods.count("sendMessage") == 2
    method, params, status, when = server.calls[-1]
    assert (method, status) == ("sendMessage", 400)
    assert params["chat_id"] == str(budi.id) and when > 0
    assert tg.call_count("sendMessage") == 2
    assert tg.call_count("sendMessage", budi, ok_only=True) == 1
    assert server.internal_errors == []


async def test_edit_caption_and_pin(bot: telegram.Bot, tg: Driver) -> None:
    budi = tg.user("Budi")
    await budi.send("hi")
    photo = await bot.send_photo(budi.id, make_png(), caption="lama")
    edited = await bot.edit_message_caption(
        chat_id=budi.id, message_id=photo.message_id, caption="<i>baru</i>", parse_mode="HTML"
    )
    assert isinstance(edited, telegram.Message) and edited.caption == "baru"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_caption(
            chat_id=budi.id, message_id=photo.message_id, caption="<i>baru</i>", parse_mode="HTML"
        )
    text = await bot.send_message(budi.id, "teks")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=budi.id, message_id=text.message_id, caption="x")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=budi.id, message_id=photo.message_id)
    assert tg.bot_messages(budi)[0].html == "<i>baru</i>"

    plain = tg.group("Grup biasa")
    admin_of = tg.group("Grup admin", bot_admin=True)
    in_plain = await bot.send_message(plain.id, "pin saya")
    with pytest.raises(BadRequest, match="Not enough rights"):
        await bot.pin_chat_message(plain.id, in_plain.message_id)
    in_admin = await bot.send_message(admin_of.id, "pin saya")
    assert await bot.pin_chat_message(admin_of.id, in_admin.message_id)
    pinned = (await bot.get_chat(admin_of.id)).pinned_message
    assert pinned is not None and pinned.text == "pin saya"
    assert await bot.unpin_all_chat_messages(admin_of.id)
