"""End to end: a surge into a flood-limited group — every report seen within about a
minute (cards packed into digests), nothing lost, nothing duplicated."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from storage import reports as store
from tests.support.harness import submit, world

REPORTS = 25


async def test_a_surge_is_packed_into_digests_and_nothing_is_lost(
    tmp_path: Path, backend_settings: dict[str, Any]
) -> None:
    async with world(tmp_path, **backend_settings, group_messages_per_minute=20) as w:
        w.server.set_flood_limits(per_group_per_minute=20, per_chat_per_second=1)
        assert w.runtime is not None and w.runtime.db is not None
        runtime = w.runtime
        tickets = []
        for n in range(REPORTS):
            reporter = w.tg.user(f"Pemudik{n}", language_code="id")
            await reporter.send("halo")  # has started the bot
            tickets.append(await submit(w, n, who=reporter, lat=-6.99))

        def visible() -> set[str]:
            texts = [m.text for m in w.tg.bot_messages(w.dispatch)]
            return {t for t in tickets if any(t in text for text in texts)}

        async with asyncio.timeout(75):  # a guard against a hang, not a speed figure
            while len(visible()) < REPORTS:
                await asyncio.sleep(0.2)

        messages = w.tg.bot_messages(w.dispatch)
        digests = [
            m for m in messages if "laporan baru" in m.text and "Buka" in str(m.reply_markup)
        ]
        assert digests, "a surge over the budget must be packed"
        for ticket in tickets:
            full = [m for m in messages if f"LAPORAN {ticket}" in m.text]
            assert len(full) <= 1, ticket  # never twice
        # Every report got its t0 when the dispatchers could first see it.
        for ticket in tickets:
            report = await store.get_report_by_ticket(runtime.db, ticket)
            assert report is not None and report.received_at is not None, ticket

        # A dispatcher opens one packed report as its full card.
        packed = next(t for t in tickets if not any(f"LAPORAN {t}" in m.text for m in messages))
        digest = next(m for m in digests if packed in m.text)
        answer = await w.dispatcher.press(digest, f"Buka {packed}")
        assert answer.text == "📄"
        card = await w.tg.wait_for(w.dispatch, lambda m: f"LAPORAN {packed}" in m.text, timeout=60)
        assert card.inline_buttons  # the full card, ready to claim
        again = await w.dispatcher.press(digest, f"Buka {packed}")
        assert again.text == "Kartu ini sudah dibuka."
