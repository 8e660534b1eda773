"""A forum topic that refuses the bot (deleted or closed): its messages go to General,
never lost, and the operators are told once."""

from __future__ import annotations

from datetime import datetime

from bot.domain.messages import OutboundMessage
from storage import outbox, topics
from storage.db import Database


async def topic_lost(
    db: Database,
    chat_id: int,
    thread_id: int,
    reason: str,
    now: datetime,
    alerts: list[OutboundMessage],
) -> tuple[bool, int]:
    """Record the topic as lost, send what waits for it to General and (the first time)
    queue ``alerts``, in one transaction. Whether it was new, and how many messages moved."""
    async with db.transaction() as tx:
        new = await topics.lose_topic(tx, chat_id, thread_id, reason, now)
        moved = await topics.to_general(tx, chat_id, thread_id)
        if new:
            await outbox.enqueue(tx, alerts, now)
    return new, moved


async def topic_found(db: Database, chat_id: int, thread_id: int) -> bool:
    """The topic takes messages again (reopened); whether it had been lost."""
    async with db.transaction() as tx:
        return await topics.found_topic(tx, chat_id, thread_id)
