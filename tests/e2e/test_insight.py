"""End to end: a resolved report is rated by its reporter; /statistik and /ekspor in the
dispatch chat show it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.harness import file_report, world


async def test_rating_statistics_and_export_through_the_emulator(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        d = w.dispatcher
        await d.press(card, "Ambil")
        card = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        await d.press(card, "Kirim instansi")
        await d.press(await w.tg.wait_for_edit(card), "Satlantas")
        card = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIKIRIM" in m.text)
        await d.press(card, "Tiba di lokasi")
        card = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DI LOKASI" in m.text)
        await d.press(card, "Selesai")

        ask = await w.tg.wait_for(
            w.reporter, lambda m: any("5" in b.text for row in m.inline_buttons for b in row)
        )
        assert ticket in ask.text
        star = next(b.text for row in ask.inline_buttons for b in row if "5" in b.text)
        await w.reporter.press(ask, star)
        await w.reporter.send("Petugas cepat sekali, terima kasih")
        await w.tg.wait_for(
            w.reporter, lambda m: "terima kasih" in m.text.lower() and m.message_id > ask.message_id
        )

        await d.send("/statistik", chat=w.dispatch)
        stats = await w.tg.wait_for(
            w.dispatch,
            lambda m: "Kecelakaan" in m.text and "laporan" in m.text.lower() and "📌" not in m.text,
        )
        assert "Penilaian pelapor: 5" in stats.text and "(1 penilaian)" in stats.text
        chart = await w.tg.wait_for(
            w.dispatch, lambda m: m.photo is not None and m.reply_to_message_id is None
        )
        assert chart.photo

        await d.send("/ekspor csv hari", chat=w.dispatch)
        doc = await w.tg.wait_for(w.dispatch, lambda m: m.raw.get("document") is not None)
        assert doc.raw["document"]["file_name"].endswith(".csv")
