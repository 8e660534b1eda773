"""End to end: an agency with its own group gets a copy of the card; its officers' buttons
move the central card, the timeline and the reporter's status like the dispatchers' do."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.runtime.app import BotRuntime
from tests.support.harness import press_forged, routing_with_agency_groups, world


async def test_an_agency_officer_moves_the_report_to_on_scene(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings, start_bot=False) as w:
        officer = w.tg.user("Bambang", username="damkar_bambang", language_code="id")
        damkar = w.tg.group("Damkar Kota Semarang — Piket", members=[officer])
        settings = w.settings.model_copy(
            update={"routing_path": routing_with_agency_groups(tmp_path, {"damkar": damkar.id})}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            r = w.reporter
            await r.send("/lapor")
            ask = await w.tg.wait_for(r, lambda m: "Langkah 1" in m.text)
            await r.press(ask, "Kebakaran")
            await w.tg.wait_for(r, lambda m: "Langkah 2" in m.text)
            await r.send_location(-6.9668, 110.4789)  # Genuk
            await w.tg.wait_for(r, lambda m: "Langkah 3" in m.text)
            await r.send("Gudang plastik terbakar, asap hitam")
            await w.tg.wait_for(r, lambda m: "Langkah 4" in m.text)
            await r.tap("⏭ Lewati")
            await r.press(await w.tg.wait_for(r, lambda m: "Periksa laporan" in m.text), "Kirim")
            sent = await w.tg.wait_for(r, lambda m: "Laporan terkirim" in m.text)
            ticket = sent.text.split("Nomor tiket: ")[1].split()[0]
            card = await w.card(ticket)
            assert "Saran instansi: Damkar" in card.text and "Kec. Genuk" in card.text

            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            await w.dispatcher.press(card, "Kirim instansi")
            menu = await w.tg.wait_for_edit(card)
            await w.dispatcher.press(menu, "Damkar")

            copy = await w.tg.wait_for(
                damkar, lambda m: ticket in m.text and "Tugas untuk Damkar" in m.text
            )
            pin = await w.tg.wait_for(damkar, lambda m: m.location is not None)
            assert pin.reply_to_message_id == copy.message_id
            assert "Gudang plastik terbakar" in copy.text

            # Someone outside the agency's group cannot press its buttons.
            data = copy.inline_buttons[0][0].callback_data
            assert data is not None
            refused = await press_forged(w, w.member, card, data)
            assert refused is not None and "petugas instansi" in refused

            await officer.press(copy, "Berangkat")
            await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "MENUJU LOKASI" in m.text
            )
            await w.tg.wait_for(r, lambda m: "sedang menuju lokasi" in m.text)
            copy = await w.tg.wait_for(
                damkar, lambda m: ticket in m.text and "MENUJU LOKASI" in m.text
            )

            await officer.press(copy, "Minta bantuan")
            await w.tg.wait_for(
                w.dispatch, lambda m: "meminta bantuan tambahan" in m.text and ticket in m.text
            )
            # Pressed again and again (40 times): one alert in the group, not forty.
            for _ in range(40):
                again = await officer.press(copy, "Minta bantuan")
            assert "sudah dikirim" in (again.text or "")
            await asyncio.sleep(0.5)
            assert runtime.outbox is not None
            await runtime.outbox.wait_idle()
            alerts = [
                m
                for m in w.tg.bot_messages(w.dispatch)
                if "meminta bantuan tambahan" in m.text and ticket in m.text
            ]
            assert len(alerts) == 1

            await officer.press(copy, "Tiba")
            central = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DI LOKASI" in m.text
            )
            await w.tg.wait_for(r, lambda m: "sudah tiba di lokasi" in m.text)
            assert (
                "tiba di lokasi" in central.text
                and "Bambang" not in central.text.split("Riwayat")[0]
            )
            copy = await w.tg.wait_for(damkar, lambda m: ticket in m.text and "DI LOKASI" in m.text)

            await officer.press(copy, "Selesai")
            await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DITUTUP — Selesai" in m.text
            )
            await w.tg.wait_for(r, lambda m: "ditutup" in m.text and "sudah ditangani" in m.text)
            done = await w.tg.wait_for(damkar, lambda m: ticket in m.text and "DITUTUP" in m.text)
            assert done.inline_buttons == []
        w.runtime = None
