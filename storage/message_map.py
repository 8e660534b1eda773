"""The ``message_map`` table: which report a Telegram message belongs to.

Messages the bot sent (cards, receipts, relays) are mapped so that a reply to them
reaches the report; messages people sent are mapped so that one delivered twice is
handled once.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.messages import Incoming
from bot.domain.models import utc_iso
from storage.db import Database, Tx


async def map_message(
    tx: Tx, chat_id: int, message_id: int, report_id: int, role: str, now: datetime
) -> bool:
    """Remember which report a message belongs to (exactly once); True if new."""
    cur = await tx.execute(
        "INSERT INTO message_map (chat_id, message_id, report_id, role, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
        (chat_id, message_id, report_id, role, utc_iso(now)),
    )
    return bool(cur.rowcount)


async def lost_copies(tx: Tx, report_id: int, chat_id: int) -> tuple[int, ...]:
    """A report's card messages in this chat that no outbox row sent as far as it knows:
    first copies of a card whose answer was lost, mapped when they turned up."""
    rows = await tx.all(
        "SELECT message_id FROM message_map WHERE report_id = ? AND chat_id = ?"
        " AND role = 'card' AND message_id NOT IN (SELECT message_id FROM outbox"
        " WHERE report_id = ? AND chat_id = ? AND role = 'card' AND message_id IS NOT NULL)"
        " ORDER BY message_id",
        (report_id, chat_id, report_id, chat_id),
    )
    return tuple(int(r["message_id"]) for r in rows)


async def first_time(tx: Tx, incoming: Incoming, now: datetime) -> bool:
    """Record a person's message as belonging to a report; False if it was seen before."""
    chat_id, message_id, report_id = incoming
    return await map_message(tx, chat_id, message_id, report_id, "incoming", now)


async def report_for_message(db: Database, chat_id: int, message_id: int) -> int | None:
    """The report a message belongs to, if any."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT report_id FROM message_map WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
    return int(row["report_id"]) if row else None
