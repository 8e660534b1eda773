"""End to end: never lose a report — restarts, kills, duplicate deliveries, limits,
expiring drafts, and the emulator's fault storms."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.clock import FakeClock
from bot.domain.messages import OutboundMessage
from bot.services.reports import submit_report
from storage import outbox
from storage.db import Database
from storage.drafts import load_draft
from tests.support import factories as f
from tests.support.harness import World, bot_process, file_report, world


def redeliver(w: World, raw: dict[str, object]) -> None:
    """The same message delivered again (as after a crash before the offset was confirmed)."""
    w.tg.world.enqueue_update("message", dict(raw))


async def test_an_update_delivered_twice_counts_once(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        r = w.reporter
        await r.send("/lapor")
        await r.press(await w.tg.wait_for(r, lambda m: "Langkah 1" in m.text), "Kebakaran")
        await w.tg.wait_for(r, lambda m: "Langkah 2" in m.text)
        await r.send_location(*f.SIMPANG_LIMA)
        await w.tg.wait_for(r, lambda m: "Langkah 3" in m.text)
        words = await r.send("Asap dari gudang")
        await w.tg.wait_for(r, lambda m: "Langkah 4" in m.text)
        redeliver(w, words.raw)
        await w.tg.assert_no_bot_message(r, within=0.5)
        assert w.runtime is not None and w.runtime.db is not None
        stored = await load_draft(w.runtime.db, r.id)
        assert stored is not None and stored.draft.details == "Asap dari gudang"
        assert stored.draft.step.value == "phone"  # not pushed on by the repeat

        ticket_sos = None
        await r.send("/batal")
        await w.tg.wait_for(r, lambda m: "dibatalkan" in m.text)
        pin = await r.send_location(-6.98, 110.41)  # an SOS
        await w.tg.wait_for(w.dispatch, lambda m: "SOS" in m.text and "📌" in m.text)
        redeliver(w, pin.raw)
        await asyncio.sleep(0.5)
        sos_cards = [m for m in w.tg.bot_messages(w.dispatch) if "SOS" in m.text and "📌" in m.text]
        assert len(sos_cards) == 1, ticket_sos

        hello = await r.send("Saya di depan pagar")  # an SOS answer, relayed once
        await w.tg.wait_for(w.dispatch, lambda m: "Saya di depan pagar" in m.text)
        redeliver(w, hello.raw)
        await asyncio.sleep(0.5)
        relayed = [m for m in w.tg.bot_messages(w.dispatch) if "Saya di depan pagar" in m.text]
        assert len(relayed) == 1


async def test_too_many_reports_in_a_short_time_get_a_clear_answer(tmp_path: Path) -> None:
    async with world(tmp_path, report_limit_count=2, report_limit_minutes=10) as w:
        await file_report(w)
        await file_report(w)
        await w.reporter.send("/lapor")
        refusal = await w.tg.wait_for(w.reporter, lambda m: "2 laporan dalam 10 menit" in m.text)
        assert "112" in refusal.text
        assert w.runtime is not None and w.runtime.db is not None
        assert await load_draft(w.runtime.db, w.reporter.id) is None


async def test_an_idle_draft_expires_with_a_notice(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, **backend_settings, clock=clock, draft_ttl_minutes=30) as w:
        r = w.reporter
        await r.send("/lapor")
        await w.tg.wait_for(r, lambda m: "Langkah 1" in m.text)
        assert w.runtime is not None and w.runtime.scheduler is not None
        clock.advance(timedelta(minutes=29))
        await w.runtime.scheduler.tick()
        await w.tg.assert_no_bot_message(r, within=0.3)
        clock.advance(timedelta(minutes=2))
        await w.runtime.scheduler.tick()
        notice = await w.tg.wait_for(r, lambda m: "kedaluwarsa" in m.text)
        assert "30 menit" in notice.text and notice.reply_keyboard[0][0].request_location
        assert w.runtime.db is not None
        assert await load_draft(w.runtime.db, r.id) is None


async def test_a_killed_bot_continues_the_report_at_the_same_step(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    log = tmp_path / "bot.log"
    async with world(tmp_path, **backend_settings, start_bot=False) as w:
        r = w.reporter
        async with bot_process(w, log) as proc:
            await r.send("/lapor")
            ask = await w.tg.wait_for(r, lambda m: "Langkah 1" in m.text, timeout=20)
            await r.press(ask, "Kecelakaan")
            await w.tg.wait_for(r, lambda m: "Langkah 2" in m.text)
            await r.send_location(*f.SIMPANG_LIMA, horizontal_accuracy=20)
            await w.tg.wait_for(r, lambda m: "Langkah 3" in m.text)
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        await r.send("Dua motor bertabrakan")  # sent while the bot is down
        async with bot_process(w, log):
            ask = await w.tg.wait_for(r, lambda m: "Langkah 4" in m.text, timeout=20)
            assert "Keterangan disimpan" in ask.text
            await r.tap("⏭ Lewati")
            summary = await w.tg.wait_for(r, lambda m: "Periksa laporan" in m.text)
            assert "Kecelakaan" in summary.text and "±20 m" in summary.text
            assert "Dua motor bertabrakan" in summary.text
            await r.press(summary, "Kirim")
            await w.tg.wait_for(w.dispatch, lambda m: "📌" in m.text and "Dua motor" in m.text)


async def test_a_bot_killed_mid_delivery_sends_the_card_again_marked(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    log = tmp_path / "bot.log"
    async with world(tmp_path, **backend_settings, start_bot=False) as w:
        async with bot_process(w, log, TELEGRAM_TIMEOUT_SECONDS="30") as proc:
            ticket = await file_report(
                w,
                before_send=lambda: w.server.add_timeout_after_delivery(
                    method="sendMessage", delay=60, count=1, chat_id=w.dispatch.id
                ),
            )
            await w.card(ticket, timeout=10)  # stored by Telegram; the bot still waits
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        w.server.clear_faults()
        async with bot_process(w, log):
            async with asyncio.timeout(20):
                while (
                    len(
                        copies := [
                            m
                            for m in w.tg.bot_messages(w.dispatch)
                            if ticket in m.text and "📌" in m.text
                        ]
                    )
                    < 2
                ):
                    await asyncio.sleep(0.1)
            assert "dikirim ulang" not in copies[0].text and "dikirim ulang" in copies[1].text
            await w.dispatcher.press(copies[1], "Ambil")
            await w.tg.wait_for(w.reporter, lambda m: "sedang ditangani" in m.text)
        assert len(copies) == 2


async def test_storms_outages_and_errors_lose_nothing_and_duplicate_nothing(tmp_path: Path) -> None:
    async with world(tmp_path, report_limit_count=50) as w:
        chat = w.dispatch.id
        # 10 % of the dispatch group's sends fail with 5xx; 429 storms come and go.
        w.server.add_fault(
            method="sendMessage",
            status=502,
            description="Bad Gateway",
            count=None,
            probability=0.1,
            seed=7,
            chat_id=chat,
        )
        w.server.add_fault(
            method="sendLocation", status=500, count=None, probability=0.1, seed=8, chat_id=chat
        )
        w.server.add_fault(
            method="sendMessage",
            status=429,
            description="Too Many Requests: retry after 1",
            parameters={"retry_after": 1},
            count=4,
            chat_id=chat,
        )
        tickets = [await file_report(w, details=f"laporan {n}") for n in range(4)]
        w.server.outage(30)  # Telegram unreachable for 30 seconds
        await asyncio.sleep(1)
        # Cards that waited out the outage together go as one digest (a button opens each).
        async with asyncio.timeout(90):
            for ticket in tickets:
                await w.tg.wait_for(w.dispatch, lambda m, t=ticket: t in m.text, timeout=90)
        w.server.clear_faults()
        assert w.runtime is not None and w.runtime.outbox is not None
        async with asyncio.timeout(30):
            await w.runtime.outbox.wait_idle()
        messages = w.tg.bot_messages(w.dispatch)
        for ticket in tickets:
            cards = [m for m in messages if f"LAPORAN {ticket}" in m.text]
            digests = [m for m in messages if ticket in m.text and "laporan baru" in m.text]
            assert len(cards) + len(digests) == 1, ticket  # shown once, never twice
            if cards:
                pins = [
                    m
                    for m in messages
                    if m.location is not None and m.reply_to_message_id == cards[0].message_id
                ]
                assert len(pins) == 1, ticket
        assert w.runtime.db is not None
        counts = await outbox.counts(w.runtime.db)
        assert counts.get("failed", 0) == 0 and counts.get("pending", 0) == 0


async def test_the_database_survives_a_restart_with_its_queue(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    target = backend_settings.get("database_url") or tmp_path / "q.sqlite3"
    db = await Database.open(target)
    await submit_report(
        db,
        f.draft(),
        f.reporter(),
        f.intake(),
        f.at(),
        lambda st: [OutboundMessage(-100, "send_message", {"text": "x"}, "card", 1, st.report.id)],
    )
    await db.close()
    again = await Database.open(target)
    assert (await outbox.counts(again)) == {"pending": 1}
    await again.close()
