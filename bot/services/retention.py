"""Purging personal data of reports closed longer than the retention period."""

from __future__ import annotations

from datetime import datetime

from storage import retention
from storage.db import Database


async def purge(db: Database, cutoff: datetime, now: datetime) -> int:
    """Purge reports closed before ``cutoff`` (and reporters left with none kept whole),
    in one transaction; returns how many reports were purged now."""
    async with db.transaction() as tx:
        closed = await retention.closed_before(tx, cutoff)
        for report_id, _ in closed:
            await retention.purge_report(tx, report_id, now)
        for reporter_id in {reporter_id for _, reporter_id in closed}:
            await retention.purge_reporter_if_done(tx, reporter_id)
    return len(closed)
