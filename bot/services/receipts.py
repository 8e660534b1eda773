"""Honesty to the reporter: a report whose card has not reached the dispatchers' group
within a bound gets one warning (phone 112 now); its receipt follows when the card
arrives (``storage/receipts.py`` holds it until then)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from storage import outbox, receipts
from storage.cards import load_card
from storage.db import Database

LOOK_BACK: Final = timedelta(days=1)
"""Older reports still waiting for their card are not warned about any more (e.g. after
a long stop): the reporter has long since called, or given up."""

WarningMessages = Callable[[list[CardState]], list[OutboundMessage]]


async def warn_overdue(
    db: Database, now: datetime, bound: timedelta, messages: WarningMessages
) -> list[CardState]:
    """Queue the warning for every report whose card has not reached the group ``bound``
    after it was filed, once per report, in one transaction; the reports warned."""
    oldest = await receipts.oldest_unwarned(db, now - LOOK_BACK)
    if oldest is None or oldest > now - bound:
        return []  # a read, not a write lock, when nobody is due (the usual case)
    async with db.transaction() as tx:
        ids = await receipts.overdue(tx, now - bound, now - LOOK_BACK)
        if not ids:
            return []
        states = [await load_card(tx, report_id) for report_id in ids]
        await outbox.enqueue(tx, messages(states), now)
        await receipts.record_warnings(tx, ids, now)
    return states


async def next_warning_due(db: Database, now: datetime, bound: timedelta) -> datetime | None:
    """When the next warning falls due if no card arrives before."""
    oldest = await receipts.oldest_unwarned(db, now - LOOK_BACK)
    return None if oldest is None else oldest + bound
