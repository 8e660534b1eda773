"""The Open311 GeoReport v2 export (public-facing: no reporter id, name or phone)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from bot.domain.export.shapes import (
    ExportLabels,
    ExportReport,
    address_of,
    local_iso,
    status_notes,
)
from bot.domain.models import Language


def open311_request(
    report: ExportReport,
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
    lang: Language = "id",
) -> dict[str, Any]:
    """One GeoReport v2 service request (no reporter id, name or phone)."""
    return {
        "service_request_id": report.ticket,
        "status": "closed" if report.state == "closed" else "open",
        "status_notes": status_notes(report, labels, lang),
        "service_name": labels.category(lang, report.category),
        "service_code": report.category,
        "description": report.details or "",
        "agency_responsible": (
            agency_names.get(report.agency, report.agency) if report.agency else None
        ),
        "service_notice": None,
        "requested_datetime": local_iso(report.submitted_at, tz),
        "updated_datetime": local_iso(report.closed_at or report.updated_at, tz),
        "expected_datetime": None,
        "address": address_of(report),
        "address_id": None,
        "zipcode": None,
        "lat": report.lat,
        "long": report.lon,
        "media_url": None,
    }


def to_open311(
    reports: Sequence[ExportReport],
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
    lang: Language = "id",
) -> str:
    """A GeoReport v2 ``requests.json`` document."""
    return json.dumps(
        [open311_request(r, tz, agency_names, labels, lang) for r in reports],
        ensure_ascii=False,
        indent=2,
    )
