"""What the health endpoint and the metrics read from the database: queue, reports, a
write probe. Reads only, except the probe, which rolls back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import from_iso, utc_iso
from storage.db import Database

WAITING_STATES = ("received", "claimed", "dispatched", "en_route")
"""The card reached the dispatchers and nobody is on scene yet."""


@dataclass(frozen=True)
class QueuedChat:
    """Messages waiting in the outbox for one chat."""

    chat_id: int
    depth: int
    oldest: datetime


class _Rollback(Exception):
    """Ends the write probe without keeping anything."""


async def queued_by_chat(db: Database) -> list[QueuedChat]:
    """Pending or in-flight outbox rows per chat, with the oldest one's creation time."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT chat_id, count(*) AS depth, min(created_at) AS oldest FROM outbox"
            " WHERE status IN ('pending', 'sending') GROUP BY chat_id"
        )
    return [QueuedChat(r["chat_id"], r["depth"], from_iso(r["oldest"])) for r in rows]


async def reports_by_state(db: Database) -> dict[str, int]:
    """How many reports are in each state."""
    async with db.read() as tx:
        rows = await tx.all("SELECT state, count(*) AS n FROM reports GROUP BY state")
    return {r["state"]: r["n"] for r in rows}


async def reports_past_target(db: Database, received_before: datetime) -> int:
    """Open reports whose card reached the dispatchers before ``received_before`` (now minus
    the response target) and that nobody has reached on scene yet."""
    marks = ", ".join("?" for _ in WAITING_STATES)
    async with db.read() as tx:
        row = await tx.one(
            f"SELECT count(*) AS n FROM reports WHERE state IN ({marks})"
            " AND received_at IS NOT NULL AND received_at <= ?",
            (*WAITING_STATES, utc_iso(received_before)),
        )
    return int(row["n"]) if row is not None else 0


async def sent_count(db: Database, role: str) -> int:
    """How many outbox messages of ``role`` (e.g. ``digest``) were delivered, ever."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT count(*) AS n FROM outbox WHERE role = ? AND status = 'sent'", (role,)
        )
    return int(row["n"]) if row is not None else 0


async def probe_write(db: Database) -> None:
    """Make a write and roll it back: raises the database's error if it cannot be written
    (read-only file or file system, locked, I/O error); leaves nothing behind."""
    try:
        async with db.transaction() as tx:
            await tx.execute("CREATE TABLE _write_probe (x INTEGER)")
            raise _Rollback
    except _Rollback:
        return


async def reports_not_received(db: Database, sent_before: datetime, sent_after: datetime) -> int:
    """Reports sent in the window whose card has not reached the dispatch group."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT count(*) AS n FROM reports WHERE state = 'submitted'"
            " AND submitted_at > ? AND submitted_at <= ?",
            (utc_iso(sent_after), utc_iso(sent_before)),
        )
    return int(row["n"]) if row is not None else 0


async def chats_cut_off(db: Database) -> int:
    """Groups that refuse the bot now."""
    async with db.read() as tx:
        row = await tx.one("SELECT count(*) AS n FROM chat_incidents")
    return int(row["n"]) if row is not None else 0
