"""Forum topics Telegram refused (deleted or closed): remembered across restarts, and the
messages waiting for one moved to the chat's General thread (``lost_topics``)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import utc_iso
from storage.db import Database, Tx


async def lose_topic(tx: Tx, chat_id: int, thread_id: int, reason: str, at: datetime) -> bool:
    """Record that a topic refuses messages; False if that was known already."""
    cur = await tx.execute(
        "INSERT INTO lost_topics (chat_id, thread_id, lost_at, reason) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (chat_id, thread_id) DO NOTHING",
        (chat_id, thread_id, utc_iso(at), reason[:300]),
    )
    return bool(cur.rowcount)


async def to_general(tx: Tx, chat_id: int, thread_id: int) -> int:
    """Every message waiting for that topic (or in flight to it) goes to General instead;
    how many."""
    cur = await tx.execute(
        "UPDATE outbox SET payload = json_remove(payload, '$.message_thread_id'),"
        " status = 'pending' WHERE chat_id = ? AND status IN ('pending', 'sending')"
        " AND json_extract(payload, '$.message_thread_id') = ?",
        (chat_id, thread_id),
    )
    return cur.rowcount


async def found_topic(tx: Tx, chat_id: int, thread_id: int) -> bool:
    """The topic takes messages again (reopened); False if it was not lost."""
    cur = await tx.execute(
        "DELETE FROM lost_topics WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id)
    )
    return bool(cur.rowcount)


async def lost_topics(db: Database) -> set[tuple[int, int]]:
    """Every topic known to refuse messages."""
    async with db.read() as tx:
        rows = await tx.all("SELECT chat_id, thread_id FROM lost_topics")
    return {(int(r["chat_id"]), int(r["thread_id"])) for r in rows}
