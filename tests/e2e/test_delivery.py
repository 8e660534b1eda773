"""End to end: the outbox delivers through flood limits, server errors, time-outs and
blocked reporters — nothing lost, nothing silently duplicated."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from storage import outbox
from tests.support.harness import World, file_report, world


def cards(w: World, ticket: str) -> list[str]:
    return [m.text for m in w.tg.bot_messages(w.dispatch) if "📌" in m.text and ticket in m.text]


async def test_flood_wait_is_honoured_and_the_card_arrives_once(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
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


async def test_server_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        w.server.add_fault(
            method="sendMessage",
            status=502,
            description="Bad Gateway",
            count=2,
            chat_id=w.dispatch.id,
        )
        ticket = await file_report(w)
        card = await w.card(ticket, timeout=15)
        assert len(cards(w, ticket)) == 1
        # A 5xx does not say whether the request was carried out: the copy says so.
        assert "dikirim ulang" in card.text


async def test_a_timed_out_card_is_resent_marked_as_a_possible_repeat(tmp_path: Path) -> None:
    async with world(tmp_path, telegram_timeout_seconds=0.5) as w:
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


async def test_a_reporter_who_blocked_the_bot_breaks_nothing(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
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


@pytest.mark.parametrize("answer", ["502 after delivery", "truncated", "garbage"])
async def test_a_card_whose_answer_was_lost_is_repeated_marked_and_both_copies_work(
    tmp_path: Path, answer: str
) -> None:
    async with world(tmp_path) as w:

        def spoil() -> object:
            if answer == "502 after delivery":
                return w.server.add_error_after_delivery(chat_id=w.dispatch.id)
            return w.server.add_garbled_answer(mode=answer, chat_id=w.dispatch.id)  # type: ignore[arg-type]

        ticket = await file_report(w, before_send=spoil)
        await wait_cards(w, ticket, 2)
        first, repeat = copies_message(w, ticket)
        assert "dikirim ulang" not in first.text and "dikirim ulang" in repeat.text
        await w.tg.wait_for(w.reporter, lambda m: "diterima" in m.text)
        # The first copy is the one the bot never heard of: replies to it and its buttons
        # work; once it turned up (a reply or a press on it) the card's redraws reach it too.
        if answer == "502 after delivery":
            await w.dispatcher.send("Tim pemadam menuju lokasi.", chat=w.dispatch, reply_to=first)
            await w.tg.wait_for(w.reporter, lambda m: "Tim pemadam menuju lokasi." in m.text)
            await w.dispatcher.press(repeat, "Ambil")
        else:
            await w.dispatcher.press(first, "Ambil")
            await w.dispatcher.send("Tim pemadam menuju lokasi.", chat=w.dispatch, reply_to=first)
            await w.tg.wait_for(w.reporter, lambda m: "Tim pemadam menuju lokasi." in m.text)
        await w.dispatcher.send("Mohon jauhi api.", chat=w.dispatch, reply_to=repeat)
        await w.tg.wait_for(w.reporter, lambda m: "Mohon jauhi api." in m.text)
        await w.tg.wait_for(w.reporter, lambda m: "sedang ditangani" in m.text)
        async with asyncio.timeout(10):
            while not all("DIAMBIL" in m.text for m in copies_message(w, ticket)):
                await asyncio.sleep(0.05)
        assert len(copies_message(w, ticket)) == 2
        assert w.runtime is not None and w.runtime.db is not None
        assert (await outbox.counts(w.runtime.db)).get("failed", 0) == 0


async def test_a_reply_to_another_message_of_the_bot_naming_a_ticket_is_not_relayed(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        ticket = await file_report(w)
        card = await w.card(ticket)
        await w.dispatcher.send("/antrian", chat=w.dispatch)
        listing = await w.tg.wait_for(
            w.dispatch, lambda m: m.message_id > card.message_id and ticket in m.text
        )
        await w.dispatcher.send("catatan internal", chat=w.dispatch, reply_to=listing)
        await w.dispatcher.send("Bantuan segera datang.", chat=w.dispatch, reply_to=card)
        await w.tg.wait_for(w.reporter, lambda m: "Bantuan segera datang." in m.text)
        assert not [m for m in w.tg.bot_messages(w.reporter) if "catatan internal" in m.text]


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


async def test_a_card_sent_while_another_process_locks_the_database_is_claimable_after(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        # The card's answer comes 6 s after Telegram stored it; meanwhile another process
        # takes the database for 12 s (longer than the bot's 5 s busy time-out).
        w.server.add_timeout_after_delivery(delay=6.0, chat_id=w.dispatch.id)
        ticket = await file_report(w)
        card = await w.card(ticket)
        locker = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            LOCKER,
            str(w.settings.database_path),
            "12",
            stdout=asyncio.subprocess.PIPE,
        )
        assert locker.stdout is not None
        assert await locker.stdout.readline() == b"locked\n"
        assert w.runtime is not None and w.runtime.db is not None
        assert await outbox.sending(w.runtime.db)  # taken while the card is in flight
        assert await locker.wait() == 0  # the lock is gone: from now on, seconds only
        await w.tg.wait_for(w.reporter, lambda m: "diterima" in m.text, timeout=5)
        await w.dispatcher.press(card, "Ambil")
        await w.tg.wait_for(w.dispatch, lambda m: ticket in m.text and "DIAMBIL" in m.text)
        await w.tg.wait_for(w.reporter, lambda m: "sedang ditangani" in m.text)
        assert len(cards(w, ticket)) == 1  # what Telegram answered was kept, not repeated
        assert w.runtime.outbox is not None
        async with asyncio.timeout(10):
            await w.runtime.outbox.wait_idle()
        assert set(await outbox.counts(w.runtime.db)) == {"sent"}
