"""The ``summaries`` table: which daily and monthly summaries were posted."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import utc_iso
from storage.db import Database, Tx


async def record_summary(tx: Tx, kind: str, period: str, now: datetime) -> bool:
    """Record a summary as posted; False when it was recorded before."""
    cur = await tx.execute(
        "INSERT INTO summaries (kind, period, posted_at) VALUES (?, ?, ?)"
        " ON CONFLICT (kind, period) DO NOTHING",
        (kind, period, utc_iso(now)),
    )
    return bool(cur.rowcount)


async def set_summary_outbox(tx: Tx, kind: str, period: str, outbox_id: int) -> None:
    """The outbox row that carries a recorded summary."""
    await tx.execute(
        "UPDATE summaries SET outbox_id = ? WHERE kind = ? AND period = ?",
        (outbox_id, kind, period),
    )


async def summary_recorded(db: Database, kind: str, period: str) -> bool:
    """True if that summary was already queued."""
    async with db.read() as tx:
        row = await tx.one("SELECT 1 FROM summaries WHERE kind = ? AND period = ?", (kind, period))
    return row is not None
