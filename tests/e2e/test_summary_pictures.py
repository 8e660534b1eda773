"""End to end: summaries with pictures. The daily summary is followed by yesterday's map,
the monthly one by the reports per kecamatan and the response-time chart; the pictures
are files the outbox sends, so a restart before they go out sends each exactly once —
and the files are removed once delivered."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.clock import FakeClock
from bot.runtime.app import BotRuntime
from emulator.driver import Message
from tests.support.harness import World, file_report, world

# 30 November 2026, 23:30 WIB: the report is November's (and the 30th's).
EVENING = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
# 1 December 2026, 07:00 WIB: the daily summary of the 30th and November's are due.
MORNING = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def photos(w: World) -> list[Message]:
    return [m for m in w.tg.bot_messages(w.dispatch) if m.photo]


def summaries(w: World) -> list[Message]:
    return [m for m in w.tg.bot_messages(w.dispatch) if "Ringkasan" in m.text]


async def test_summary_pictures_are_sent_once_across_a_restart(tmp_path: Path) -> None:
    clock = FakeClock(EVENING)
    async with world(tmp_path, start_bot=False) as w:
        settings = w.settings.model_copy(update={"summary_pictures": True})
        files = settings.database_path.parent / "files"
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            ticket = await file_report(w)
            await w.card(ticket)
            assert summaries(w) == []  # nothing due at 23:30
            # Telegram refuses everything for the dispatch chat: the summaries wait.
            w.server.add_fault(method=None, chat_id=w.dispatch.id, status=500, count=None)
            clock.advance(MORNING - EVENING)
            assert runtime.summaries is not None
            runtime.summaries.wake()
            assert runtime.db is not None
            for _ in range(300):  # drawn in a worker thread, then queued
                async with runtime.db.read() as tx:
                    rows = await tx.all("SELECT method FROM outbox WHERE role = 'summary'")
                if len(rows) == 5:
                    break
                await asyncio.sleep(0.05)
            assert sorted(r["method"] for r in rows) == ["send_message"] * 2 + ["send_photo"] * 3
            stored = sorted(files.iterdir())
            assert len(stored) == 3 and all(p.suffix == ".png" for p in stored)
        assert summaries(w) == [] and photos(w) == []

        w.server.clear_faults()
        clock.advance(timedelta(minutes=1))  # past the back-off the failures set
        async with BotRuntime(settings, clock=clock, poll_timeout=1) as runtime:
            w.runtime = runtime
            daily_map = await w.tg.wait_for(
                w.dispatch, lambda m: "Peta laporan" in (m.caption or ""), timeout=15
            )
            per_kecamatan = await w.tg.wait_for(
                w.dispatch, lambda m: "per kecamatan" in (m.caption or ""), timeout=15
            )
            response = await w.tg.wait_for(
                w.dispatch, lambda m: "Waktu tanggap" in (m.caption or ""), timeout=15
            )
            assert runtime.outbox is not None
            await runtime.outbox.wait_idle()
            texts = summaries(w)
            assert len(texts) == 2  # the daily and the monthly summary, once each
            daily = next(m for m in texts if "harian" in m.text)
            monthly = next(m for m in texts if "bulanan" in m.text)
            assert daily_map.reply_to_message_id == daily.message_id
            assert per_kecamatan.reply_to_message_id == monthly.message_id
            assert response.reply_to_message_id == monthly.message_id
            assert "1 laporan" in (daily_map.caption or "")
            assert len(photos(w)) == 3  # each picture once
            for message in (daily_map, per_kecamatan, response):
                assert message.photo is not None
                upload = w.tg.world.files[message.photo[-1]["file_id"]].data
                width, height = png_size(upload)
                assert 600 <= width <= 2600 and 400 <= height <= 2600
            # Delivered: the files go.
            assert runtime.sweeper is not None
            await runtime.sweeper.tick()
            assert list(files.iterdir()) == []
        assert len(photos(w)) == 3
