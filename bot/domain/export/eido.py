"""The NENA EIDO-shaped export (best effort; no reporter data)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any, Final

from bot.domain.export.shapes import (
    SYSTEM_URN,
    ExportLabels,
    ExportReport,
    address_of,
    event_detail,
    local_iso,
    status_notes,
)

EIDO_INCIDENT_TYPE: Final[Mapping[str, str]] = {
    "medical_emergency": "Medical",
    "ambulance_hebat": "Medical",
    "crime": "Law Enforcement",
    "disaster": "Natural Disaster",
    "fire": "Fire",
    "traffic_accident": "Traffic Collision",
    "security_public_order": "Public Disturbance",
    "wild_animal_evacuation": "Animal",
    "fallen_tree": "Public Service",
    "electrical_short_circuit": "Hazard",
    "corpse_found": "Death Investigation",
    "other": "Other",
}
EIDO_STATUS: Final[Mapping[str, str]] = {
    "submitted": "Pending",
    "received": "Received",
    "claimed": "Received",
    "dispatched": "Dispatched",
    "en_route": "Enroute",
    "on_scene": "On Scene",
    "closed": "Closed",
}


def _incident(
    report: ExportReport, tz: tzinfo, updated: str | None, labels: ExportLabels
) -> dict[str, Any]:
    t = report.ticket
    incident: dict[str, Any] = {
        "$id": f"incident-{t}",
        "incidentTrackingIdentifier": f"urn:semarang112:incident:{t}",
        "lastUpdateTimeStamp": updated,
        "incidentTypeCommonRegistryText": [EIDO_INCIDENT_TYPE.get(report.category, "Other")],
        "incidentTypeInternalCode": report.category,
        "incidentTypeInternalText": labels.category("en", report.category),
        "incidentStatusCommonRegistryText": [EIDO_STATUS.get(report.state, "Received")],
        "incidentCreationTimestamp": local_iso(report.submitted_at, tz),
        "locationReference": [{"$ref": f"#location-{t}"}],
        "agencyReference": [{"$ref": f"#agency-{key}"} for key in report.agencies],
    }
    if report.disposition is not None:
        incident["disposition"] = [
            {
                "dispositionPrimaryIndicator": True,
                "dispositionDescriptionText": report.disposition,
                "dispositionNoteText": status_notes(report, labels, "en"),
            }
        ]
    return incident


def _notes(report: ExportReport, tz: tzinfo) -> list[dict[str, Any]]:
    """The reporter's description, then one note per timeline event."""
    t = report.ticket
    notes: list[dict[str, Any]] = []
    if report.details:
        notes.append(
            {
                "$id": f"note-{t}-0",
                "noteDateTimeStamp": local_iso(report.submitted_at, tz),
                "noteText": report.details,
            }
        )
    for i, e in enumerate(report.events, start=1):
        notes.append(
            {
                "$id": f"note-{t}-{i}",
                "noteDateTimeStamp": local_iso(e.at, tz),
                "noteText": f"{e.kind}{event_detail(e)}",
                "noteActorKind": e.actor_kind,
            }
        )
    return notes


def _location(report: ExportReport) -> dict[str, Any]:
    return {
        "$id": f"location-{report.ticket}",
        "locationByValue": {
            "latitude": report.lat,
            "longitude": report.lon,
            "civicAddressText": address_of(report),
            "kecamatan": report.kecamatan,
            "kelurahan": report.kelurahan,
            "kabupatenKota": report.region,
            "province": report.province,
            "country": "ID",
        },
    }


def eido_message(
    report: ExportReport, tz: tzinfo, agency_names: Mapping[str, str], labels: ExportLabels
) -> dict[str, Any]:
    """One report as an EIDO-shaped message (no reporter data)."""
    t = report.ticket
    updated = local_iso(report.closed_at or report.updated_at, tz)
    return {
        "$id": f"urn:semarang112:eido:{t}",
        "eidoMessageIdentifier": f"urn:semarang112:eido:{t}:{updated}",
        "lastUpdateTimeStamp": updated,
        "sendingSystemIdentifier": SYSTEM_URN,
        "incidentComponent": _incident(report, tz, updated, labels),
        "callComponent": [
            {
                "$id": f"call-{t}",
                "callIdentifier": t,
                "callTypeDescriptionText": "Telegram",
                "callStartTimestamp": local_iso(report.submitted_at, tz),
                "callReceivedTimestamp": local_iso(report.received_at, tz),
            }
        ],
        "locationComponent": [_location(report)],
        "agencyComponent": [
            {
                "$id": f"agency-{key}",
                "agencyIdentifier": f"urn:semarang112:agency:{key}",
                "agencyName": agency_names.get(key, key),
            }
            for key in report.agencies
        ],
        "notesComponent": _notes(report, tz),
    }


def to_eido(
    reports: Sequence[ExportReport],
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
) -> str:
    """A JSON array of EIDO messages."""
    return json.dumps(
        [eido_message(r, tz, agency_names, labels) for r in reports], ensure_ascii=False, indent=2
    )
