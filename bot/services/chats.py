"""A chat Telegram moved (group → supergroup): remembered, and its queue follows it."""

from __future__ import annotations

from datetime import datetime

from bot.domain.messages import OutboundMessage
from storage import chats, outbox
from storage.db import Database


async def chat_moved(db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
    """Record the move and send what waits for the old id to the new one, in one
    transaction; False if the move was known already."""
    async with db.transaction() as tx:
        new = await chats.record_move(tx, old_chat_id, new_chat_id, now)
        await outbox.migrate_chat(tx, old_chat_id, new_chat_id)
    return new


OPS_PRIORITY = 35  # after SOS cards, before every other card: a broken link matters


async def notify_ops(db: Database, chat_id: int, text: str, now: datetime) -> None:
    """Queue a notice for the people who run the bot (OPS_CHAT_ID, or a fallback chat)."""
    message = OutboundMessage(
        chat_id,
        "send_message",
        {"text": text, "parse_mode": "HTML"},
        role="ops_alert",
        priority=OPS_PRIORITY,
    )
    async with db.transaction() as tx:
        await outbox.enqueue(tx, [message], now)
