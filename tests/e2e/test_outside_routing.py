"""End to end: with ``[outside_city]`` in the routing file, reports from outside Kota
Semarang get their card in their own chat (or forum topic) — flagged luar kota with the
kabupaten/kota and province — and the dispatchers work them there; the city's reports
stay in the dispatch chat."""

from __future__ import annotations

import itertools
from pathlib import Path

from bot.runtime.app import BotRuntime
from emulator.driver import Group, Message, User
from tests.support import factories as f
from tests.support.harness import World, routing_with_agency_groups, world

_n = itertools.count(1)
KENDAL = (-6.9810, 110.1520)  # Kaliwungu-Weleri road, Kabupaten Kendal (picked on the map)
BOYOLALI = (-7.5200, 110.6000)  # near Boyolali town, on the Semarang–Solo road


def routing_with_outside(tmp_path: Path, section: str) -> Path:
    path = routing_with_agency_groups(tmp_path, {})
    path.write_text(path.read_text("utf-8") + "\n[outside_city]\n" + section, "utf-8")
    return path


async def sos_from(w: World, point: tuple[float, float]) -> User:
    n = next(_n)
    reporter = w.tg.user(f"Pemudik{n}", username=f"mudik_rt_{n}", language_code="id")
    await reporter.send_location(*point)
    await w.tg.wait_for(reporter, lambda m: "Lokasi Anda terkirim" in m.text)
    return reporter


def card_in(w: World, chat: Group, needle: str) -> list[Message]:
    return [m for m in w.tg.bot_messages(chat) if "📌" in m.text and needle in m.text]


async def test_luar_kota_cards_go_to_their_own_chat_and_are_worked_there(tmp_path: Path) -> None:
    async with world(tmp_path, start_bot=False) as w:
        luar = w.tg.group(
            "112 — Luar Kota", members=[w.member], admins=[w.dispatcher, w.dispatcher2]
        )
        routing = routing_with_outside(tmp_path, f"chat_id = {luar.id}\n")
        settings = w.settings.model_copy(update={"routing_path": routing})
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            await sos_from(w, KENDAL)
            card = await w.tg.wait_for(luar, lambda m: "📌" in m.text and "Kendal" in m.text)
            assert "LUAR KOTA — Kabupaten Kendal, Jawa Tengah" in card.text
            ticket = card.text.split("LAPORAN ")[1].split()[0]
            pin = await w.tg.wait_for(luar, lambda m: m.location is not None)
            assert pin.reply_to_message_id == card.message_id

            # The city's report stays in the dispatch chat.
            await sos_from(w, f.SIMPANG_LIMA)
            city = await w.tg.wait_for(w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text)
            assert "LUAR KOTA" not in city.text
            assert not card_in(w, w.dispatch, "Kendal")
            assert not card_in(w, luar, "Semarang Tengah")

            # Dispatchers work the card where it is; a plain member may not.
            refused = await w.member.press(card, "Ambil")
            assert refused.show_alert
            assert (await w.dispatcher.press(card, "Ambil")).text == "✅ Tercatat"
            card = await w.tg.wait_for(
                luar, lambda m: m.message_id == card.message_id and "DIAMBIL — Sari" in m.text
            )
            await w.dispatcher.send("/antrian", chat=luar)
            queue = await w.tg.wait_for(luar, lambda m: "antrian" in m.text.lower())
            assert ticket in queue.text
            # Commands that answer with a file answer in the chat they were asked in.
            await w.dispatcher.send("/peta", chat=luar)
            await w.tg.wait_for(luar, lambda m: bool(m.photo), timeout=15)
            assert not any(m.photo for m in w.tg.bot_messages(w.dispatch))


async def test_luar_kota_cards_can_go_to_a_topic_of_the_dispatch_chat(tmp_path: Path) -> None:
    async with world(tmp_path, start_bot=False) as w:
        w.tg.set_forum(w.dispatch)
        topic = w.tg.create_topic(w.dispatch, "Luar kota", by=w.dispatcher)
        routing = routing_with_outside(tmp_path, f"topic_id = {topic.id}\n")
        settings = w.settings.model_copy(update={"routing_path": routing})
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            await sos_from(w, BOYOLALI)
            card = await w.tg.wait_for(
                w.dispatch, lambda m: "📌" in m.text and "Boyolali" in m.text
            )
            assert card.thread_id == topic.id
            assert "LUAR KOTA — Kabupaten Boyolali, Jawa Tengah" in card.text
            pin = await w.tg.wait_for(w.dispatch, lambda m: m.location is not None)
            assert pin.reply_to_message_id == card.message_id and pin.thread_id == topic.id
            await sos_from(w, f.SIMPANG_LIMA)
            city = await w.tg.wait_for(
                w.dispatch, lambda m: "📌" in m.text and "Semarang Tengah" in m.text
            )
            assert city.thread_id is None
