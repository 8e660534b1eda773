"""Retention of personal data (Indonesia's UU 27/2022 on personal data protection).

A report closed longer than the retention period keeps what statistics need — category,
kecamatan / kelurahan, agency, disposition, every timestamp and state change — and loses
what identifies a person: the description, phone, typed address, exact point (rounded
to about a kilometre), attachments, message links, outbound message bodies and the
reporter's name in the timeline. A reporter with no report left inside the period loses
name, username and phone too.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.lifecycle import ReportState
from bot.domain.models import ReportLocation, utc_iso
from storage.db import Database

COARSE_DECIMALS = 2  # about 1.1 km at Semarang's latitude


def coarsen(location_json: str | None) -> str | None:
    """A stored location without what points to a person: area kept, point rounded."""
    if not location_json:
        return None
    loc = ReportLocation.model_validate_json(location_json)
    lat = round(loc.lat, COARSE_DECIMALS) if loc.lat is not None else None
    lon = round(loc.lon, COARSE_DECIMALS) if loc.lon is not None else None
    kept = loc.model_copy(
        update={
            "lat": lat,
            "lon": lon,
            "accuracy_m": None,
            "text": "—" if loc.text and lat is None else None,
            "address": None,
            "live_message_id": None,
            "approximate": True,
        }
    )
    return kept.model_dump_json(exclude_none=True)


async def purge(db: Database, cutoff: datetime, now: datetime) -> int:
    """Purge reports closed before ``cutoff``; returns how many were purged now."""
    async with db.transaction() as tx:
        rows = await tx.all(
            "SELECT id, reporter_id, location_json FROM reports"
            " WHERE state = ? AND closed_at < ? AND purged_at IS NULL",
            (ReportState.CLOSED.value, utc_iso(cutoff)),
        )
        for row in rows:
            rid = row["id"]
            await tx.execute(
                "UPDATE reports SET details = NULL, phone = NULL, location_text = NULL,"
                " address = NULL, live_message_id = NULL, accuracy_m = NULL,"
                " lat = ROUND(lat, ?), lon = ROUND(lon, ?), location_json = ?, purged_at = ?"
                " WHERE id = ?",
                (
                    COARSE_DECIMALS,
                    COARSE_DECIMALS,
                    coarsen(row["location_json"]),
                    utc_iso(now),
                    rid,
                ),
            )
            await tx.execute("DELETE FROM attachments WHERE report_id = ?", (rid,))
            await tx.execute("DELETE FROM message_map WHERE report_id = ?", (rid,))
            # Message bodies go; anything still queued for a long-closed report is stale.
            await tx.execute(
                "UPDATE outbox SET payload = ?, status = CASE WHEN status IN"
                " ('pending', 'sending') THEN 'superseded' ELSE status END WHERE report_id = ?",
                (json.dumps({"purged": True}), rid),
            )
            await tx.execute(
                "UPDATE report_events SET actor_name = NULL, note = NULL"
                " WHERE report_id = ? AND actor_kind = 'reporter'",
                (rid,),
            )
            await tx.execute("UPDATE ratings SET comment = NULL WHERE report_id = ?", (rid,))
        reporters = {row["reporter_id"] for row in rows}
        for reporter_id in reporters:
            recent = await tx.one(
                "SELECT 1 FROM reports WHERE reporter_id = ? AND purged_at IS NULL LIMIT 1",
                (reporter_id,),
            )
            if recent is None:
                await tx.execute(
                    "UPDATE reporters SET first_name = '—', last_name = NULL, username = NULL,"
                    " phone = NULL WHERE user_id = ?",
                    (reporter_id,),
                )
    return len(rows)
