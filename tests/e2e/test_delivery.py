"""End to end: the outbox delivers through flood limits, server errors, time-outs and
blocked reporters — nothing lost, nothing silently duplicated."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from storage import outbox
from tests.support.harness import World, file_report, world


def cards(w: World, ticket: str) -> list[str]:
    return [m.text for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text and ticket in m.text]


async def test_flood_wait_is_honoured_and_the_card_arrives_once(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        w.server.add_fault(
            method="sendMessage",
            status=429,
            description="Too Many Requests: retry after 1",
            parameters={"retry_after": 1},
            count=1,
        )
        ticket = await file_report(w)
        await w.card(ticket, timeout=10)
        assert len(cards(w, ticket)) == 1


async def test_server_errors_are_retried_with_backoff(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        w.server.add_fault(method="sendMessage", status=502, description="Bad Gateway", count=2)
        ticket = await file_report(w)
        card = await w.card(ticket, timeout=15)
        assert len(cards(w, ticket)) == 1
        assert "dikirim ulang" not in card.text  # a refused request cannot have arrived


async def test_a_timed_out_card_is_resent_marked_as_a_possible_repeat(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings, telegram_timeout_seconds=0.5) as w:
        # The card's request is carried out, but answered too late: its fate is unknown.
        ticket = await file_report(
            w,
            before_send=lambda: w.server.add_timeout_after_delivery(
                method="sendMessage", delay=1.5, count=1
            ),
        )
        copies = await wait_cards(w, ticket, 2)
        assert "dikirim ulang" not in copies[0] and "dikirim ulang" in copies[1]
        card = await w.card(ticket)
        await w.dispatcher.press(copies_message(w, ticket)[-1], "Ambil")  # the copy is live
        await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        assert len(cards(w, ticket)) == 2 and card


def copies_message(w: World, ticket: str) -> list:  # type: ignore[type-arg]
    return [m for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text and ticket in m.text]


async def wait_cards(w: World, ticket: str, n: int) -> list[str]:
    async with asyncio.timeout(15):
        while len(found := cards(w, ticket)) < n:
            await asyncio.sleep(0.05)
    return found


async def test_a_reporter_who_blocked_the_bot_breaks_nothing(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        await w.tg.wait_for(w.reporter, lambda m: "diterima" in m.text)
        w.reporter.block_bot()
        await w.dispatcher.press(card, "Ambil")
        edited = await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        assert "Sari" in edited.text
        assert w.runtime is not None and w.runtime.db is not None and w.runtime.outbox
        async with asyncio.timeout(5):
            while (await outbox.counts(w.runtime.db)).get("failed", 0) < 1:
                await asyncio.sleep(0.05)
        await w.dispatcher.press(edited, "Kirim instansi")
        menu = await w.tg.wait_for_edit(edited)
        answer = await w.dispatcher.press(menu, "Satlantas")
        assert answer.text == "✅ Tercatat"
