"""Locations waiting for their reporter's answer: an update to the open report, or a new
emergency (``pending_locations``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import ReportLocation, from_iso, utc_iso
from storage.db import Tx


@dataclass(frozen=True)
class PendingLocation:
    """A location message and the open report it may update."""

    id: int
    chat_id: int
    message_id: int
    reporter_id: int
    report_id: int
    location: ReportLocation
    created_at: datetime


async def add(
    tx: Tx,
    chat_id: int,
    message_id: int,
    reporter_id: int,
    report_id: int,
    location: ReportLocation,
    now: datetime,
) -> int | None:
    """Keep a location until it is answered; None when this message is already kept
    (delivered twice)."""
    exists = await tx.one(
        "SELECT id FROM pending_locations WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    if exists is not None:
        return None
    return await tx.insert(
        "INSERT INTO pending_locations"
        " (chat_id, message_id, reporter_id, report_id, location_json, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            chat_id,
            message_id,
            reporter_id,
            report_id,
            location.model_dump_json(exclude_none=True),
            utc_iso(now),
        ),
    )


async def get(tx: Tx, pending_id: int) -> PendingLocation | None:
    """A kept location, or None (answered, expired or never there)."""
    row = await tx.one("SELECT * FROM pending_locations WHERE id = ?", (pending_id,))
    if row is None:
        return None
    return PendingLocation(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        message_id=int(row["message_id"]),
        reporter_id=int(row["reporter_id"]),
        report_id=int(row["report_id"]),
        location=ReportLocation.model_validate_json(row["location_json"]),
        created_at=from_iso(row["created_at"]),
    )


async def remove(tx: Tx, pending_id: int) -> bool:
    """Forget a kept location once answered; False when it was already gone."""
    cursor = await tx.execute("DELETE FROM pending_locations WHERE id = ?", (pending_id,))
    return bool(cursor.rowcount)


async def forget_before(tx: Tx, cutoff: datetime) -> None:
    """Forget locations nobody answered since ``cutoff`` (they are personal data)."""
    await tx.execute("DELETE FROM pending_locations WHERE created_at < ?", (utc_iso(cutoff),))
