"""What a reporter is told about their report reaching the dispatchers' group.

A report's receipt ("received by the Command Center") is queued with its card but held
until the card (or a digest listing it) has reached the group, so "received" means
received there. A report whose card has not arrived within a bound gets one warning
(phone 112 now), recorded in ``not_received_warnings`` whichever way the bot found out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.models import from_iso, utc_iso
from storage.db import Database, Tx

WARNING_ROLE = "not_received"
"""Outbox role of the warning that a report has not reached the dispatchers."""


async def hold_receipt(tx: Tx, report_id: int) -> None:
    """The receipt waits for the report's card to reach the dispatchers."""
    await tx.execute(
        "UPDATE outbox SET held = 1 WHERE role = 'receipt' AND report_id = ?"
        " AND status = 'pending'",
        (report_id,),
    )


async def card_arrived(tx: Tx, report_id: int) -> None:
    """The card reached the group: the receipt goes (unless the report was closed before,
    see :func:`report_closed`), and a warning not sent yet is moot."""
    await tx.execute(
        "UPDATE outbox SET held = 0 WHERE role = 'receipt' AND report_id = ? AND held = 1"
        " AND status = 'pending'",
        (report_id,),
    )
    await tx.execute(
        "UPDATE outbox SET status = 'superseded', last_error = 'the card arrived first'"
        " WHERE role = ? AND report_id = ? AND status = 'pending'",
        (WARNING_ROLE, report_id),
    )


async def report_closed(tx: Tx, report_id: int) -> None:
    """The report was closed (cancelled by its reporter, say) before its card arrived: a
    "received, officers will act" or "not received yet" would now be false; the closing
    notice says what happened."""
    await tx.execute(
        "UPDATE outbox SET status = 'superseded', held = 0,"
        " last_error = 'the report was closed before its card arrived'"
        " WHERE report_id = ? AND status = 'pending'"
        " AND (role = ? OR (role = 'receipt' AND held = 1))",
        (report_id, WARNING_ROLE),
    )


async def warned(tx: Tx, report_ids: Iterable[int]) -> set[int]:
    """Which of these reports' reporters were warned already."""
    ids = list(report_ids)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = await tx.all(
        f"SELECT report_id FROM not_received_warnings WHERE report_id IN ({marks})", ids
    )
    return {int(r["report_id"]) for r in rows}


async def record_warnings(tx: Tx, report_ids: Iterable[int], at: datetime) -> None:
    """These reporters were warned (once per report)."""
    await tx.executemany(
        "INSERT OR IGNORE INTO not_received_warnings (report_id, warned_at) VALUES (?, ?)",
        [(report_id, utc_iso(at)) for report_id in report_ids],
    )


_UNWARNED_SUBMITTED = """
    FROM reports r
    WHERE r.state = 'submitted' AND r.submitted_at > ?
      AND NOT EXISTS (SELECT 1 FROM not_received_warnings w WHERE w.report_id = r.id)
"""


async def overdue(tx: Tx, submitted_before: datetime, submitted_after: datetime) -> list[int]:
    """Reports filed in the window whose card has not reached the group and whose
    reporter was not warned yet, oldest first."""
    rows = await tx.all(
        "SELECT r.id" + _UNWARNED_SUBMITTED + " AND r.submitted_at <= ? ORDER BY r.submitted_at",
        (utc_iso(submitted_after), utc_iso(submitted_before)),
    )
    return [int(r["id"]) for r in rows]


async def oldest_unwarned(db: Database, submitted_after: datetime) -> datetime | None:
    """When the oldest report still waiting for its card (and not warned) was filed."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT MIN(r.submitted_at) AS t" + _UNWARNED_SUBMITTED,
            (utc_iso(submitted_after),),
        )
    return from_iso(row["t"]) if row and row["t"] else None
