"""End to end: the one-tap SOS path, voice notes, witnesses and anonymity to agencies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.runtime.app import BotRuntime
from bot.services.reports import Intake, submit_report
from storage import reports as store
from tests.support.harness import World, file_report, routing_with_agency_groups, world


def card_of(w: World, needle: str = "SOS") -> list[str]:
    return [m.text for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text and needle in m.text]


async def test_sos_reaches_the_dispatchers_in_two_taps(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        r = w.reporter
        taps = 0
        await r.send("/start")  # tap 1: Telegram's "Start" button
        taps += 1
        await w.tg.wait_for(r, lambda m: "Darurat" in m.text)
        await r.tap("🆘 Darurat — kirim lokasi sekarang", location=(-6.9668, 110.4789))  # tap 2
        taps += 1
        card = await w.tg.wait_for(w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text)
        assert taps == 2
        assert "🆘" in card.text and "Kec. Genuk" in card.text
        assert card.inline_buttons  # dispatchers can act at once
        receipt = await w.tg.wait_for(r, lambda m: "Lokasi Anda terkirim" in m.text)
        assert "Apa yang terjadi" in receipt.text


async def test_sos_questions_update_the_card_one_answer_at_a_time(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        r = w.reporter
        await r.send("/start")
        await w.tg.wait_for(r, lambda m: "Darurat" in m.text)
        await r.tap("🆘 Darurat — kirim lokasi sekarang", location=(-6.99046, 110.42285))
        card = await w.tg.wait_for(w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text)
        ticket = card.text.split("LAPORAN ")[1].split()[0]
        question = await w.tg.wait_for(r, lambda m: "Apa yang terjadi" in m.text)

        await r.press(question, "Ini untuk orang lain")
        await w.tg.wait_for(
            w.dispatch, lambda m: ticket in m.text and "Pelapor adalah saksi" in m.text
        )
        await r.press(question, "Kebakaran")
        fire = await w.tg.wait_for(
            w.dispatch, lambda m: ticket in m.text and "Kebakaran" in m.text and "📌" in m.text
        )
        assert "Saran instansi: Damkar" in fire.text

        await w.tg.wait_for(r, lambda m: "Ceritakan singkat" in m.text)
        await r.send_voice(duration=7)
        voice = await w.tg.wait_for(w.dispatch, lambda m: m.raw.get("voice") is not None)
        assert voice.reply_to_message_id == card.message_id
        await w.tg.wait_for(
            w.dispatch, lambda m: ticket in m.text and "Pesan suara" in m.text and "📌" in m.text
        )
        await r.send("Api dari dapur, dua anak di lantai atas")
        await w.tg.wait_for(
            w.dispatch, lambda m: ticket in m.text and "dua anak di lantai atas" in m.text
        )

        await w.tg.wait_for(r, lambda m: "Ada foto" in m.text)
        await r.tap("⏭ Lewati")
        await w.tg.wait_for(r, lambda m: "Nomor untuk dihubungi" in m.text)
        await r.tap("📞 Bagikan nomor saya")
        await w.tg.wait_for(r, lambda m: "Terima kasih" in m.text and ticket in m.text)
        final = await w.tg.wait_for(
            w.dispatch, lambda m: ticket in m.text and "+628123456789" in m.text
        )
        assert "Kebakaran" in final.text and "1× Pesan suara" in final.text

        assert w.runtime is not None and w.runtime.db is not None
        report = await store.get_report_by_ticket(w.runtime.db, ticket)
        assert report is not None and report.sos and report.for_someone_else
        assert report.followup_step is None and report.category == "fire"
        assert [a.kind for a in report.attachments] == ["voice"]


async def test_sos_cards_are_delivered_before_other_cards(tmp_path: Path) -> None:
    # SQLite only: on PostgreSQL the outbox reads beside the test's writes and may take the
    # first card into flight before the SOS is queued (then it rightly goes first).
    async with world(tmp_path) as w:
        await file_report(w)  # warm up: the first card goes out normally
        await w.card()
        w.server.outage_until_cleared()  # Telegram unreachable: cards queue up
        assert w.runtime is not None and w.runtime.db is not None
        from bot.domain.categories import Category
        from bot.domain.models import Draft, LocationSource, ReportLocation, Step
        from tests.support import factories as f

        runtime = w.runtime
        cards = runtime.app.bot_data.services.cards  # type: ignore[union-attr]
        clock = runtime.clock
        for sos in (False, True):
            draft = Draft(
                chat_id=w.reporter.id,
                user_id=w.reporter.id,
                step=Step.CONFIRM,
                category=Category.FALLEN_TREE if not sos else Category.UNKNOWN,
                location=ReportLocation(source=LocationSource.GPS, lat=-6.99, lon=110.42),
                sos=sos,
            )
            await submit_report(
                runtime.db,
                draft,
                f.reporter(w.reporter.id),
                Intake.from_settings(w.settings),
                clock.now(),
                lambda st: cards.on_submit(st, clock.now()),
            )
        w.server.clear_faults()
        runtime.outbox.wake()  # type: ignore[union-attr]
        after = await w.tg.wait_for(w.dispatch, lambda m: "Pohon tumbang" in m.text, timeout=15)
        if "laporan baru" in after.text:  # both waited: one digest, the SOS listed first
            lines = after.text.splitlines()
            sos_line = next(i for i, line in enumerate(lines) if "🆘" in line)
            tree_line = next(i for i, line in enumerate(lines) if "Pohon tumbang" in line)
            assert sos_line < tree_line
        else:
            seen = [m for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text]
            assert "SOS" in seen[1].text and "Pohon tumbang" in seen[2].text


async def test_anonymous_reporters_stay_anonymous_to_agencies(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings, start_bot=False) as w:
        officer = w.tg.user("Bambang", language_code="id")
        damkar = w.tg.group("Damkar — Piket", members=[officer])
        settings = w.settings.model_copy(
            update={"routing_path": routing_with_agency_groups(tmp_path, {"damkar": damkar.id})}
        )
        async with BotRuntime(settings, poll_timeout=1) as runtime:
            w.runtime = runtime
            r = w.reporter
            await r.send("/lapor")
            await r.press(await w.tg.wait_for(r, lambda m: "Langkah 1" in m.text), "Kebakaran")
            await w.tg.wait_for(r, lambda m: "Langkah 2" in m.text)
            await r.send_location(-6.9668, 110.4789)
            await w.tg.wait_for(r, lambda m: "Langkah 3" in m.text)
            await r.send("Rumah tetangga terbakar")
            await w.tg.wait_for(r, lambda m: "Langkah 4" in m.text)
            await r.send("0812 9999 8888")
            summary = await w.tg.wait_for(r, lambda m: "Periksa laporan" in m.text)
            await r.press(summary, "Rahasiakan identitas")
            summary = await w.tg.wait_for(
                r, lambda m: "dirahasiakan (hanya Command Center)" in m.text
            )
            await r.press(summary, "Untuk orang lain")
            summary = await w.tg.wait_for(
                r,
                lambda m: "Untuk orang lain:</b> Ya" in m.html or "Untuk orang lain: Ya" in m.text,
            )
            await r.press(summary, "Kirim")
            sent = await w.tg.wait_for(r, lambda m: "Laporan terkirim" in m.text)
            ticket = sent.text.split("Nomor tiket: ")[1].split()[0]

            card = await w.card(ticket)
            assert "Rina Pemudik" in card.text and "+6281299998888" in card.text
            assert "hanya untuk Command Center" in card.text and "Pelapor adalah saksi" in card.text
            await w.dispatcher.press(card, "Ambil")
            card = await w.tg.wait_for(
                w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text
            )
            await w.dispatcher.press(card, "Kirim instansi")
            await w.dispatcher.press(await w.tg.wait_for_edit(card), "Damkar")

            copy = await w.tg.wait_for(
                damkar, lambda m: ticket in m.text and "Tugas untuk Damkar" in m.text
            )
            for secret in ("Rina", "Pemudik", "rina_mudik", "+6281299998888", "tg://user"):
                assert secret not in copy.text and secret not in copy.html
            assert "dirahasiakan atas permintaan pelapor" in copy.text
            assert "Pelapor adalah saksi" in copy.text
            await officer.press(copy, "Berangkat")
            later = await w.tg.wait_for(
                damkar, lambda m: ticket in m.text and "MENUJU LOKASI" in m.text
            )
            assert "Rina" not in later.text and "+6281299998888" not in later.text
        w.runtime = None
