"""The CSV export: one row per report, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import timedelta, tzinfo
from typing import Final

from bot.domain.export.shapes import (
    ExportLabels,
    ExportReport,
    local_iso,
    seconds_between,
    timeline,
)
from bot.domain.lifecycle import RESPONSE_TARGET

CSV_COLUMNS: Final = (
    "ticket",
    "category",
    "category_label",
    "state",
    "disposition",
    "duplicate_of",
    "transfer_to",
    "agency",
    "agency_name",
    "kecamatan",
    "kelurahan",
    "outside_city",
    "region",
    "province",
    "beyond_java",
    "lat",
    "lon",
    "location_text",
    "address",
    "details",
    "phone",
    "language",
    "reporter_id",
    "reporter_role",
    "reporter_community",
    "submitted_at",
    "t0_received_at",
    "t1_claimed_at",
    "t2_dispatched_at",
    "t3_en_route_at",
    "t4_on_scene_at",
    "closed_at",
    "claim_seconds",
    "response_seconds",
    "within_target",
    "rating",
    "rating_comment",
    "timeline",
)

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str | None) -> str:
    """Free text for a spreadsheet: never a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() else repr(value)
    if isinstance(value, str):
        return _safe_text(value)  # every text cell, the phone number (+62…) included
    return str(value)


def csv_row(
    report: ExportReport,
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
    target: timedelta = RESPONSE_TARGET,
) -> dict[str, str]:
    """One report as a CSV row (column → text)."""
    response = seconds_between(report.received_at, report.on_scene_at)
    values: dict[str, object] = {
        "ticket": report.ticket,
        "category": report.category,
        "category_label": labels.category("id", report.category),
        "state": report.state,
        "disposition": report.disposition,
        "duplicate_of": report.duplicate_of,
        "transfer_to": report.transfer_to,
        "agency": report.agency,
        "agency_name": agency_names.get(report.agency, report.agency) if report.agency else None,
        "kecamatan": report.kecamatan,
        "kelurahan": report.kelurahan,
        "outside_city": report.outside_city,
        "region": report.region,
        "province": report.province,
        "beyond_java": report.beyond_java,
        "lat": report.lat,
        "lon": report.lon,
        "location_text": _safe_text(report.location_text),
        "address": _safe_text(report.address),
        "details": _safe_text(report.details),
        "phone": report.phone,
        "language": report.language,
        "reporter_id": report.reporter_id,
        "reporter_role": report.reporter_role,
        "reporter_community": _safe_text(report.reporter_community),
        "submitted_at": local_iso(report.submitted_at, tz),
        "t0_received_at": local_iso(report.received_at, tz),
        "t1_claimed_at": local_iso(report.claimed_at, tz),
        "t2_dispatched_at": local_iso(report.dispatched_at, tz),
        "t3_en_route_at": local_iso(report.en_route_at, tz),
        "t4_on_scene_at": local_iso(report.on_scene_at, tz),
        "closed_at": local_iso(report.closed_at, tz),
        "claim_seconds": seconds_between(report.received_at, report.claimed_at),
        "response_seconds": response,
        "within_target": None if response is None else response <= target.total_seconds(),
        "rating": report.rating,
        "rating_comment": _safe_text(report.rating_comment),
        "timeline": timeline(report, tz),
    }
    return {k: _cell(values[k]) for k in CSV_COLUMNS}


def to_csv(
    reports: Sequence[ExportReport],
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
    target: timedelta = RESPONSE_TARGET,
) -> str:
    """The CSV text (header and one row per report)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for report in reports:
        writer.writerow(csv_row(report, tz, agency_names, labels, target))
    return out.getvalue()
