"""Queries behind statistics, exports, ratings and the posted-summary record.

Time ranges are half-open ``[start, end)`` on ``reports.submitted_at`` (ISO 8601 UTC text,
which sorts like time). The statistics query reads only the covering index
``reports_stats`` (migration 0004).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.export import ExportEvent, ExportReport
from bot.domain.lifecycle import Disposition, ReportState
from bot.domain.models import Language, from_iso, utc_iso
from bot.domain.stats import ReportFact
from storage.db import Database, Row, Tx
from storage.outbox import OutboundMessage, enqueue

RATEABLE: frozenset[str] = frozenset(
    {
        Disposition.RESOLVED.value,
        Disposition.TRANSFERRED.value,
        Disposition.FALSE_ALARM.value,
        Disposition.NO_FURTHER_ACTION.value,
    }
)
"""Closed reports a reporter is asked to rate (not prank, duplicate or their own cancel)."""


def _opt(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


# --- statistics --------------------------------------------------------------------------

# Durations are computed by SQLite, to the millisecond: julianday() keeps times as whole
# milliseconds, so rounding the difference to ms is exact. Parsing only submitted_at keeps
# a month of reports (~40,000 rows) well under a second. The reports inside the city are
# read from the covering index alone; the few outside it are read with their row, which
# holds their kabupaten/kota (``region``, migration 0009).
_FACT_COLUMNS = """
    SELECT r.submitted_at, r.category, r.kecamatan, r.outside_city, r.agency, r.disposition,
           round((julianday(r.claimed_at) - julianday(r.received_at)) * 86400000.0) / 1000.0,
           round((julianday(r.on_scene_at) - julianday(r.received_at)) * 86400000.0) / 1000.0,
           g.stars"""
_FACTS_SQL = (
    _FACT_COLUMNS
    + """
    FROM reports r INDEXED BY reports_stats
    LEFT JOIN ratings g ON g.report_id = r.id
    WHERE r.submitted_at >= ? AND r.submitted_at < ? AND r.outside_city = 0
"""
)
_OUTSIDE_FACTS_SQL = (
    _FACT_COLUMNS
    + """, r.region, r.beyond_java
    FROM reports r INDEXED BY reports_stats
    LEFT JOIN ratings g ON g.report_id = r.id
    WHERE r.submitted_at >= ? AND r.submitted_at < ? AND r.outside_city = 1
"""
)


async def report_facts(db: Database, start: datetime, end: datetime) -> list[ReportFact]:
    """What the statistics need of every report submitted in ``[start, end)``."""
    bounds = (utc_iso(start), utc_iso(end))
    async with db.read() as tx:
        rows = await tx.all(_FACTS_SQL, bounds)
        outside = await tx.all(_OUTSIDE_FACTS_SQL, bounds)
    facts = [
        ReportFact(from_iso(r[0]), r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7], r[8])
        for r in rows
    ]
    facts.extend(
        ReportFact(
            from_iso(r[0]), r[1], r[2], True, r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10])
        )
        for r in outside
    )
    return facts


# --- exports -----------------------------------------------------------------------------


async def export_reports(db: Database, start: datetime, end: datetime) -> list[ExportReport]:
    """Every report submitted in ``[start, end)`` with its timeline, oldest first."""
    bounds = (utc_iso(start), utc_iso(end))
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT r.*, g.stars, g.comment FROM reports r"
            " LEFT JOIN ratings g ON g.report_id = r.id"
            " WHERE r.submitted_at >= ? AND r.submitted_at < ? ORDER BY r.submitted_at, r.id",
            bounds,
        )
        event_rows = await tx.all(
            "SELECT e.* FROM report_events e JOIN reports r ON r.id = e.report_id"
            " WHERE r.submitted_at >= ? AND r.submitted_at < ? ORDER BY e.report_id, e.id",
            bounds,
        )
    events: dict[int, list[ExportEvent]] = defaultdict(list)
    for e in event_rows:
        events[e["report_id"]].append(
            ExportEvent(
                kind=e["kind"],
                at=from_iso(e["at"]),
                actor_kind=e["actor_kind"],
                actor_name=e["actor_name"],
                note=e["note"],
                data=json.loads(e["data"]) if e["data"] else {},
            )
        )
    return [
        ExportReport(
            id=r["id"],
            ticket=r["ticket"],
            category=r["category"],
            state=r["state"],
            disposition=r["disposition"],
            duplicate_of=r["duplicate_of"],
            transfer_to=r["transfer_to"],
            agency=r["agency"],
            kecamatan=r["kecamatan"],
            kelurahan=r["kelurahan"],
            outside_city=bool(r["outside_city"]),
            region=r["region"],
            province=r["province"],
            beyond_java=bool(r["beyond_java"]),
            lat=r["lat"],
            lon=r["lon"],
            location_text=r["location_text"],
            address=r["address"],
            details=r["details"],
            phone=r["phone"],
            language=r["language"],
            reporter_id=r["reporter_id"],
            submitted_at=from_iso(r["submitted_at"]),
            received_at=_opt(r["received_at"]),
            claimed_at=_opt(r["claimed_at"]),
            dispatched_at=_opt(r["dispatched_at"]),
            en_route_at=_opt(r["en_route_at"]),
            on_scene_at=_opt(r["on_scene_at"]),
            closed_at=_opt(r["closed_at"]),
            updated_at=from_iso(r["updated_at"]),
            rating=r["stars"],
            rating_comment=r["comment"],
            events=tuple(events.get(r["id"], ())),
        )
        for r in rows
    ]


# --- ratings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rated:
    """A stored rating: which ticket, how many stars."""

    ticket: str
    stars: int


async def save_rating(
    db: Database,
    report_id: int,
    reporter_id: int,
    stars: int,
    now: datetime,
    comment_window: timedelta,
) -> Rated | None:
    """Store (or change) a reporter's stars for their closed report; a comment is then
    awaited for ``comment_window``. None if the report is not theirs or not rateable."""
    if not 1 <= stars <= 5:
        raise ValueError("stars must be 1 to 5")
    async with db.transaction() as tx:
        row = await tx.one(
            "SELECT ticket, state, disposition FROM reports WHERE id = ? AND reporter_id = ?",
            (report_id, reporter_id),
        )
        if (
            row is None
            or row["state"] != ReportState.CLOSED.value
            or row["disposition"] not in RATEABLE
        ):
            return None
        await tx.execute(
            "INSERT INTO ratings (report_id, reporter_id, stars, rated_at, comment_until)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id) DO UPDATE SET"
            " stars = excluded.stars, rated_at = excluded.rated_at,"
            " comment_until = excluded.comment_until",
            (report_id, reporter_id, stars, utc_iso(now), utc_iso(now + comment_window)),
        )
    return Rated(row["ticket"], stars)


async def _awaiting(tx: Tx, reporter_id: int, chat_id: int, now: datetime) -> Row | None:
    return await tx.one(
        "SELECT g.report_id, r.ticket, r.language"
        " FROM ratings g JOIN reports r ON r.id = g.report_id"
        " WHERE g.reporter_id = ? AND g.comment_until IS NOT NULL AND g.comment_until > ?"
        " AND NOT EXISTS (SELECT 1 FROM drafts WHERE chat_id = ?)"
        " ORDER BY g.rated_at DESC LIMIT 1",
        (reporter_id, utc_iso(now), chat_id),
    )


async def take_comment(
    db: Database, reporter_id: int, chat_id: int, text: str, now: datetime
) -> tuple[str, Language] | None:
    """Store ``text`` as the comment of the rating awaiting one (none while the reporter
    writes a new report); returns the ticket and the report's language, or None if no
    comment is awaited."""
    async with db.transaction() as tx:
        row = await _awaiting(tx, reporter_id, chat_id, now)
        if row is None:
            return None
        await tx.execute(
            "UPDATE ratings SET comment = ?, comment_until = NULL WHERE report_id = ?",
            (text.strip()[:1000], row["report_id"]),
        )
    lang: Language = "en" if row["language"] == "en" else "id"
    return str(row["ticket"]), lang


async def skip_comment(db: Database, report_id: int, reporter_id: int) -> bool:
    """The reporter declined to comment; True if a comment was awaited."""
    async with db.transaction() as tx:
        cur = await tx.execute(
            "UPDATE ratings SET comment_until = NULL WHERE report_id = ? AND reporter_id = ?"
            " AND comment_until IS NOT NULL",
            (report_id, reporter_id),
        )
        return bool(cur.rowcount)


async def rating_of(db: Database, report_id: int) -> tuple[int, str | None] | None:
    """A report's stars and comment, if rated."""
    async with db.read() as tx:
        row = await tx.one("SELECT stars, comment FROM ratings WHERE report_id = ?", (report_id,))
    return (int(row["stars"]), row["comment"]) if row else None


# --- posted summaries --------------------------------------------------------------------


async def record_summary(
    db: Database, kind: str, period: str, messages: list[OutboundMessage], now: datetime
) -> bool:
    """Queue a summary once per (kind, period): record and messages in one transaction.

    Returns False (queuing nothing) when that summary was already recorded.
    """
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO summaries (kind, period, posted_at) VALUES (?, ?, ?)"
            " ON CONFLICT (kind, period) DO NOTHING",
            (kind, period, utc_iso(now)),
        )
        if not cur.rowcount:
            return False
        ids = await enqueue(tx, messages, now)
        if ids:
            await tx.execute(
                "UPDATE summaries SET outbox_id = ? WHERE kind = ? AND period = ?",
                (ids[0], kind, period),
            )
    return True


async def summary_recorded(db: Database, kind: str, period: str) -> bool:
    """True if that summary was already queued."""
    async with db.read() as tx:
        row = await tx.one("SELECT 1 FROM summaries WHERE kind = ? AND period = ?", (kind, period))
    return row is not None
