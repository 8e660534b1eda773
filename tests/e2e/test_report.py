"""End to end: a reporter's private chat to the card in the dispatchers' group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support import factories as f
from tests.support.harness import file_report, world


async def test_start_greets_in_indonesian_with_the_112_line(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        await w.reporter.send("/start")
        hello = await w.next(w.reporter)
        assert "Command Center 112 Kota Semarang" in hello.text
        assert "telepon 112" in hello.text
        sos, *others = [b for row in hello.reply_keyboard for b in row]
        assert sos.text == "🆘 Darurat — kirim lokasi sekarang" and sos.request_location
        assert [b.text for b in others] == ["📝 Buat laporan", "🌐 Bahasa / Language"]


async def test_english_client_is_greeted_in_english(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        tourist = w.tg.user("Tom", language_code="en-GB")
        await tourist.send("/start")
        hello = await w.next(tourist)
        assert "call 112" in hello.text and "Make a report" in hello.text


async def test_a_report_reaches_the_dispatchers_with_everything(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    hostile = '<b>api</b> & "asap" </pre> ' + "😱" * 10
    async with world(tmp_path, **backend_settings) as w:
        ticket = await file_report(w, details=hostile)
        card = await w.card(ticket)
        assert ticket.startswith("SMG-") and len(ticket) == len("SMG-260327-0001")
        assert hostile in card.text  # escaped on the way, intact for the reader
        assert "Kecelakaan" in card.text and "WIB" in card.text
        assert "-6.990460, 110.422850" in card.text and "±35 m" in card.text
        assert "Rina Pemudik" in card.text and "@rina_mudik" in card.text
        assert "tg://user?id=" in card.html
        pin = await w.tg.wait_for(w.dispatch, lambda m: m.location is not None)
        assert pin.reply_to_message_id == card.message_id
        assert abs(pin.location["latitude"] - f.SIMPANG_LIMA[0]) < 1e-6  # type: ignore[index]
        receipt = await w.tg.wait_for(
            w.reporter, lambda m: "diterima" in m.text and ticket in m.text
        )
        assert "112" in receipt.text


async def test_4000_characters_of_details_arrive_intact(tmp_path: Path) -> None:
    details = ("Asap tebal <gudang> & api " * 200)[:4000].strip()  # Telegram trims, too
    async with world(tmp_path) as w:
        ticket = await file_report(w, details=details)
        card = await w.card(ticket)
        parts = [card.text]
        if "bersambung" in card.text:
            more = await w.tg.wait_for(w.dispatch, lambda m: "lanjutan keterangan" in m.text)
            parts.append(more.text)
        first = card.text.split("Keterangan:\n", 1)[1].split("… (bersambung")[0]
        if len(parts) == 1:
            first = first.split("\n\n👤")[0]
        rest = "".join(p.split("\n", 1)[1] for p in parts[1:])
        assert first + rest == details


async def test_offline_demo_prints_both_transcripts() -> None:
    import io

    from bot.runtime.demo import run_demo

    out = io.StringIO()
    assert await run_demo(out) == 0
    text = out.getvalue()
    reporter, group = text.split("Dispatchers' group")
    assert "Rina Pemudik: /start" in reporter and "Laporan terkirim" in reporter
    assert "sedang ditangani" in reporter and "Mohon jangan pindahkan korban" in reporter
    assert "LAPORAN SMG-" in group and "Simpang Lima" in group and "DIKIRIM — Satlantas" in group
