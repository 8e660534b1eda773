"""Group life through the real HTTP server: the bot removed and re-added, members promoted,
a basic group upgraded to a supergroup."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import telegram
from telegram import ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden

from emulator import BotApiServer, Driver
from emulator.world import make_png
from tests.emulator.conftest import TOKEN


def refused_calls(bot: telegram.Bot, chat_id: int, message_id: int) -> list[Awaitable[Any]]:
    """One call of each kind a bot makes to a group: send, media, edit, pin, delete, ..."""
    return [
        bot.send_message(chat_id, "kartu"),
        bot.send_photo(chat_id, make_png(), caption="foto"),
        bot.send_location(chat_id, -6.99, 110.42),
        bot.edit_message_text("diubah", chat_id=chat_id, message_id=message_id),
        bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id),
        bot.pin_chat_message(chat_id, message_id),
        bot.unpin_chat_message(chat_id, message_id),
        bot.delete_message(chat_id, message_id),
        bot.send_chat_action(chat_id, "typing"),
        bot.copy_message(chat_id, chat_id, message_id),
    ]


async def test_bot_kicked_from_a_group_then_re_added(bot: telegram.Bot, tg: Driver) -> None:
    owner = tg.user("Pak Kepala")
    sari = tg.user("Sari")
    dispatch = tg.group("112 Dispatch", members=[sari], owner=owner, bot_admin=True)
    card = await bot.send_message(dispatch.id, "LAPORAN #1")
    me = await bot.get_me()
    tg.remove_bot_from_group(dispatch, by=owner)
    calls = refused_calls(bot, dispatch.id, card.message_id)
    for call in calls:
        with pytest.raises(
            Forbidden, match=r"^Forbidden: bot was kicked from the supergroup chat$"
        ):
            await call
    assert tg.answers(403, dispatch) == len(calls)
    assert [m.text for m in tg.bot_messages(dispatch)] == ["LAPORAN #1"]
    updates = await bot.get_updates()
    removed = updates[0].my_chat_member
    assert removed is not None and removed.chat.id == dispatch.id
    assert removed.from_user.id == owner.id and removed.date.timestamp() > 0
    assert removed.old_chat_member.user.id == me.id
    assert (removed.old_chat_member.status, removed.new_chat_member.status) == (
        "administrator",
        "kicked",
    )
    notice = updates[1].message
    assert notice is not None and notice.left_chat_member is not None
    assert notice.left_chat_member.id == me.id
    await sari.send("/antrian", chat=dispatch)  # the bot is not there: nothing arrives
    tg.add_bot_to_group(dispatch, by=owner, admin=True)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1)
    back = updates[0].my_chat_member
    assert back is not None and back.from_user.id == owner.id
    assert (back.old_chat_member.status, back.new_chat_member.status) == (
        "kicked",
        "administrator",
    )
    assert updates[1].message is not None
    assert [u.id for u in updates[1].message.new_chat_members] == [me.id]
    assert len(updates) == 2
    again = await bot.send_message(dispatch.id, "LAPORAN #1 (dikirim ulang)")
    await bot.pin_chat_message(dispatch.id, again.message_id)
    await bot.edit_message_text("LAPORAN #1 ✅", chat_id=dispatch.id, message_id=card.message_id)


async def test_bot_removed_from_a_basic_group_and_leaving_itself(
    bot: telegram.Bot, tg: Driver
) -> None:
    owner = tg.user("Pak Kepala")
    basic = tg.group("Posko Pemadam", owner=owner, basic=True)
    tg.remove_bot_from_group(basic, by=owner, status="left")
    with pytest.raises(Forbidden, match=r"^Forbidden: bot is not a member of the group chat$"):
        await bot.send_message(basic.id, "x")
    tg.add_bot_to_group(basic, by=owner)
    await bot.send_message(basic.id, "kembali")
    assert await bot.leave_chat(basic.id)
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(basic.id, "x")
    updates = await bot.get_updates()
    statuses = [
        (u.my_chat_member.from_user.first_name, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert statuses == [("Pak Kepala", "left"), ("Pak Kepala", "member"), ("Semarang 112", "left")]
    service = [u.message for u in updates if u.message]
    assert [bool(m.left_chat_member) for m in service] == [True, False]  # none for leaveChat


async def test_chat_member_updates_need_an_admin_bot_that_asked_for_them(
    bot: telegram.Bot, tg: Driver
) -> None:
    owner = tg.user("Pak Kepala")
    sari = tg.user("Sari")
    dispatch = tg.group("112 Dispatch", members=[sari], owner=owner, bot_admin=True)
    await bot.get_updates()  # default allowed_updates: no chat_member
    assert tg.promote(dispatch, sari, by=owner) is False
    member = await bot.get_chat_member(dispatch.id, sari.id)
    assert member.status == "administrator" and member.can_pin_messages
    admins = {m.user.id for m in await bot.get_chat_administrators(dispatch.id)}
    assert sari.id in admins and owner.id in admins
    await bot.get_updates(allowed_updates=["message", "chat_member", "my_chat_member"])
    assert tg.demote(dispatch, sari, by=owner) is True
    updates = await bot.get_updates(allowed_updates=["message", "chat_member"])
    assert len(updates) == 1 and updates[0].chat_member is not None
    change = updates[0].chat_member
    assert change.from_user.id == owner.id and change.chat.id == dispatch.id
    assert change.new_chat_member.user.id == sari.id
    assert (change.old_chat_member.status, change.new_chat_member.status) == (
        "administrator",
        "member",
    )
    assert (await bot.get_chat_member(dispatch.id, sari.id)).status == "member"
    assert sari.id not in {m.user.id for m in await bot.get_chat_administrators(dispatch.id)}
    plain = tg.group("Grup warga", members=[sari], owner=owner)  # the bot is no admin here
    assert tg.promote(plain, sari, by=owner) is False
    assert tg.set_member_status(dispatch, sari, "kicked", by=owner) is True
    assert tg.set_member_status(dispatch, sari, "kicked", by=owner) is False  # no change
    assert (await bot.get_chat_member(dispatch.id, sari.id)).status == "kicked"


async def test_promoting_the_bot_changes_its_rights(bot: telegram.Bot, tg: Driver) -> None:
    owner = tg.user("Pak Kepala")
    dispatch = tg.group("112 Dispatch", owner=owner)
    card = await bot.send_message(dispatch.id, "kartu")
    with pytest.raises(BadRequest, match="Not enough rights to manage pinned messages"):
        await bot.pin_chat_message(dispatch.id, card.message_id)
    tg.set_bot_status(dispatch, "administrator", by=owner, rights={"can_pin_messages": False})
    with pytest.raises(BadRequest, match="Not enough rights to manage pinned messages"):
        await bot.pin_chat_message(dispatch.id, card.message_id)
    me = await bot.get_chat_member(dispatch.id, (await bot.get_me()).id)
    assert me.status == "administrator" and me.can_pin_messages is False
    tg.set_bot_status(dispatch, "administrator", by=owner, rights={})
    await bot.pin_chat_message(dispatch.id, card.message_id)
    updates = await bot.get_updates()
    assert [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member] == [
        "administrator"
    ]


async def test_basic_group_migrates_to_a_supergroup(
    bot: telegram.Bot, tg: Driver, server: BotApiServer
) -> None:
    owner = tg.user("Pak Kepala")
    sari = tg.user("Sari")
    basic = tg.group("112 Dispatch", members=[sari], owner=owner, basic=True, bot_admin=True)
    assert -1_000_000_000_000 < basic.id < 0
    cards = [await bot.send_message(basic.id, f"kartu {n}") for n in range(3)]
    assert (await bot.get_chat(basic.id)).type == "group"
    sg = tg.migrate_to_supergroup(basic, by=owner)
    assert str(sg.id).startswith("-100") and basic.migrated_to == sg.id
    updates = await bot.get_updates()
    moves = [
        (u.message.chat.id, u.message.chat.type, u.message.migrate_from_chat_id)
        if u.message.migrate_from_chat_id
        else (u.message.chat.id, u.message.chat.type, u.message.migrate_to_chat_id)
        for u in updates
        if u.message
    ]
    assert moves == [(sg.id, "supergroup", basic.id), (basic.id, "group", sg.id)]
    assert updates[0].message is not None and updates[0].message.message_id == 1
    assert updates[0].message.from_user is not None
    assert updates[0].message.from_user.id == owner.id
    calls: list[Callable[[], Awaitable[Any]]] = [
        lambda: bot.send_message(basic.id, "x"),
        lambda: bot.edit_message_text("x", chat_id=basic.id, message_id=cards[0].message_id),
        lambda: bot.pin_chat_message(basic.id, cards[0].message_id),
        lambda: bot.get_chat(basic.id),
        lambda: bot.get_chat_member(basic.id, sari.id),
        lambda: bot.send_chat_action(basic.id, "typing"),
        lambda: bot.copy_message(sg.id, basic.id, cards[0].message_id),
    ]
    for call in calls:
        with pytest.raises(ChatMigrated) as info:
            await call()
        assert info.value.new_chat_id == sg.id
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{server.base_url(TOKEN)}/sendMessage", json={"chat_id": basic.id, "text": "x"}
        ) as resp,
    ):
        assert resp.status == 400
        assert await resp.json() == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": sg.id},
        }
    fresh = await bot.send_message(sg.id, "kartu baru")
    assert fresh.message_id == 2 and fresh.chat.type == "supergroup"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=sg.id, message_id=cards[2].message_id)
    assert (await bot.get_chat_member(sg.id, sari.id)).status == "member"
    assert (await bot.get_chat_member(sg.id, owner.id)).status == "creator"
    me = (await bot.get_me()).id
    assert me in {m.user.id for m in await bot.get_chat_administrators(sg.id)}
    await bot.pin_chat_message(sg.id, fresh.message_id)
    with pytest.raises(ValueError, match="upgraded"):
        await sari.send("/antrian", chat=basic)
    command = await sari.send("/antrian", chat=sg)
    answer = await bot.send_message(
        sg.id, "antrian kosong", reply_parameters=ReplyParameters(command.message_id)
    )
    assert answer.reply_to_message is not None
    updates = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in updates if u.message] == ["/antrian"]
    assert "⤴ upgraded to supergroup" in tg.transcript(basic)
    assert "⤴ upgraded from group" in tg.transcript(sg)
    with pytest.raises(ValueError):
        tg.migrate_to_supergroup(basic, by=owner)
    with pytest.raises(ValueError):
        tg.migrate_to_supergroup(sg, by=owner)
