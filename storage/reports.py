"""The ``reports``, ``attachments`` and ``ticket_counters`` tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.card import ReportChanges
from bot.domain.categories import Category
from bot.domain.duplicates import ReportPoint
from bot.domain.lifecycle import ReportSnapshot, ReportState
from bot.domain.models import (
    Attachment,
    Badge,
    Draft,
    Report,
    Reporter,
    ReportLocation,
    TrustRole,
    format_ticket,
    from_iso,
    utc_iso,
)
from bot.domain.queue import QueueEntry
from storage.db import Database, Row, Tx

CLOSED = ReportState.CLOSED.value


def report_from(row: Row, attachments: Sequence[Row] = ()) -> Report:
    """A report from its row and its attachments' rows."""
    location = None
    if row["location_json"]:
        location = ReportLocation.model_validate_json(row["location_json"])
    elif row["location_source"] is not None:
        location = ReportLocation(
            source=row["location_source"],
            lat=row["lat"],
            lon=row["lon"],
            accuracy_m=row["accuracy_m"],
            text=row["location_text"],
        )
    return Report(
        id=row["id"],
        ticket=row["ticket"],
        reporter_id=row["reporter_id"],
        chat_id=row["chat_id"],
        language=row["language"],
        category=Category(row["category"]),
        state=row["state"],
        location=location,
        details=row["details"],
        phone=row["phone"],
        submitted_at=from_iso(row["submitted_at"]),
        received_at=from_iso(row["received_at"]) if row["received_at"] else None,
        attachments=[
            Attachment(kind=a["kind"], file_id=a["file_id"], file_unique_id=a["file_unique_id"])
            for a in attachments
        ],
        sos=bool(row["sos"]),
        for_someone_else=bool(row["for_someone_else"]),
        anonymous_to_agencies=bool(row["anonymous_to_agencies"]),
        followup_step=row["followup_step"],
        badge=badge_from(row),
    )


def badge_from(row: Row) -> Badge | None:
    """The badge a report was filed with (``trust_role``, ``trust_community``), if any."""
    if row["trust_role"] is None:
        return None
    return Badge(role=TrustRole(row["trust_role"]), community=row["trust_community"] or "—")


async def _report_where(tx: Tx, where: str, params: Sequence[Any]) -> Report | None:
    row = await tx.one(f"SELECT * FROM reports WHERE {where}", params)
    if row is None:
        return None
    atts = await tx.all("SELECT * FROM attachments WHERE report_id = ? ORDER BY id", (row["id"],))
    return report_from(row, atts)


# --- reads -------------------------------------------------------------------------------


async def report_in(tx: Tx, report_id: int) -> Report | None:
    """A report by id, inside a transaction."""
    return await _report_where(tx, "id = ?", (report_id,))


async def get_report(db: Database, report_id: int) -> Report | None:
    """A report by id."""
    async with db.read() as tx:
        return await report_in(tx, report_id)


async def get_report_by_ticket(db: Database, ticket: str) -> Report | None:
    """A report by its ticket number."""
    async with db.read() as tx:
        return await _report_where(tx, "ticket = ?", (ticket,))


async def report_of_draft(tx: Tx, draft_uid: str) -> Report | None:
    """The report a draft became (pressing Send twice files once)."""
    return await _report_where(tx, "draft_uid = ?", (draft_uid,))


async def ticket_of_draft(db: Database, draft_uid: str, reporter_id: int) -> str | None:
    """The ticket of the report a reporter's draft became, if it was sent."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT ticket FROM reports WHERE draft_uid = ? AND reporter_id = ?",
            (draft_uid, reporter_id),
        )
    return str(row["ticket"]) if row else None


async def report_id_by_ticket(db: Database, ticket: str) -> int | None:
    """A report's id from its ticket number."""
    async with db.read() as tx:
        row = await tx.one("SELECT id FROM reports WHERE ticket = ?", (ticket,))
    return int(row["id"]) if row else None


async def open_report_ids(db: Database) -> list[int]:
    """Reports not closed yet (including those whose card is still on its way), oldest first."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT id FROM reports WHERE state != ? ORDER BY submitted_at, id", (CLOSED,)
        )
    return [int(r["id"]) for r in rows]


NO_ALERT = "9999-12-31T23:59:59+00:00"
"""``next_alert_at`` of an open report no timer alert will ever fire for (NULL: not known
yet; the scheduler works it out)."""


async def alerts_to_check(db: Database, now: datetime) -> list[int]:
    """Open reports whose next timer alert is due by ``now`` or not known yet, oldest first."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT id FROM reports WHERE state != ?"
            " AND (next_alert_at IS NULL OR next_alert_at <= ?) ORDER BY submitted_at, id",
            (CLOSED, utc_iso(now)),
        )
    return [int(r["id"]) for r in rows]


async def set_next_alert(tx: Tx, report_id: int, when: datetime | None) -> None:
    """When the report's next timer alert falls due (None: never)."""
    await tx.execute(
        "UPDATE reports SET next_alert_at = ? WHERE id = ?",
        (utc_iso(when) if when is not None else NO_ALERT, report_id),
    )


async def next_alert(db: Database) -> datetime | None:
    """The soonest known timer alert of any open report."""
    async with db.read() as tx:
        row = await tx.one(
            "SELECT MIN(next_alert_at) AS due FROM reports WHERE state != ? AND next_alert_at < ?",
            (CLOSED, NO_ALERT),
        )
    return from_iso(row["due"]) if row is not None and row["due"] is not None else None


async def forget_alert_schedule(db: Database) -> None:
    """Work every open report's next alert out again (the timer policy may have changed)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE reports SET next_alert_at = NULL"
            " WHERE state != ? AND next_alert_at IS NOT NULL",
            (CLOSED,),
        )


async def open_queue(db: Database) -> list[QueueEntry]:
    """Reports not closed yet, with what their order needs (see :mod:`bot.domain.queue`);
    they wait from their card's arrival, or from Send while it is on its way."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT id, category, sos, trust_role, COALESCE(received_at, submitted_at) AS since"
            " FROM reports WHERE state != ?",
            (CLOSED,),
        )
    return [
        QueueEntry(
            report_id=int(r["id"]),
            category=Category(r["category"]),
            sos=bool(r["sos"]),
            trusted=r["trust_role"] is not None,
            since=from_iso(r["since"]),
        )
        for r in rows
    ]


async def open_reports_near(tx: Tx, category: str, since: datetime) -> list[ReportPoint]:
    """Open reports of a category submitted since a time that have coordinates."""
    rows = await tx.all(
        "SELECT ticket, submitted_at, lat, lon FROM reports WHERE category = ?"
        " AND state != ? AND submitted_at >= ? AND lat IS NOT NULL",
        (category, CLOSED, utc_iso(since)),
    )
    return [
        ReportPoint(
            ticket=r["ticket"],
            category=category,
            at=from_iso(r["submitted_at"]),
            lat=r["lat"],
            lon=r["lon"],
        )
        for r in rows
    ]


async def latest_open_report_in(tx: Tx, reporter_id: int) -> Report | None:
    """The reporter's most recent report that is not closed, inside a transaction."""
    return await _report_where(
        tx,
        "reporter_id = ? AND state != ? ORDER BY submitted_at DESC LIMIT 1",
        (reporter_id, CLOSED),
    )


async def latest_open_report(db: Database, reporter_id: int) -> Report | None:
    """The reporter's most recent report that is not closed."""
    async with db.read() as tx:
        return await latest_open_report_in(tx, reporter_id)


async def followup_report(db: Database, reporter_id: int) -> Report | None:
    """The reporter's open SOS report that still has a question pending."""
    async with db.read() as tx:
        return await _report_where(
            tx,
            "reporter_id = ? AND state != ? AND followup_step IS NOT NULL"
            " ORDER BY submitted_at DESC LIMIT 1",
            (reporter_id, CLOSED),
        )


async def reports_since(tx: Tx, reporter_id: int, since: datetime) -> int:
    """How many reports a person filed since a time (per-reporter limit)."""
    row = await tx.one(
        "SELECT COUNT(*) AS n FROM reports WHERE reporter_id = ? AND submitted_at >= ?",
        (reporter_id, utc_iso(since)),
    )
    return int(row["n"]) if row else 0


async def reports_of(db: Database, reporter_id: int, limit: int = 10) -> list[Report]:
    """A reporter's latest reports, newest first."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT * FROM reports WHERE reporter_id = ? ORDER BY submitted_at DESC LIMIT ?",
            (reporter_id, limit),
        )
    return [report_from(r) for r in rows]


async def live_report_id(tx: Tx, chat_id: int, message_id: int) -> int | None:
    """The open report that follows a live-location message, if any."""
    row = await tx.one(
        "SELECT id FROM reports WHERE chat_id = ? AND live_message_id = ? AND state != ?",
        (chat_id, message_id, CLOSED),
    )
    return int(row["id"]) if row else None


async def card_columns(tx: Tx, report_id: int) -> Row:
    """A report's card bookkeeping with its reporter's row: ``card_outbox_id``,
    ``possible_duplicate_of`` and every ``reporters`` column. LookupError if no report."""
    row = await tx.one(
        "SELECT r.card_outbox_id, r.possible_duplicate_of, p.*"
        " FROM reports r JOIN reporters p ON p.user_id = r.reporter_id WHERE r.id = ?",
        (report_id,),
    )
    if row is None:
        raise LookupError(f"no report {report_id}")
    return row


# --- writes ------------------------------------------------------------------------------


async def next_ticket(tx: Tx, city_code: str, local_day: str) -> str:
    """The next ticket number of a local day (``YYYY-MM-DD``)."""
    row = await tx.one(
        "INSERT INTO ticket_counters (day, last_seq) VALUES (?, 1)"
        " ON CONFLICT (day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
        (local_day,),
    )
    assert row is not None
    return format_ticket(city_code, datetime.fromisoformat(local_day).date(), row["last_seq"])


async def insert_report(
    tx: Tx,
    draft: Draft,
    reporter: Reporter,
    ticket: str,
    now: datetime,
    *,
    followup_step: str | None,
    possible_duplicate_of: str | None,
) -> int:
    """Store a complete draft as a new report (state SUBMITTED); returns its id."""
    loc = draft.location
    if draft.category is None or loc is None:
        raise ValueError("draft is not complete")
    report_id = await tx.insert(
        """
        INSERT INTO reports (ticket, draft_uid, reporter_id, chat_id, language, category,
                             state, location_source, lat, lon, accuracy_m, location_text,
                             details, phone, submitted_at, updated_at, location_json,
                             kecamatan, kelurahan, outside_city, address, live_message_id,
                             sos, for_someone_else, anonymous_to_agencies, followup_step,
                             possible_duplicate_of)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            ticket,
            draft.uid,
            reporter.user_id,
            draft.chat_id,
            reporter.lang,
            draft.category.value,
            ReportState.SUBMITTED.value,
            loc.source.value,
            loc.lat,
            loc.lon,
            loc.accuracy_m,
            loc.text,
            draft.details,
            draft.phone,
            utc_iso(now),
            utc_iso(now),
            loc.model_dump_json(exclude_none=True),
            loc.kecamatan,
            loc.kelurahan,
            int(loc.outside_city),
            loc.address,
            loc.live_message_id,
            int(draft.sos),
            int(draft.for_someone_else),
            int(draft.anonymous_to_agencies),
            followup_step,
            possible_duplicate_of,
        ),
    )
    await add_attachments(tx, report_id, draft.attachments, now)
    return report_id


async def add_attachments(
    tx: Tx, report_id: int, attachments: Sequence[Attachment], now: datetime
) -> None:
    """Attach files to a report (a file already attached is kept once)."""
    await tx.executemany(
        "INSERT OR IGNORE INTO attachments (report_id, kind, file_id, file_unique_id,"
        " created_at) VALUES (?, ?, ?, ?, ?)",
        [(report_id, a.kind.value, a.file_id, a.file_unique_id, utc_iso(now)) for a in attachments],
    )


def _opt_iso(moment: datetime | None) -> str | None:
    return utc_iso(moment) if moment is not None else None


async def store_snapshot(tx: Tx, report_id: int, snap: ReportSnapshot) -> None:
    """Keep the report's columns equal to the replay of its events."""
    await tx.execute(
        """
        UPDATE reports SET state = ?, received_at = ?, claimed_at = ?, dispatched_at = ?,
            en_route_at = ?, on_scene_at = ?, closed_at = ?, claimed_by = ?,
            claimed_by_name = ?, agency = ?, disposition = ?, duplicate_of = ?,
            transfer_to = ?, updated_at = ?, next_alert_at = NULL
        WHERE id = ?
        """,
        (
            snap.state.value,
            _opt_iso(snap.received_at),
            _opt_iso(snap.claimed_at),
            _opt_iso(snap.dispatched_at),
            _opt_iso(snap.en_route_at),
            _opt_iso(snap.on_scene_at),
            _opt_iso(snap.closed_at),
            snap.claimed_by.user_id if snap.claimed_by else None,
            snap.claimed_by.name if snap.claimed_by else None,
            snap.agency,
            snap.disposition.value if snap.disposition else None,
            snap.duplicate_of,
            snap.transfer_to,
            _opt_iso(snap.updated_at),
            report_id,
        ),
    )


async def set_card_outbox(tx: Tx, report_id: int, outbox_id: int) -> None:
    """The outbox row whose message is the report's card in the dispatchers' group."""
    await tx.execute("UPDATE reports SET card_outbox_id = ? WHERE id = ?", (outbox_id, report_id))


async def set_location(tx: Tx, report_id: int, location: ReportLocation, now: datetime) -> None:
    """The report's new location (a live-location update), with its area."""
    await tx.execute(
        "UPDATE reports SET location_json = ?, lat = ?, lon = ?, accuracy_m = ?,"
        " kecamatan = ?, kelurahan = ?, outside_city = ?, address = ?, updated_at = ?"
        " WHERE id = ?",
        (
            location.model_dump_json(exclude_none=True),
            location.lat,
            location.lon,
            location.accuracy_m,
            location.kecamatan,
            location.kelurahan,
            int(location.outside_city),
            location.address,
            utc_iso(now),
            report_id,
        ),
    )


async def apply_changes(
    tx: Tx, report_id: int, current: Report, changes: ReportChanges, now: datetime
) -> None:
    """Store what a later message adds to a report (never removes anything)."""
    sets: list[str] = ["updated_at = ?"]
    params: list[Any] = [utc_iso(now)]
    if changes.category is not None:
        sets.append("category = ?")
        params.append(changes.category.value)
    if (details := changes.details_after(current.details)) is not None:
        sets.append("details = ?")
        params.append(details)
    if changes.phone is not None:
        sets.append("phone = ?")
        params.append(changes.phone)
    if changes.for_someone_else is not None:
        sets.append("for_someone_else = ?")
        params.append(int(changes.for_someone_else))
    if changes.changes_followup:
        sets.append("followup_step = ?")
        params.append(changes.next_followup)
    await tx.execute(f"UPDATE reports SET {', '.join(sets)} WHERE id = ?", (*params, report_id))
    await add_attachments(tx, report_id, changes.attachments or [], now)
