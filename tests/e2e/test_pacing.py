"""End to end with Telegram's flood limits emulated and the bot pacing itself to them
(``TELEGRAM_FLOOD_LIMITS``): a surge goes out as digests without a single 429 in the
group, a chatty reporter does not hold back another report's card, a flood of commands
does not hold back a dispatcher's press, and pins and reminders wait while cards wait."""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulator.driver import Message
from tests.support.harness import World, file_report, submit, world

PACED = {"telegram_flood_limits": True, "group_messages_per_minute": 20}


def flood_limits_on(w: World) -> None:
    """Telegram's limits: 20 a minute in a group, 1 a second in a chat, 30 a second overall."""
    w.server.set_flood_limits(per_group_per_minute=20, per_chat_per_second=1)


def first_showing(w: World, ticket: str) -> Message | None:
    """The first bot message in the group that names the ticket (its card or a digest)."""
    return next((m for m in w.tg.bot_messages(w.dispatch) if ticket in m.text), None)


async def until_shown(w: World, tickets: list[str], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while any(first_showing(w, t) is None for t in tickets):
            await asyncio.sleep(0.2)


def is_digest(m: Message) -> bool:
    return "laporan baru" in m.text and "Buka" in str(m.reply_markup)


async def test_a_60_report_surge_goes_out_as_digests_without_a_429_in_the_group(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, **PACED) as w:
        flood_limits_on(w)
        tickets = []
        for n in range(60):  # 4 a second for 15 s
            tickets.append(await submit(w, n))
            await asyncio.sleep(0.25)
        await until_shown(w, tickets, timeout=90)

        assert w.tg.too_many_requests(w.dispatch) == 0
        messages = w.tg.bot_messages(w.dispatch)
        digests = [m for m in messages if is_digest(m)]
        assert digests, "waiting cards go out as digests"
        # Far fewer messages than reports: each slot of the group carries every waiting card.
        assert len(messages) < 30, len(messages)
        for ticket in tickets:  # every report once: in one card or one digest
            showing = [m for m in messages if ticket in m.text]
            assert len(showing) == 1, (ticket, [m.text[:60] for m in showing])


async def test_a_reporters_relay_flood_does_not_hold_back_another_card(tmp_path: Path) -> None:
    async with world(tmp_path, **PACED) as w:
        flood_limits_on(w)
        ticket = await file_report(w)
        await w.card(ticket, timeout=20)
        for n in range(45):  # the reporter keeps writing
            await w.reporter.send(f"Tolong cepat, pesan ke-{n + 1}")
        # Wait until the relays are queued (each is acknowledged to the reporter)…
        await w.tg.wait_for(
            w.reporter, lambda m: "diteruskan" in m.text and m.message_id > 0, timeout=20
        )
        other = await submit(w, 1, who=w.tg.user("Budi", language_code="id"))
        await until_shown(w, [other], timeout=60)
        card_at = first_showing(w, other)
        assert card_at is not None

        def relayed() -> list[Message]:
            return [m for m in w.tg.bot_messages(w.dispatch) if "Tolong cepat" in m.text]

        # The other report's card went before the chatty reporter's backlog was through…
        waiting_then = sum(m.text.count("Tolong cepat") for m in relayed()) < 45
        assert waiting_then and not any(
            "pesan ke-45" in m.text for m in relayed() if m.message_id < card_at.message_id
        )
        # …and every message still reaches the group, the excess batched ("n more messages").
        async with asyncio.timeout(120):
            while sum(m.text.count("Tolong cepat") for m in relayed()) < 45:
                await asyncio.sleep(0.3)
        said = sorted(
            int(line.split("pesan ke-")[1].split()[0])
            for m in relayed()
            for line in m.text.splitlines()
            if "pesan ke-" in line
        )
        assert said == list(range(1, 46))  # each once, none lost
        assert any("pesan lagi" in m.text for m in relayed())
        assert len(relayed()) < 45
        assert w.tg.too_many_requests(w.dispatch) == 0


async def test_a_flood_of_commands_does_not_hold_back_a_dispatchers_press(tmp_path: Path) -> None:
    async with world(tmp_path, **PACED) as w:
        flood_limits_on(w)
        ticket = await file_report(w)
        card = await w.card(ticket, timeout=20)
        before = len(w.tg.bot_messages(w.dispatch))
        for _ in range(8):  # each /antrian is answered in the group, one paced slot each
            await w.dispatcher2.send("/antrian", chat=w.dispatch)

        def queue_answers() -> int:
            return sum("Antrian" in m.text for m in w.tg.bot_messages(w.dispatch)[before:])

        await w.tg.wait_for(w.dispatch, lambda m: "Antrian" in m.text, timeout=20)
        answer = await w.dispatcher.press(card, "Ambil", timeout=20)
        assert answer.text == "✅ Tercatat"
        assert queue_answers() < 8  # answered while the commands' answers still wait
        async with asyncio.timeout(90):
            while queue_answers() < 8:
                await asyncio.sleep(0.3)
        assert w.tg.too_many_requests(w.dispatch) == 0


async def test_pins_and_reminders_wait_while_cards_wait_and_follow_after(tmp_path: Path) -> None:
    async with world(tmp_path, claim_reminder_minutes=0.02, **PACED) as w:
        flood_limits_on(w)
        first = await submit(w, 0)
        card = await w.card(first, timeout=20)
        tickets = [await submit(w, n) for n in range(1, 31)]  # a backlog: 30 at once
        await until_shown(w, tickets, timeout=60)
        # The first card's pin and the reminders come after the backlog is out.
        pin = await w.tg.wait_for(
            w.dispatch,
            lambda m: m.location is not None and m.reply_to_message_id == card.message_id,
            timeout=30,
        )
        reminder = await w.tg.wait_for(w.dispatch, lambda m: "⏰" in m.text, timeout=30)
        last_card = max(first_showing(w, t).message_id for t in tickets)  # type: ignore[union-attr]
        assert pin.message_id > last_card
        assert reminder.message_id > last_card
        messages = w.tg.bot_messages(w.dispatch)
        assert any(is_digest(m) for m in messages)
        assert w.tg.too_many_requests(w.dispatch) == 0
