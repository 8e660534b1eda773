"""Retention of personal data (Indonesia's UU 27/2022 on personal data protection).

A report closed longer than the retention period keeps what statistics need — category,
kecamatan / kelurahan, agency, disposition, every timestamp and state change — and loses
what identifies a person: the description, phone, typed address, exact point (rounded
to about a kilometre, :mod:`bot.domain.retention`), attachments, message links, outbound
message bodies and the reporter's name in the timeline. A reporter with no report left
inside the period loses name, username and phone too.

A trusted role is personal data under the same rule: a purged report keeps the role it
was filed with (statistics) but not its community; a role revoked longer ago than the
period is deleted once none of the person's reports is kept whole, and the audit log then
keeps what happened and when, not the person's name. A person with a live role (active,
or suspended pending review) keeps their name: the dispatchers' list shows it.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.domain.lifecycle import ReportState
from bot.domain.models import ReportLocation, from_iso, utc_iso
from bot.domain.retention import COARSE_DECIMALS, coarsen
from storage.db import Tx


async def closed_before(tx: Tx, cutoff: datetime) -> list[tuple[int, int]]:
    """(report id, reporter id) of reports closed before ``cutoff`` and not yet purged."""
    rows = await tx.all(
        "SELECT id, reporter_id FROM reports"
        " WHERE state = ? AND closed_at < ? AND purged_at IS NULL",
        (ReportState.CLOSED.value, utc_iso(cutoff)),
    )
    return [(int(r["id"]), int(r["reporter_id"])) for r in rows]


def _coarse_json(location_json: str | None) -> str | None:
    if not location_json:
        return None
    loc = coarsen(ReportLocation.model_validate_json(location_json))
    return loc.model_dump_json(exclude_none=True)


async def purge_report(tx: Tx, report_id: int, now: datetime) -> None:
    """Remove what identifies a person from one report and everything hanging on it."""
    row = await tx.one("SELECT location_json FROM reports WHERE id = ?", (report_id,))
    location_json = row["location_json"] if row else None
    await tx.execute(
        "UPDATE reports SET details = NULL, phone = NULL, location_text = NULL,"
        " address = NULL, live_message_id = NULL, accuracy_m = NULL, trust_community = NULL,"
        " lat = ROUND(lat, ?), lon = ROUND(lon, ?), location_json = ?, purged_at = ?"
        " WHERE id = ?",
        (COARSE_DECIMALS, COARSE_DECIMALS, _coarse_json(location_json), utc_iso(now), report_id),
    )
    await tx.execute("DELETE FROM attachments WHERE report_id = ?", (report_id,))
    await tx.execute("DELETE FROM message_map WHERE report_id = ?", (report_id,))
    # Message bodies go; anything still queued for a long-closed report is stale.
    await tx.execute(
        "UPDATE outbox SET payload = ?, status = CASE WHEN status IN"
        " ('pending', 'sending') THEN 'superseded' ELSE status END WHERE report_id = ?",
        (json.dumps({"purged": True}), report_id),
    )
    await tx.execute(
        "UPDATE report_events SET actor_name = NULL, note = NULL"
        " WHERE report_id = ? AND actor_kind = 'reporter'",
        (report_id,),
    )
    await tx.execute("UPDATE ratings SET comment = NULL WHERE report_id = ?", (report_id,))


async def purge_reporter_if_done(tx: Tx, reporter_id: int) -> bool:
    """Forget a reporter's name, username and phone once none of their reports is kept
    whole and they hold no live trusted role; True if forgotten now."""
    recent = await tx.one(
        "SELECT 1 FROM reports WHERE reporter_id = ? AND purged_at IS NULL"
        " UNION ALL SELECT 1 FROM trusted_reporters WHERE user_id = ? AND status != 'revoked'"
        " LIMIT 1",
        (reporter_id, reporter_id),
    )
    if recent is not None:
        return False
    await tx.execute(
        "UPDATE reporters SET first_name = '—', last_name = NULL, username = NULL,"
        " phone = NULL WHERE user_id = ?",
        (reporter_id,),
    )
    return True


async def latest_activity(tx: Tx) -> datetime | None:
    """The newest moment the database recorded anything happening to a report."""
    row = await tx.one("SELECT max(at) AS at FROM report_events")
    return from_iso(row["at"]) if row is not None and row["at"] else None


async def idle_reporters(tx: Tx, cutoff: datetime) -> list[int]:
    """People last seen before ``cutoff`` (e.g. who only pressed /start) with no report
    kept whole and no draft, whose name is not forgotten yet."""
    rows = await tx.all(
        "SELECT user_id FROM reporters p WHERE updated_at < ? AND first_name != '—'"
        " AND NOT EXISTS (SELECT 1 FROM reports r"
        "                 WHERE r.reporter_id = p.user_id AND r.purged_at IS NULL)"
        " AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.user_id = p.user_id)"
        " AND NOT EXISTS (SELECT 1 FROM trusted_reporters t"
        "                 WHERE t.user_id = p.user_id AND t.status != 'revoked')",
        (utc_iso(cutoff),),
    )
    return [int(r["user_id"]) for r in rows]


async def forget_roles(tx: Tx, cutoff: datetime) -> int:
    """Delete roles revoked before ``cutoff`` of people with no report kept whole, and
    blank the names in audit-log lines before it of people with no live role; returns how
    many roles were deleted."""
    revoked = await tx.all(
        "SELECT user_id FROM trusted_reporters t WHERE status = 'revoked' AND changed_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM reports r"
        "                 WHERE r.reporter_id = t.user_id AND r.purged_at IS NULL)",
        (utc_iso(cutoff),),
    )
    for row in revoked:
        await tx.execute("DELETE FROM trusted_reporters WHERE user_id = ?", (row["user_id"],))
    await tx.execute(
        "UPDATE trust_events SET subject_name = NULL WHERE at < ? AND subject_name IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM trusted_reporters t"
        "                 WHERE t.user_id = trust_events.subject_id AND t.status != 'revoked')",
        (utc_iso(cutoff),),
    )
    return len(revoked)
