"""End to end: the link to the dispatchers survives Telegram moving their group.

A group upgraded to a supergroup gets a new id; the old id answers every request with
``migrate_to_chat_id``. Cards, claims, relays and commands must follow at once — without
a restart and after one.
"""

from __future__ import annotations

from pathlib import Path

from bot.runtime.app import BotRuntime
from tests.support.harness import World, file_report, world


async def work_a_report_in(w: World, ticket: str) -> None:
    """Claim from the card, reply to the reporter, ask for the queue — in the new chat."""
    card = await w.card(ticket, timeout=10)
    assert card.chat_id == w.dispatch.id
    assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"
    await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
    await w.dispatcher.send(f"Tim segera datang ({ticket})", chat=w.dispatch, reply_to=card)
    await w.tg.wait_for(w.reporter, lambda m: f"Tim segera datang ({ticket})" in m.text)
    await w.dispatcher.send("/antrian", chat=w.dispatch)
    await w.tg.wait_for(w.dispatch, lambda m: "Antrian" in m.text and ticket in m.text)


async def test_the_dispatch_group_becomes_a_supergroup_mid_shift(tmp_path: Path) -> None:
    async with world(tmp_path, basic_group=True) as w:
        first = await file_report(w)
        await w.card(first)
        old = w.dispatch
        w.dispatch = w.tg.migrate_to_supergroup(old, by=w.dispatcher)
        assert w.dispatch.id != old.id
        await w.tg.wait_for(w.dispatch, lambda m: "menjadi supergrup" in m.text)

        second = await file_report(w, details="Pohon tumbang menutup jalan")
        await work_a_report_in(w, second)

        assert w.runtime is not None
        await w.runtime.__aexit__(None, None, None)  # a restart: the move is remembered
        async with BotRuntime(w.settings, poll_timeout=1) as again:
            w.runtime = again
            third = await file_report(w, details="Banjir setinggi lutut")
            await work_a_report_in(w, third)


async def test_a_group_upgraded_while_the_bot_was_down_is_found_by_its_answers(
    tmp_path: Path,
) -> None:
    """The bot learns of the move from Telegram's answer (``ChatMigrated``), not from a
    service message it never saw: the card goes to the supergroup, and the rest follows."""
    async with world(tmp_path, basic_group=True, start_bot=False) as w:
        old = w.dispatch
        w.dispatch = w.tg.migrate_to_supergroup(old, by=w.dispatcher)
        w.tg.world.updates.clear()  # the bot was down: it never sees the service messages
        async with BotRuntime(w.settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            await work_a_report_in(w, ticket)
            alert = await w.tg.wait_for(w.dispatch, lambda m: "menjadi supergrup" in m.text)
            assert str(w.dispatch.id) in alert.text


async def test_commands_typed_in_a_forum_topic_are_answered_in_that_topic(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        w.tg.set_forum(w.dispatch)
        topic = w.tg.create_topic(w.dispatch, "Shift malam", by=w.dispatcher)
        ticket = await file_report(w)
        await w.card(ticket)
        await w.dispatcher.send("/antrian", chat=w.dispatch, thread_id=topic)
        queue = await w.tg.wait_for(w.dispatch, lambda m: "Antrian" in m.text)
        assert queue.topic_id == topic.id
        await w.dispatcher.send("/statistik", chat=w.dispatch, thread_id=topic)
        chart = await w.tg.wait_for(w.dispatch, lambda m: "photo" in m.raw, timeout=15)
        assert chart.topic_id == topic.id
        await w.dispatcher.send("/antrian", chat=w.dispatch)  # General stays General
        await w.tg.wait_for(
            w.dispatch, lambda m: "Antrian" in m.text and m.topic_id is None, timeout=5
        )


async def test_the_bot_kicked_from_the_dispatch_group_holds_the_card_and_says_so(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, start_bot=False) as w:
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        settings = w.settings.model_copy(update={"ops_chat_id": ops.id})
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.tg.remove_bot_from_group(w.dispatch, by=w.dispatcher, status="kicked")
            ticket = await file_report(w)
            warned = await w.tg.wait_for(w.reporter, lambda m: "Telepon 112 sekarang" in m.text)
            assert ticket in warned.text
            alert = await w.tg.wait_for(
                ops, lambda m: "tidak bisa menulis di grup dispatch" in m.text
            )
            assert str(w.dispatch.id) in alert.text
            # Not "received" while the dispatchers cannot see it.
            assert not any(
                "diterima Command Center" in m.text for m in w.tg.bot_messages(w.reporter)
            )

            w.tg.add_bot_to_group(w.dispatch, by=w.dispatcher)
            card = await w.card(ticket, timeout=10)
            await w.tg.wait_for(w.reporter, lambda m: "diterima Command Center" in m.text)
            assert runtime.outbox is not None
            await runtime.outbox.wait_idle()
            cards = [
                m for m in w.tg.bot_messages(w.dispatch) if ticket in m.text and "📌" in m.text
            ]
            assert [c.message_id for c in cards] == [card.message_id]  # exactly once
            assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"
