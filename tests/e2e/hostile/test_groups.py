"""Hostile input in the dispatch group and in strangers' groups: nothing leaks.

Every case runs through ``@hostile``: afterwards the bot still answers in every chat the
case touched, nothing was logged at ERROR and the database is consistent
(``tests/support/hostile.py``).
"""

from __future__ import annotations

import asyncio

import pytest

from emulator.world import JSON
from tests.support.hostile import (
    HUGE,
    NO_DRAFT,
    Env,
    bot_texts,
    filed,
    hostile,
    inject,
    mark,
    next_id,
    person,
    report_state,
    said,
    settle,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")


@hostile
async def test_replies_to_unrelated_group_messages_are_not_relayed(env: Env) -> None:
    r, _, _card = await filed(env)
    d = env.w.dispatch
    since_r = mark(env, r)
    chatter = inject(env, env.w.member, {"text": "makan siang di mana?"}, chat=d)
    inject(
        env,
        env.w.dispatcher,
        {"text": "warung padang", "reply_to_message": dict(chatter)},
        chat=d,
    )
    since = mark(env, d)
    await env.w.member.send("/chatid", chat=d)
    notice = await said(env, d, str(d.id), since)
    await env.w.dispatcher.send("terima kasih bot", chat=d, reply_to=notice)
    await env.w.dispatcher.send("/antrian", chat=d)
    queue = await said(env, d, "Antrian", since)
    await env.w.dispatcher.send("oke", chat=d, reply_to=queue)
    await asyncio.sleep(0.3)
    assert bot_texts(env, r, since_r) == []


@hostile
async def test_a_reply_to_the_card_of_a_closed_report_still_reaches_the_reporter(env: Env) -> None:
    r, ticket, card = await filed(env)
    await env.w.dispatcher.press(card, "Tutup")
    menu = await env.w.tg.wait_for_edit(card)
    await env.w.dispatcher.press(menu, "Alarm palsu")
    closed = await env.w.tg.wait_for(
        env.w.dispatch, lambda m: ticket in m.text and "DITUTUP" in m.text
    )
    await settle(env)
    since = mark(env, r)
    words = "Unit kami cek ulang besok pagi"
    await env.w.dispatcher.send(words, chat=env.w.dispatch, reply_to=closed)
    assert ticket in (await said(env, r, words, since)).text
    since = mark(env, r)
    await r.send("tapi apinya masih ada!")
    await said(env, r, NO_DRAFT, since)
    assert (await report_state(env, ticket)).snapshot.state.value == "closed"


@hostile
async def test_media_replies_to_a_card_are_copied_to_the_reporter(env: Env) -> None:
    r, ticket, card = await filed(env)
    d = env.w.dispatch
    since = mark(env, r)
    await env.w.dispatcher.send_sticker(chat=d)  # not a reply: not seen, not relayed
    await env.w.dispatcher.send_photo(caption="<b>peta</b>", chat=d, reply_to=card)
    inject(
        env,
        env.w.dispatcher,
        {"dice": {"emoji": "🎲", "value": 3}, "reply_to_message": dict(card.raw)},
        chat=d,
    )
    await said(env, r, ticket, since)
    await env.w.tg.wait_for(r, lambda m: m.message_id > since and m.caption == "<b>peta</b>")
    await env.w.tg.wait_for(r, lambda m: m.message_id > since and "dice" in m.raw)


@hostile
async def test_commands_in_a_strangers_group_leak_nothing(env: Env) -> None:
    _, ticket, _ = await filed(env)
    g = env.stranger
    env.groups.append(g)
    since = mark(env, g)
    for text in ("/antrian", f"/laporan {ticket}", "/unblock 7001", "/status", "/batal", "/xyz"):
        await env.w.member.send(text, chat=g)
    await env.w.member.send("/lapor sekarang", chat=g)
    await said(env, g, "chat pribadi", since)
    await env.w.member.send("/start@othername_bot", chat=g)
    texts = bot_texts(env, g, since)
    assert not [t for t in texts if ticket in t or "Antrian" in t], texts


@hostile
async def test_replies_in_a_strangers_group_are_ignored(env: Env) -> None:
    r, _, _ = await filed(env)
    g = env.stranger
    env.groups.append(g)
    since = mark(env, g)
    await env.w.member.send("/chatid", chat=g)
    notice = await said(env, g, str(g.id), since)
    since_r = mark(env, r)
    await env.w.member.send("balas ke bot", chat=g, reply_to=notice)
    await env.w.member.send_photo(caption="foto", chat=g, reply_to=notice)
    await asyncio.sleep(0.3)
    assert bot_texts(env, r, since_r) == []


@hostile
async def test_the_bot_added_to_or_removed_from_a_random_group_opens_no_draft(env: Env) -> None:
    n = next_id()
    g = env.w.tg.group(f"<b>Grup</b> acak {n}", members=[env.w.member], add_bot=False)
    env.w.tg.add_bot_to_group(g, by=env.w.member)
    await said(env, g, str(g.id), 0)
    env.groups.append(g)
    since = mark(env, g)
    await env.w.member.send("/lapor", chat=g)
    await said(env, g, "chat pribadi", since)
    h = env.w.tg.group(f"Grup lain {n}", members=[env.w.member])
    env.w.tg.remove_bot_from_group(h, by=env.w.member)
    inject(env, env.w.member, {"text": "/chatid", "entities": [_cmd(7)]}, chat=h, keep=False)


def _cmd(length: int) -> JSON:
    return {"type": "bot_command", "offset": 0, "length": length}


@hostile
async def test_unblock_with_a_user_id_beyond_64_bits_is_unknown(env: Env) -> None:
    d = env.w.dispatch
    since = mark(env, d)
    await env.w.dispatcher.send(f"/unblock {HUGE}", chat=d)
    await said(env, d, "tidak dikenal", since)


@hostile
async def test_unblock_by_a_member_or_with_odd_arguments_unblocks_nobody(env: Env) -> None:
    d = env.w.dispatch
    since = mark(env, d)
    await env.w.member.send("/unblock 7001", chat=d)  # not a dispatcher: silence
    await env.w.dispatcher.send("/unblock -", chat=d)
    await said(env, d, "Pelapor - tidak dikenal", since)
    await env.w.dispatcher.send("/unblock @", chat=d)
    await said(env, d, "Pelapor @ tidak dikenal", since)
    assert not [t for t in bot_texts(env, d, since) if "dapat melapor lagi" in t]


@hostile
async def test_a_command_replying_to_a_card_is_not_relayed(env: Env) -> None:
    r, _, card = await filed(env)
    since_r, since = mark(env, r), mark(env, env.w.dispatch)
    await env.w.dispatcher.send("/antrian", chat=env.w.dispatch, reply_to=card)
    await said(env, env.w.dispatch, "Antrian", since)
    await asyncio.sleep(0.2)
    assert bot_texts(env, r, since_r) == []


@hostile
async def test_updates_the_bot_has_no_handler_for_are_ignored(env: Env) -> None:
    world = env.w.tg.world
    u = person(env)
    channel = world.add_group("Kanal Berita", chat_type="channel")
    world.enqueue_update(
        "channel_post",
        {"message_id": 1, "chat": channel.to_json(), "date": world.now(), "text": "/lapor"},
    )
    world.enqueue_update(
        "poll_answer",
        {"poll_id": "p1", "user": u.data, "option_ids": [0], "option_persistent_ids": ["0"]},
    )
    world.enqueue_update(
        "inline_query", {"id": "iq1", "from": u.data, "query": "<b>", "offset": ""}
    )
    world.enqueue_update(
        "message_reaction",
        {
            "chat": world.chats[u.id].to_json(),
            "message_id": 1,
            "user": u.data,
            "date": world.now(),
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "🔥"}],
        },
    )
    await asyncio.sleep(0.2)
