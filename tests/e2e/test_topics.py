"""End to end: a forum (topics) dispatch group. Cards go to ``DISPATCH_TOPIC_ID`` with
everything that hangs on them; an agency with only a ``topic_id`` in the routing file gets
its copy in that topic of the dispatch group; a deleted or closed topic sends the card to
General with an alert — never a lost card."""

from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path

from bot.runtime.app import BotRuntime
from emulator.driver import Topic
from tests.support.harness import World, file_report, world


def forum(w: World, name: str = "Laporan masuk") -> Topic:
    w.tg.set_forum(w.dispatch)
    return w.tg.create_topic(w.dispatch, name, by=w.dispatcher)


def in_topic(w: World, topic: Topic | None, needle: str) -> int:
    return sum(needle in m.text for m in w.tg.bot_topic_messages(w.dispatch, topic and topic.id))


async def test_cards_and_what_hangs_on_them_go_to_the_dispatch_topic(tmp_path: Path) -> None:
    async with world(tmp_path, start_bot=False) as w:
        topic = forum(w)
        settings = w.settings.model_copy(update={"dispatch_topic_id": topic.id})
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            assert card.topic_id == topic.id
            pin = await w.tg.wait_for(w.dispatch, lambda m: m.location is not None)
            assert pin.topic_id == topic.id and pin.reply_to_message_id == card.message_id
            await w.tg.wait_for(w.reporter, lambda m: "diterima Command Center" in m.text)

            assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"
            await w.dispatcher.send("Tim meluncur", chat=w.dispatch, reply_to=card)
            await w.tg.wait_for(w.reporter, lambda m: "Tim meluncur" in m.text)
            await w.reporter.send("Korban sadar")  # the reporter's follow-up, under the card
            follow = await w.tg.wait_for(w.dispatch, lambda m: "Korban sadar" in m.text)
            assert follow.topic_id == topic.id
            assert in_topic(w, None, ticket) == 0  # nothing of it in General


async def test_a_deleted_topic_sends_the_card_to_general_with_an_alert_once(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, start_bot=False) as w:
        topic = forum(w)
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        settings = w.settings.model_copy(
            update={"dispatch_topic_id": topic.id, "ops_chat_id": ops.id}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.tg.delete_topic(topic)
            first = await file_report(w)
            card = await w.card(first, timeout=10)
            assert card.topic_id is None  # General
            alert = await w.tg.wait_for(ops, lambda m: "menolak pesan bot" in m.text)
            assert str(topic.id) in alert.text and "thread not found" in alert.text
            pin = await w.tg.wait_for(w.dispatch, lambda m: m.location is not None)
            assert pin.reply_to_message_id == card.message_id
            await w.tg.wait_for(w.reporter, lambda m: "diterima Command Center" in m.text)
            assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"

            second = await file_report(w, details="Pohon tumbang")
            assert (await w.card(second, timeout=10)).topic_id is None
            assert runtime.outbox is not None
            await runtime.outbox.wait_idle()
            assert sum("menolak pesan bot" in m.text for m in w.tg.bot_messages(ops)) == 1

        # After a restart the topic is still known to be gone: straight to General.
        async with BotRuntime(settings, poll_timeout=1) as again:
            w.runtime = again
            third = await file_report(w, details="Banjir")
            assert (await w.card(third, timeout=10)).topic_id is None
            assert again.outbox is not None
            await again.outbox.wait_idle()
            assert sum("menolak pesan bot" in m.text for m in w.tg.bot_messages(ops)) == 1


async def test_a_topic_deleted_under_an_open_card_gets_the_card_posted_again_in_general(
    tmp_path: Path,
) -> None:
    """The topic goes with the cards in it; Telegram tells the bot nothing. The next message
    under an open report's card (a relay, a reminder) goes out alone, or its next redraw is
    refused: the card comes again (in General, since its topic is gone too) and the
    operators are told."""
    async with world(tmp_path, start_bot=False) as w:
        topic = forum(w)
        ops = w.tg.group("112 Ops", members=[w.dispatcher])
        settings = w.settings.model_copy(
            update={"dispatch_topic_id": topic.id, "ops_chat_id": ops.id}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            assert card.topic_id == topic.id
            w.tg.delete_topic(topic)
            await w.reporter.send("Korban dua orang, tolong cepat")  # relayed under the card
            again = await w.tg.wait_for(
                w.dispatch,
                lambda m: "📌" in m.text and ticket in m.text and m.message_id > card.message_id,
                timeout=10,
            )
            assert again.topic_id is None  # its topic is gone too: General
            alert = await w.tg.wait_for(ops, lambda m: "tidak ada lagi di grup" in m.text)
            assert ticket in alert.text
            assert (await w.dispatcher.press(again, "Ambil")).text == "✅ Tercatat"


async def test_a_closed_topic_falls_back_to_general_until_it_is_reopened(tmp_path: Path) -> None:
    async with world(tmp_path, start_bot=False) as w:
        topic = forum(w)
        settings = w.settings.model_copy(update={"dispatch_topic_id": topic.id})
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            w.tg.close_topic(topic, by=w.dispatcher)
            first = await file_report(w)
            card = await w.card(first, timeout=10)
            assert card.topic_id is None
            # No OPS_CHAT_ID: the dispatchers are told in General.
            alert = await w.tg.wait_for(w.dispatch, lambda m: "menolak pesan bot" in m.text)
            assert "topic_closed" in alert.text.lower() and alert.topic_id is None

            w.tg.reopen_topic(topic, by=w.dispatcher)
            topics = runtime.app.bot_data.services.topics if runtime.app else None
            assert topics is not None and not topics.usable(w.dispatch.id, topic.id)
            async with asyncio.timeout(5):  # the bot reads the "topic reopened" message
                while not topics.usable(w.dispatch.id, topic.id):
                    await asyncio.sleep(0.05)
            assert runtime.outbox is not None
            await runtime.outbox.wait_idle()
            second = await file_report(w, details="Pohon tumbang")
            assert (await w.card(second, timeout=10)).topic_id == topic.id


def routing_with_topic(path: Path, agency: str, topic: int) -> Path:
    raw = resources.files("bot").joinpath("data/routing.toml").read_text("utf-8")
    raw = raw.replace(f"[agencies.{agency}]\n", f"[agencies.{agency}]\ntopic_id = {topic}\n", 1)
    target = path / "routing.toml"
    target.write_text(raw, "utf-8")
    return target


async def test_an_agency_topic_of_the_dispatch_group_gets_the_copy_and_its_buttons_work(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, start_bot=False) as w:
        damkar_topic = forum(w, "Damkar")
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        w.dispatch.add_member(officer)
        settings = w.settings.model_copy(
            update={"routing_path": routing_with_topic(tmp_path, "damkar", damkar_topic.id)}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            await w.dispatcher.press(card, "Kirim instansi")
            menu = await w.tg.wait_for_edit(card)
            await w.dispatcher.press(menu, "Damkar")
            copy = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "Tugas untuk Damkar" in m.text
            )
            assert copy.topic_id == damkar_topic.id
            await officer.press(copy, "Berangkat")
            await w.tg.wait_for(
                w.dispatch,
                lambda m: ticket in m.text and "MENUJU LOKASI" in m.text and "📌" in m.text,
            )
            await w.tg.wait_for(w.reporter, lambda m: "sedang menuju lokasi" in m.text)
            # The copy is redrawn in its topic too.
            await w.tg.wait_for(
                w.dispatch,
                lambda m: m.message_id == copy.message_id and "MENUJU LOKASI" in m.text,
            )


async def test_an_agency_topic_deleted_sends_its_copy_to_general_where_its_buttons_still_work(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, start_bot=False) as w:
        damkar_topic = forum(w, "Damkar")
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        w.dispatch.add_member(officer)
        settings = w.settings.model_copy(
            update={"routing_path": routing_with_topic(tmp_path, "damkar", damkar_topic.id)}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            card = await w.card(ticket)
            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            w.tg.delete_topic(damkar_topic)
            await w.dispatcher.press(card, "Kirim instansi")
            await w.dispatcher.press(await w.tg.wait_for_edit(card), "Damkar")
            copy = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "Tugas untuk Damkar" in m.text
            )
            assert copy.topic_id is None  # General
            await w.tg.wait_for(w.dispatch, lambda m: "menolak pesan bot" in m.text)
            assert (await officer.press(copy, "Berangkat")).text == "✅ Tercatat"
            await w.tg.wait_for(
                w.dispatch,
                lambda m: m.message_id == copy.message_id and "MENUJU LOKASI" in m.text,
            )
