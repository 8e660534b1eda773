"""The delivery worker's bookkeeping, each step one transaction.

The worker (``bot/runtime/outbox.py``) talks to Telegram; these record what became of
each row: about to leave, sent (and what that means for its report), to be retried,
given up. A card that reaches the dispatchers is the report's t0 (the lifecycle's
``CardDelivered``), recorded in the same transaction as the send.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from bot.domain import lifecycle
from bot.domain.lifecycle import ReportState
from bot.domain.messages import OutboundMessage
from storage import events, message_map, outbox, receipts, reports
from storage.db import Database, Tx
from storage.outbox import QueuedMessage

MAPPED_ROLES = frozenset(
    {"card", "card_extra", "receipt", "sos_ack", "relay", "relays", "card_copy"}
)
"""Sent messages a reply to which belongs to their report."""


async def mark_received(tx: Tx, report_id: int, at: datetime) -> bool:
    """t0: the report's card reached the dispatchers. Recorded once; True if now."""
    snap = lifecycle.replay(await events.load_events(tx, report_id))
    if snap.state is not ReportState.SUBMITTED:
        return False
    step = lifecycle.apply(snap, lifecycle.CardDelivered(), max(at, snap.updated_at or at))
    await events.append_event(tx, report_id, step.event)
    await reports.store_snapshot(tx, report_id, step.snapshot)
    return True


async def delivered(
    db: Database, row: QueuedMessage, message_id: int | None, now: datetime
) -> None:
    """A row was sent: record it, map the message to its report, and mark the report
    received when its card (or a digest listing it) reached the group."""
    async with db.transaction() as tx:
        await outbox.mark_sent(tx, row.id, message_id, now)
        if row.role == "digest":  # the dispatchers now see every report it lists
            for report_id in await outbox.digest_members(tx, row.id):
                await mark_received(tx, report_id, now)
                await receipts.card_arrived(tx, report_id)
        if row.report_id is not None and message_id is not None:
            if row.role in MAPPED_ROLES:
                await message_map.map_message(
                    tx, row.chat_id, message_id, row.report_id, row.role, now
                )
            if row.role == "card":
                await mark_received(tx, row.report_id, now)
                await receipts.card_arrived(tx, row.report_id)


async def unchanged(db: Database, outbox_id: int, now: datetime) -> None:
    """An edit Telegram found identical to the message: as good as sent."""
    async with db.transaction() as tx:
        await outbox.mark_sent(tx, outbox_id, None, now)


async def start_sending(db: Database, outbox_id: int) -> None:
    """A request is about to leave: if we crash now, its fate is unknown."""
    async with db.transaction() as tx:
        await outbox.mark_sending(tx, outbox_id)


async def retry_later(
    db: Database, outbox_id: int, not_before: datetime, error: str, *, uncertain: bool = False
) -> None:
    """Try a row again later (server error, time-out; ``uncertain``: it may have arrived)."""
    async with db.transaction() as tx:
        await outbox.reschedule(tx, outbox_id, not_before, error, uncertain=uncertain)


async def flood_wait(db: Database, outbox_id: int, chat_id: int, until: datetime) -> None:
    """Telegram asked us to wait: this row and everything else for its chat wait."""
    async with db.transaction() as tx:
        await outbox.reschedule(tx, outbox_id, until, "retry after")
        await outbox.defer_chat(tx, chat_id, until)


async def give_up(db: Database, outbox_id: int, error: str) -> None:
    """Given up for good (blocked by the user, a request Telegram will never accept)."""
    async with db.transaction() as tx:
        await outbox.mark_failed(tx, outbox_id, error)


async def chat_migrated(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its pending rows go to the new id."""
    async with db.transaction() as tx:
        await outbox.migrate_chat(tx, old_chat_id, new_chat_id)


async def recover_inflight(db: Database, keep: Collection[int] = ()) -> int:
    """Rows left in flight (by a crash, or by bookkeeping the database refused) that are
    not ``keep`` (really in flight now) are sent again, marked as possible repeats."""
    async with db.transaction() as tx:
        return await outbox.recover_inflight(tx, keep)


async def clock_went_back(db: Database, by: timedelta, now: datetime) -> int:
    """The wall clock jumped back by ``by``: waiting rows keep the delay they were given
    instead of waiting out the jump too. Returns the rows moved."""
    async with db.transaction() as tx:
        return await outbox.pull_forward(tx, by, now)


async def adopt_copy(
    db: Database, chat_id: int, message_id: int, report_id: int, now: datetime
) -> bool:
    """A message of the bot's nobody recorded — a send whose answer was lost (time-out,
    5xx, garbled answer), then repeated — turned up (a reply to it): map it to its report
    like the repeat, so it works the same. Only a report with such a repeat in this chat,
    sent after this message, adopts it. True if mapped."""
    async with db.transaction() as tx:
        role = await outbox.repeated_role(tx, chat_id, report_id, message_id)
        if role is None or role not in MAPPED_ROLES:
            return False
        await message_map.map_message(tx, chat_id, message_id, report_id, role, now)
        return True


async def pack_digest(
    db: Database, chat_id: int, report_ids: list[int], digest: OutboundMessage, now: datetime
) -> QueuedMessage:
    """Replace these reports' waiting cards for a chat by one digest, ready to send."""
    async with db.transaction() as tx:
        digest_id = await outbox.pack_digest(tx, chat_id, report_ids, digest, now)
        return await outbox.queued_row(tx, digest_id)


async def merge(
    db: Database, outbox_ids: list[int], merged: OutboundMessage, now: datetime
) -> QueuedMessage:
    """Replace waiting rows by one message, ready to send."""
    async with db.transaction() as tx:
        merged_id = await outbox.merge_rows(tx, outbox_ids, merged, now)
        return await outbox.queued_row(tx, merged_id)
