"""The ``outbox`` and ``digest_members`` tables: the durable queue of outbound messages.

Messages are written in the same transaction as the change they report (:func:`enqueue`
takes the caller's transaction) and delivered later by the worker in
``bot/runtime/outbox.py``, which survives restarts because the queue is this table.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.messages import OutboundMessage
from bot.domain.models import from_iso, utc_iso
from storage.db import Database, Row, Tx


@dataclass
class QueuedMessage:
    """A row of the outbox as the worker sees it."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    role: str
    priority: int
    report_id: int | None
    reply_to_outbox_id: int | None
    reply_to_message_id: int | None  # resolved from the row replied to, once sent
    edit_outbox_id: int | None
    edit_message_id: int | None  # resolved from the row whose message is edited
    attempts: int
    uncertain: bool
    not_before: datetime


async def enqueue(tx: Tx, messages: list[OutboundMessage], now: datetime) -> list[int]:
    """Queue messages inside the caller's transaction; returns their outbox ids."""
    ids: list[int] = []
    by_key: dict[str, int] = {}
    for msg in messages:
        reply_to = msg.reply_to_outbox_id
        if msg.reply_to_key is not None:
            if msg.reply_to_key not in by_key:
                raise ValueError(f"reply_to_key {msg.reply_to_key!r} names no earlier message")
            reply_to = by_key[msg.reply_to_key]
        if msg.edit_outbox_id is not None:
            # Only the newest edit of a message matters: older pending ones are dropped.
            await tx.execute(
                "UPDATE outbox SET status = 'superseded' WHERE edit_outbox_id = ?"
                " AND status = 'pending'",
                (msg.edit_outbox_id,),
            )
        outbox_id = await tx.insert(
            "INSERT INTO outbox (report_id, chat_id, method, payload, role, priority,"
            " reply_to_outbox_id, edit_outbox_id, not_before, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                msg.report_id,
                msg.chat_id,
                msg.method,
                json.dumps(msg.payload, ensure_ascii=False),
                msg.role,
                msg.priority,
                reply_to,
                msg.edit_outbox_id,
                utc_iso(now),
                utc_iso(now),
            ),
        )
        if msg.key is not None:
            by_key[msg.key] = outbox_id
        ids.append(outbox_id)
    return ids


def _queued(row: Row) -> QueuedMessage:
    return QueuedMessage(
        id=row["id"],
        chat_id=row["chat_id"],
        method=row["method"],
        payload=json.loads(row["payload"]),
        role=row["role"],
        priority=row["priority"],
        report_id=row["report_id"],
        reply_to_outbox_id=row["reply_to_outbox_id"],
        reply_to_message_id=row["reply_message_id"],
        edit_outbox_id=row["edit_outbox_id"],
        edit_message_id=row["edit_message_id"],
        attempts=row["attempts"],
        uncertain=bool(row["uncertain"]),
        not_before=from_iso(row["not_before"]),
    )


# A row is ready when it is due, the row it replies to is settled (sent or failed) and
# the row whose message it edits is settled.
_READY_ROWS = """
    FROM outbox o
    LEFT JOIN outbox r ON r.id = o.reply_to_outbox_id
    LEFT JOIN outbox e ON e.id = o.edit_outbox_id
    WHERE o.status = 'pending' AND o.held = 0 AND o.not_before <= ?
      AND (o.reply_to_outbox_id IS NULL OR r.status IN ('sent', 'failed', 'superseded'))
      AND (o.edit_outbox_id IS NULL OR e.status IN ('sent', 'failed', 'superseded'))
"""
_READY = f"""
    SELECT o.*, r.message_id AS reply_message_id, e.message_id AS edit_message_id
    {_READY_ROWS}
    ORDER BY o.priority DESC, o.id
    LIMIT ?
"""


async def due(db: Database, now: datetime, limit: int = 20) -> list[QueuedMessage]:
    """Ready rows, most urgent first."""
    async with db.read() as tx:
        rows = await tx.all(_READY, (utc_iso(now), limit))
    return [_queued(r) for r in rows]


# The next row of each chat (the outbox sends one message per chat at a time, chats in
# parallel). In a group, digests (packed at a free slot, so their turn has come) and
# then new cards go before everything else waiting there (pins, card edits, relays,
# reminders wait while cards wait). A reporter's "not received yet" waits while the card
# is on its way (in flight, or due now): sent the same moment, it would be a false alarm.
_HEADS = f"""
    SELECT * FROM (
        SELECT o.*, r.message_id AS reply_message_id, e.message_id AS edit_message_id,
            ROW_NUMBER() OVER (
                PARTITION BY o.chat_id
                ORDER BY CASE WHEN o.chat_id >= 0 THEN 0 WHEN o.role = 'digest' THEN 2
                    WHEN o.role = 'card' THEN 1 ELSE 0 END DESC, o.priority DESC, o.id
            ) AS lane_rank
        {_READY_ROWS}
          AND (o.role != 'not_received' OR NOT EXISTS (
                SELECT 1 FROM outbox c WHERE c.report_id = o.report_id AND c.role = 'card'
                  AND c.held = 0 AND (c.status = 'sending'
                    OR (c.status = 'pending' AND c.not_before <= ?))))
    ) AS ready
    WHERE lane_rank = 1
    ORDER BY priority DESC, id
    LIMIT ?
"""


async def heads(db: Database, now: datetime, limit: int = 500) -> list[QueuedMessage]:
    """Each chat's next ready row, most urgent chats first."""
    async with db.read() as tx:
        at = utc_iso(now)
        rows = await tx.all(_HEADS, (at, at, limit))
    return [_queued(r) for r in rows]


async def waiting_cards(tx: Tx, chat_id: int, limit: int) -> list[int]:
    """Cards waiting for a chat, due or deferred (a flood wait), most urgent first: their
    report ids."""
    rows = await tx.all(
        "SELECT report_id FROM outbox WHERE chat_id = ? AND role = 'card'"
        " AND status = 'pending' AND held = 0 AND report_id IS NOT NULL"
        " ORDER BY priority DESC, id LIMIT ?",
        (chat_id, limit),
    )
    return [int(r["report_id"]) for r in rows]


async def queued_row(tx: Tx, outbox_id: int) -> QueuedMessage:
    """One row as the worker sees it."""
    row = await tx.one(
        "SELECT o.*, r.message_id AS reply_message_id, e.message_id AS edit_message_id"
        " FROM outbox o LEFT JOIN outbox r ON r.id = o.reply_to_outbox_id"
        " LEFT JOIN outbox e ON e.id = o.edit_outbox_id WHERE o.id = ?",
        (outbox_id,),
    )
    assert row is not None
    return _queued(row)


async def waiting_alerts(db: Database, chat_id: int, now: datetime) -> list[Row]:
    """Ready reminders and alerts for a chat (id, role, report, priority, text), oldest
    first."""
    async with db.read() as tx:
        return await tx.all(
            "SELECT id, role, report_id, priority, payload FROM outbox WHERE chat_id = ?"
            " AND role IN ('reminder', 'alert') AND status = 'pending' AND held = 0"
            " AND not_before <= ? ORDER BY id",
            (chat_id, utc_iso(now)),
        )


async def waiting_text_relays(
    db: Database, chat_id: int, report_id: int, now: datetime
) -> list[Row]:
    """A report's relayed texts ready for a chat (id, payload), oldest first."""
    async with db.read() as tx:
        return await tx.all(
            "SELECT id, payload FROM outbox WHERE chat_id = ? AND report_id = ?"
            " AND role = 'relay' AND method = 'send_message' AND status = 'pending'"
            " AND held = 0 AND not_before <= ? ORDER BY id",
            (chat_id, report_id, utc_iso(now)),
        )


async def merge_rows(tx: Tx, outbox_ids: list[int], merged: OutboundMessage, now: datetime) -> int:
    """Replace pending rows by one message (several reminders as one); its outbox id.
    Rows no longer pending (sent meanwhile) are left alone."""
    marks = ",".join("?" * len(outbox_ids))
    await tx.execute(
        f"UPDATE outbox SET status = 'superseded', last_error = 'merged into one message'"
        f" WHERE status = 'pending' AND id IN ({marks})",
        outbox_ids,
    )
    (merged_id,) = await enqueue(tx, [merged], now)
    return merged_id


async def busy(db: Database, now: datetime) -> bool:
    """True while a row is in flight or ready to go."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT 1 FROM outbox WHERE status = 'sending'"
            " OR (status = 'pending' AND held = 0 AND not_before <= ?) LIMIT 1",
            (utc_iso(now),),
        )
    return row is not None


async def next_wakeup(db: Database, after: datetime | None = None) -> datetime | None:
    """The earliest time a pending row becomes due (after ``after``, if given: rows due
    already wait for their chat, not for the clock)."""
    async with db.read() as tx:
        if after is None:
            row = await tx.one(
                "SELECT MIN(not_before) AS t FROM outbox WHERE status = 'pending' AND held = 0"
            )
        else:
            row = await tx.one(
                "SELECT MIN(not_before) AS t FROM outbox WHERE status = 'pending' AND held = 0"
                " AND not_before > ?",
                (utc_iso(after),),
            )
    return from_iso(row["t"]) if row and row["t"] else None


async def mark_sending(tx: Tx, outbox_id: int) -> None:
    """Record that a request is about to leave: if we crash now, its fate is unknown."""
    await tx.execute(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
        (outbox_id,),
    )


async def mark_sent(tx: Tx, outbox_id: int, message_id: int | None, now: datetime) -> None:
    """Delivered; ``message_id`` is what Telegram returned (None for edits and answers)."""
    await tx.execute(
        "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL"
        " WHERE id = ?",
        (message_id, utc_iso(now), outbox_id),
    )


async def reschedule(
    tx: Tx, outbox_id: int, not_before: datetime, error: str, *, uncertain: bool = False
) -> None:
    """Try again later (flood wait, server error, time-out)."""
    await tx.execute(
        "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?,"
        " uncertain = MAX(uncertain, ?) WHERE id = ?",
        (utc_iso(not_before), error[:500], int(uncertain), outbox_id),
    )


async def defer_chat(tx: Tx, chat_id: int, not_before: datetime) -> None:
    """Telegram asked us to wait before writing to this chat again."""
    await tx.execute(
        "UPDATE outbox SET not_before = MAX(not_before, ?)"
        " WHERE chat_id = ? AND status = 'pending'",
        (utc_iso(not_before), chat_id),
    )


async def mark_failed(tx: Tx, outbox_id: int, error: str) -> None:
    """Given up for good (blocked by the user, a request Telegram will never accept)."""
    await tx.execute(
        "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
        (error[:500], outbox_id),
    )


async def recover_inflight(tx: Tx, keep: Collection[int] = ()) -> int:
    """Rows left 'sending' (by a crash, or by bookkeeping the database refused) may or may
    not have arrived; ``keep`` are requests really in flight now.

    They are sent again, marked uncertain so the copy says it may be a repeat.
    """
    marks = ",".join("?" * len(keep))
    cur = await tx.execute(
        "UPDATE outbox SET status = 'pending', uncertain = 1 WHERE status = 'sending'"
        + (f" AND id NOT IN ({marks})" if keep else ""),
        tuple(keep),
    )
    return cur.rowcount


async def repeated_role(tx: Tx, chat_id: int, report_id: int, before_message_id: int) -> str | None:
    """The role of a report's row for this chat that was repeated after an unknown outcome
    and whose repeat is not older than ``before_message_id`` (so that message may be the
    copy whose answer was lost)."""
    row = await tx.one(
        "SELECT role FROM outbox WHERE report_id = ? AND chat_id = ? AND uncertain = 1"
        " AND status IN ('pending', 'sending', 'sent')"
        " AND (message_id IS NULL OR message_id > ?) ORDER BY id LIMIT 1",
        (report_id, chat_id, before_message_id),
    )
    return str(row["role"]) if row else None


async def sending(db: Database) -> list[int]:
    """Rows marked as in flight."""
    async with db.read() as tx:
        rows = await tx.all("SELECT id FROM outbox WHERE status = 'sending'")
    return [int(r["id"]) for r in rows]


async def newest_queued(db: Database) -> datetime | None:
    """When the newest row still waiting (or in flight) was queued."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT MAX(created_at) AS t FROM outbox WHERE status IN ('pending', 'sending')"
        )
    return from_iso(row["t"]) if row and row["t"] else None


async def pull_forward(tx: Tx, by: timedelta, now: datetime) -> int:
    """The wall clock went back by ``by``: waiting rows keep the delay they were given
    (their due time comes ``by`` earlier, never before ``now``). Returns the rows moved."""
    rows = await tx.all(
        "SELECT id, not_before FROM outbox WHERE status = 'pending' AND not_before > ?",
        (utc_iso(now),),
    )
    moved = [(utc_iso(max(now, from_iso(r["not_before"]) - by)), r["id"]) for r in rows]
    await tx.executemany("UPDATE outbox SET not_before = ? WHERE id = ?", moved)
    return len(moved)


async def counts(db: Database) -> dict[str, int]:
    """Rows per status (for health output and tests)."""
    async with db.read() as tx:
        rows = await tx.all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    return {r["status"]: r["n"] for r in rows}


async def migrate_chat(tx: Tx, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: pending rows go to its new id."""
    await tx.execute(
        "UPDATE outbox SET chat_id = ?, status = 'pending' WHERE chat_id = ?"
        " AND status IN ('pending', 'sending')",
        (new_chat_id, old_chat_id),
    )


async def pack_digest(
    tx: Tx, chat_id: int, report_ids: list[int], digest: OutboundMessage, now: datetime
) -> int:
    """Replace these reports' pending cards (and what hangs on them) by one digest row.

    Nothing is dropped: each report stays listed in the digest, whose buttons open its
    full card on demand. Returns the digest's outbox id.
    """
    marks = ",".join("?" * len(report_ids))
    cards = await tx.all(
        f"SELECT id FROM outbox WHERE chat_id = ? AND role = 'card' AND status = 'pending'"
        f" AND report_id IN ({marks})",
        (chat_id, *report_ids),
    )
    card_ids = [int(r["id"]) for r in cards]
    if card_ids:
        held = ",".join("?" * len(card_ids))
        await tx.execute(
            f"UPDATE outbox SET status = 'superseded', last_error = 'packed into a digest'"
            f" WHERE status = 'pending' AND (id IN ({held}) OR reply_to_outbox_id IN ({held})"
            f" OR edit_outbox_id IN ({held}))",
            (*card_ids, *card_ids, *card_ids),
        )
    (digest_id,) = await enqueue(tx, [digest], now)
    await tx.executemany(
        "INSERT OR IGNORE INTO digest_members (outbox_id, report_id) VALUES (?, ?)",
        [(digest_id, rid) for rid in report_ids],
    )
    return digest_id


async def digest_members(tx: Tx, outbox_id: int) -> list[int]:
    """The reports a digest row lists."""
    rows = await tx.all(
        "SELECT report_id FROM digest_members WHERE outbox_id = ? ORDER BY report_id",
        (outbox_id,),
    )
    return [int(r["report_id"]) for r in rows]


LIVE_STATUSES = ("pending", "sending", "sent")
"""A row in one of these states has reached, or will reach, its chat."""


async def row_status(tx: Tx, outbox_id: int | None) -> str | None:
    """A row's status (None for no row)."""
    if outbox_id is None:
        return None
    row = await tx.one("SELECT status FROM outbox WHERE id = ?", (outbox_id,))
    return str(row["status"]) if row else None


async def agency_cards(tx: Tx, report_id: int) -> tuple[tuple[int, int, int | None], ...]:
    """The (outbox id, chat id, forum topic) of a report's agency copies that are out or on
    their way."""
    rows = await tx.all(
        "SELECT id, chat_id, json_extract(payload, '$.message_thread_id') AS thread"
        " FROM outbox WHERE report_id = ? AND role = 'agency_card'"
        " AND status IN ('pending', 'sending', 'sent') ORDER BY id",
        (report_id,),
    )
    return tuple(
        (int(r["id"]), int(r["chat_id"]), None if r["thread"] is None else int(r["thread"]))
        for r in rows
    )


async def hold_chat(tx: Tx, chat_id: int) -> list[int]:
    """A group refuses the bot (removed, kicked): keep everything waiting for it — and the
    receipts of the reports whose card it holds — until it takes messages again. Returns
    the reports whose card is held."""
    await tx.execute(
        "UPDATE outbox SET held = 1, status = 'pending' WHERE chat_id = ?"
        " AND status IN ('pending', 'sending')",
        (chat_id,),
    )
    rows = await tx.all(
        "SELECT DISTINCT report_id FROM outbox WHERE chat_id = ? AND held = 1"
        " AND role IN ('card', 'digest') AND report_id IS NOT NULL",
        (chat_id,),
    )
    reports = [int(r["report_id"]) for r in rows]
    if reports:
        marks = ",".join("?" * len(reports))
        await tx.execute(
            f"UPDATE outbox SET held = 1 WHERE role = 'receipt' AND status = 'pending'"
            f" AND report_id IN ({marks})",
            reports,
        )
    return reports


async def held_reports(tx: Tx, chat_id: int) -> list[int]:
    """Reports whose card (or digest) for this chat is held."""
    rows = await tx.all(
        "SELECT DISTINCT report_id FROM outbox WHERE chat_id = ? AND held = 1"
        " AND role IN ('card', 'digest') AND report_id IS NOT NULL",
        (chat_id,),
    )
    return [int(r["report_id"]) for r in rows]


async def mark_gone(tx: Tx, outbox_id: int, why: str) -> None:
    """A sent message is no longer in its chat (deleted): no longer live."""
    await tx.execute(
        "UPDATE outbox SET status = 'superseded', last_error = ? WHERE id = ?", (why, outbox_id)
    )


async def release_chat(tx: Tx, chat_id: int) -> list[int]:
    """The group takes messages again: what was held for it goes, in its order. Returns
    the reports whose card was held."""
    reports = await held_reports(tx, chat_id)
    await tx.execute("UPDATE outbox SET held = 0 WHERE chat_id = ? AND held = 1", (chat_id,))
    return reports  # their receipts go once their cards arrive (storage/receipts.py)


async def held_chats(db: Database) -> list[int]:
    """Chats whose messages are held."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT DISTINCT chat_id FROM outbox WHERE held = 1 AND role != 'receipt'"
        )
    return [int(r["chat_id"]) for r in rows]


async def is_held(tx: Tx, chat_id: int) -> bool:
    """Whether messages for this chat are held."""
    return (
        await tx.one("SELECT 1 FROM outbox WHERE chat_id = ? AND held = 1", (chat_id,)) is not None
    )
