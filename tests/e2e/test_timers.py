"""End to end with a controllable clock: unclaimed reminders and the 10-minute flag,
each fired once, and still right after a restart (timers live in the database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.clock import FakeClock
from bot.runtime.app import BotRuntime
from tests.support.harness import World, file_report, world


def reminders(w: World, ticket: str, needle: str) -> int:
    return sum(needle in m.text and ticket in m.text for m in w.tg.bot_messages(w.dispatch))


async def tick(w: World) -> None:
    assert w.runtime is not None and w.runtime.scheduler is not None
    assert w.runtime.outbox is not None
    await w.runtime.scheduler.tick()
    await w.runtime.outbox.wait_idle()


async def test_reminders_and_the_ten_minute_flag_fire_once_each(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, **backend_settings, clock=clock) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        await tick(w)
        assert reminders(w, ticket, "belum diambil sejak") == 0

        clock.advance(timedelta(minutes=2))
        await tick(w)
        await tick(w)  # a second look at the same moment changes nothing
        first = await w.tg.wait_for(w.dispatch, lambda m: "belum diambil sejak 2 menit" in m.text)
        assert first.reply_to_message_id == card.message_id
        assert reminders(w, ticket, "belum diambil sejak") == 1

        clock.advance(timedelta(minutes=2))
        await tick(w)
        assert reminders(w, ticket, "belum diambil sejak") == 2

        await w.dispatcher.press(card, "Ambil")
        await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        clock.advance(timedelta(minutes=2))
        await tick(w)
        assert reminders(w, ticket, "belum diambil sejak") == 2  # claimed: no more

        clock.advance(timedelta(minutes=4))  # t0 + 10 min, nobody on scene
        await tick(w)
        await tick(w)
        await w.tg.wait_for(w.dispatch, lambda m: "belum ada petugas di lokasi 10 menit" in m.text)
        flagged = await w.tg.wait_for(
            w.dispatch, lambda m: ticket in m.text and "melewati target 10 menit" in m.text
        )
        assert "📌" in flagged.text
        assert reminders(w, ticket, "belum ada petugas di lokasi") == 1


async def test_timers_survive_a_restart(tmp_path: Path, backend_settings: dict[str, Any]) -> None:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    async with world(tmp_path, **backend_settings, clock=clock) as w:
        ticket = await file_report(w)
        await w.card(ticket)
        await tick(w)  # t0 is recorded once the card's delivery is committed
        clock.advance(timedelta(minutes=2))
        await tick(w)
        assert reminders(w, ticket, "belum diambil sejak") == 1
        assert w.runtime is not None
        await w.runtime.__aexit__(None, None, None)  # the bot stops ...

        clock.advance(timedelta(minutes=9))  # ... and is down past the 10-minute mark
        async with BotRuntime(w.settings, clock=clock, poll_timeout=1) as again:
            w.runtime = again
            await tick(w)
            await tick(w)
            assert reminders(w, ticket, "belum ada petugas di lokasi") == 1
            # Missed reminders are not replayed in a burst: only the latest one fires.
            assert reminders(w, ticket, "belum diambil sejak") == 2
        w.runtime = None
