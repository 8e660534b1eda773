"""Queries behind statistics and exports (read only).

Time ranges are half-open ``[start, end)`` on ``reports.submitted_at`` (ISO 8601 UTC text,
which sorts like time). The statistics query reads only the covering index
``reports_stats`` (migration 0004).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from bot.domain.export import ExportEvent, ExportReport
from bot.domain.models import from_iso, utc_iso
from bot.domain.stats import ReportFact
from storage.db import Database, Row


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


def _export_event(e: Row) -> ExportEvent:
    return ExportEvent(
        kind=e["kind"],
        at=from_iso(e["at"]),
        actor_kind=e["actor_kind"],
        actor_name=e["actor_name"],
        note=e["note"],
        data=json.loads(e["data"]) if e["data"] else {},
    )


def _export_report(r: Row, events: tuple[ExportEvent, ...]) -> ExportReport:
    return ExportReport(
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
        reporter_role=r["trust_role"],
        reporter_community=r["trust_community"],
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
        events=events,
    )


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
        events[e["report_id"]].append(_export_event(e))
    return [_export_report(r, tuple(events.get(r["id"], ()))) for r in rows]
