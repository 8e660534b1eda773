"""Purging personal data of reports closed longer than the retention period."""

from __future__ import annotations

from datetime import datetime

from storage import retention
from storage.db import Database


async def purge(db: Database, cutoff: datetime, now: datetime) -> int:
    """Purge reports closed before ``cutoff``, reporters left with none kept whole, and
    people last seen before it with no report at all (who only pressed /start), and
    trusted roles revoked before it (:func:`storage.retention.forget_roles`), in one
    transaction; returns how many reports were purged now.

    The period (``now - cutoff``) is counted back from the newest event the database
    holds when that is earlier than ``now``: a wall clock that jumps forward by months
    purges nothing a correct clock would have kept. (A quiet database keeps data a little
    longer, never shorter.)
    """
    period = now - cutoff
    async with db.transaction() as tx:
        latest = await retention.latest_activity(tx)
        if latest is not None and latest < now:
            cutoff = min(cutoff, latest - period)
        closed = await retention.closed_before(tx, cutoff)
        for report_id, _ in closed:
            await retention.purge_report(tx, report_id, now)
        people = {reporter_id for _, reporter_id in closed}
        people.update(await retention.idle_reporters(tx, cutoff))
        for reporter_id in people:
            await retention.purge_reporter_if_done(tx, reporter_id)
        await retention.forget_roles(tx, cutoff)
    return len(closed)
