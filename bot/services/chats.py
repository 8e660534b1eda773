"""A chat Telegram moved (group → supergroup): remembered, and its queue follows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from storage import chats, outbox
from storage.cards import load_card
from storage.db import Database


async def chat_moved(db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
    """Record the move and send what waits for the old id to the new one, in one
    transaction; False if the move was known already."""
    async with db.transaction() as tx:
        new = await chats.record_move(tx, old_chat_id, new_chat_id, now)
        await outbox.migrate_chat(tx, old_chat_id, new_chat_id)
    return new


OPS_PRIORITY = 35  # after SOS cards, before every other card: a broken link matters


def ops_message(chat_id: int, text: str) -> OutboundMessage:
    """A notice for the people who run the bot."""
    return OutboundMessage(
        chat_id,
        "send_message",
        {"text": text, "parse_mode": "HTML"},
        role="ops_alert",
        priority=OPS_PRIORITY,
    )


async def notify_ops(db: Database, chat_id: int, text: str, now: datetime) -> None:
    """Queue a notice for the people who run the bot (OPS_CHAT_ID, or a fallback chat)."""
    async with db.transaction() as tx:
        await outbox.enqueue(tx, [ops_message(chat_id, text)], now)


CutOffMessages = Callable[[list[CardState], bool], list[OutboundMessage]]
"""(reports whose card is newly held, whether the chat was just cut off) → messages."""


async def cut_off(
    db: Database, chat_id: int, now: datetime, messages: CutOffMessages
) -> list[CardState]:
    """A group refuses the bot: hold what waits for it (never drop it) and queue what the
    affected reporters and the operators must be told, in one transaction. Returns the
    reports whose card is newly held (a report filed while the chat is cut off counts)."""
    async with db.transaction() as tx:
        before = set(await outbox.held_reports(tx, chat_id))
        first = not await outbox.is_held(tx, chat_id)
        report_ids = [r for r in await outbox.hold_chat(tx, chat_id) if r not in before]
        states = [await load_card(tx, report_id) for report_id in report_ids]
        await outbox.enqueue(tx, messages(states, first), now)
    return states


async def reconnected(db: Database, chat_id: int) -> int:
    """The group takes the bot again: everything held goes, in its order; how many reports'
    cards were held."""
    async with db.transaction() as tx:
        return len(await outbox.release_chat(tx, chat_id))
