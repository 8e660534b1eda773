"""Exports of reports: CSV, Open311 GeoReport v2 JSON and NENA EIDO-shaped JSON.

Pure module: builders take plain data (:class:`ExportReport`, loaded by
``storage/stats.py``) and return text or bytes; no SQL, no Telegram, no clock. Every time
is written as ISO 8601 in the city's zone with its offset (``2026-03-27T14:02:00+07:00``).
Column names, keys and standard registry terms live here; the words a person reads
(category names, status notes) come from an :class:`ExportLabels` passed in (the text
catalogue, ``handlers/views/texts``).

Personal data
-------------
Exports are for the command center. Reporters' names and usernames are in none of them.
The **CSV** (internal working file) has the reporter's Telegram id and the phone number
they chose to share. **Open311** is a public-facing format: no reporter id, no phone.
**EIDO** goes to other emergency services: no reporter id, no phone, and no person
component. The free-text description written by the reporter is included in all three
(Open311 ``description``, EIDO note); review it before publishing Open311 data.

CSV
---
One row per report (columns: :data:`CSV_COLUMNS`): the report's facts, the milestone
times ``t0``–``t4`` and closing time, claim and response times in seconds, whether the
10-minute target was met, the rating, and a ``timeline`` column ``"HH:MM kind; …"`` (an
event on a later local day than the report is prefixed with ``DD/MM``). A report outside
the city (``outside_city`` 1) names its kabupaten/kota of Java in ``region`` and
``province``, or has ``beyond_java`` 1. Free-text cells
starting with ``= + - @`` get a leading ``'`` so a spreadsheet never runs them as formulas.
Encoded as UTF-8 with a byte-order mark, so Excel shows Indonesian text correctly.

Open311 GeoReport v2
--------------------
A JSON array of service requests as ``GET /requests.json`` returns them:
``service_request_id`` (the ticket), ``status`` (``open``/``closed``), ``status_notes`` (the
closing reason), ``service_name``/``service_code`` (category label/key),
``description``, ``agency_responsible`` (the primary agency's full name),
``service_notice`` (null), ``requested_datetime`` (submitted), ``updated_datetime`` (last
change), ``expected_datetime`` (null), ``address`` (geocoded address, else the typed
place, else kelurahan/kecamatan, or outside the city its kabupaten/kota and province),
``address_id`` and ``zipcode`` (null), ``lat``/``long``
(numbers or null) and ``media_url`` (null: Telegram file ids are not public URLs).

EIDO (NENA-STA-021, best effort)
--------------------------------
A JSON array with one EIDO message per report, following the JSON shape of NENA's
Emergency Incident Data Object:

* top level: ``$id``, ``eidoMessageIdentifier``, ``lastUpdateTimeStamp``,
  ``sendingSystemIdentifier``;
* ``incidentComponent``: ``incidentTrackingIdentifier`` (URN from the ticket),
  ``incidentTypeCommonRegistryText`` (category mapped to a common registry term, see
  :data:`EIDO_INCIDENT_TYPE`), ``incidentTypeInternalCode/Text`` (our category key/label),
  ``incidentStatusCommonRegistryText`` (state mapped by :data:`EIDO_STATUS`),
  ``incidentCreationTimestamp``, ``locationReference``, ``agencyReference`` and, when
  closed, ``disposition`` (``dispositionDescriptionText`` = our disposition key);
* ``callComponent``: the Telegram report as the "call" (start = submitted, the ticket as
  call identifier, ``callTypeDescriptionText`` "Telegram");
* ``locationComponent``: **simplified** — the standard carries a PIDF-LO XML document in
  ``locationByValue``; we give a small JSON object instead (``latitude``, ``longitude``,
  ``civicAddressText``, ``kecamatan``, ``kelurahan``, ``kabupatenKota`` and ``province``
  (outside the city), ``country`` "ID");
* ``agencyComponent``: each dispatched agency (primary first) with ``agencyIdentifier``
  and ``agencyName``;
* ``notesComponent``: the reporter's description, then one note per timeline event
  (``noteText`` = event kind and detail) — the standard has no timeline component.

Not mapped: person, vehicle, agent (dispatchers), alert and links to other incidents
(a duplicate's original ticket is given in its disposition text).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any, Final, Literal, Protocol

from bot.domain.lifecycle import RESPONSE_TARGET
from bot.domain.models import Language

ExportFormat = Literal["csv", "open311", "eido"]
FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "open311", "eido")
SYSTEM_URN: Final = "urn:semarang112:telegram-bot"


class ExportLabels(Protocol):
    """The words a person reads in an export, by language; this module keeps only machine
    names and keys (``handlers.views.texts.EXPORT_WORDS`` gives the catalogue's words)."""

    def category(self, lang: Language, key: str) -> str:
        """A category's name."""
        ...

    def disposition(self, lang: Language, key: str, *, other: str, target: str) -> str:
        """A closing reason, with the original ticket or transfer target when known."""
        ...

    def state(self, lang: Language, key: str) -> str:
        """Where an open report stands."""
        ...


@dataclass(frozen=True, slots=True)
class ExportEvent:
    """One timeline entry."""

    kind: str
    at: datetime
    actor_kind: str
    actor_name: str | None = None
    note: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportReport:
    """A report with what the exports show (times are aware datetimes)."""

    id: int
    ticket: str
    category: str
    state: str
    submitted_at: datetime
    updated_at: datetime
    disposition: str | None = None
    duplicate_of: str | None = None
    transfer_to: str | None = None
    agency: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    outside_city: bool = False
    region: str | None = None
    """Outside the city: the kabupaten/kota of Java ("Kabupaten Kendal")."""
    province: str | None = None
    beyond_java: bool = False
    lat: float | None = None
    lon: float | None = None
    location_text: str | None = None
    address: str | None = None
    details: str | None = None
    phone: str | None = None
    language: str = "id"
    reporter_id: int | None = None
    received_at: datetime | None = None
    claimed_at: datetime | None = None
    dispatched_at: datetime | None = None
    en_route_at: datetime | None = None
    on_scene_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None
    rating_comment: str | None = None
    events: tuple[ExportEvent, ...] = ()

    @property
    def agencies(self) -> list[str]:
        """Dispatched agencies, primary first (backups from ``dispatch_added`` events)."""
        keys = [self.agency] if self.agency else []
        for e in self.events:
            key = e.data.get("agency")
            if e.kind in ("dispatched", "dispatch_added") and key and str(key) not in keys:
                keys.append(str(key))
        return keys


def local_iso(moment: datetime | None, tz: tzinfo) -> str | None:
    """ISO 8601 in the city's zone, to the second (``…T14:02:00+07:00``)."""
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def _seconds(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else (b - a).total_seconds()


def _event_detail(e: ExportEvent) -> str:
    for key in ("agency", "disposition", "key", "to_name"):
        value = e.data.get(key)
        if value:
            return f" ({value})"
    return ""


def timeline(report: ExportReport, tz: tzinfo) -> str:
    """``"14:02 submitted; 14:02 card_delivered; 14:03 claimed; 14:05 dispatched (damkar)"``."""
    first_day = report.submitted_at.astimezone(tz).date()
    parts = []
    for e in report.events:
        local = e.at.astimezone(tz)
        stamp = f"{local:%H:%M}" if local.date() == first_day else f"{local:%d/%m %H:%M}"
        parts.append(f"{stamp} {e.kind}{_event_detail(e)}")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------- CSV

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
    return str(value)


def csv_row(
    report: ExportReport,
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
    target: timedelta = RESPONSE_TARGET,
) -> dict[str, str]:
    """One report as a CSV row (column → text)."""
    response = _seconds(report.received_at, report.on_scene_at)
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
        "submitted_at": local_iso(report.submitted_at, tz),
        "t0_received_at": local_iso(report.received_at, tz),
        "t1_claimed_at": local_iso(report.claimed_at, tz),
        "t2_dispatched_at": local_iso(report.dispatched_at, tz),
        "t3_en_route_at": local_iso(report.en_route_at, tz),
        "t4_on_scene_at": local_iso(report.on_scene_at, tz),
        "closed_at": local_iso(report.closed_at, tz),
        "claim_seconds": _seconds(report.received_at, report.claimed_at),
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


# ------------------------------------------------------------------------------------ Open311


def status_notes(report: ExportReport, labels: ExportLabels, lang: Language = "id") -> str:
    """The status in words: the closing reason, or where an open report stands."""
    if report.disposition is not None:
        return labels.disposition(
            lang,
            report.disposition,
            other=report.duplicate_of or "",
            target=report.transfer_to or "",
        )
    return labels.state(lang, report.state)


def _address(report: ExportReport) -> str | None:
    if report.address:
        return report.address
    if report.location_text:
        return report.location_text
    if report.outside_city:
        return ", ".join(p for p in (report.region, report.province) if p) or None
    area = ", ".join(p for p in (report.kelurahan, report.kecamatan) if p)
    return f"{area}, Kota Semarang" if area else None


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
        "address": _address(report),
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


# --------------------------------------------------------------------------------------- EIDO

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


def eido_message(
    report: ExportReport, tz: tzinfo, agency_names: Mapping[str, str], labels: ExportLabels
) -> dict[str, Any]:
    """One report as an EIDO-shaped message (no reporter data)."""
    t = report.ticket
    updated = local_iso(report.closed_at or report.updated_at, tz)
    location_id = f"location-{t}"
    agencies = report.agencies
    incident: dict[str, Any] = {
        "$id": f"incident-{t}",
        "incidentTrackingIdentifier": f"urn:semarang112:incident:{t}",
        "lastUpdateTimeStamp": updated,
        "incidentTypeCommonRegistryText": [EIDO_INCIDENT_TYPE.get(report.category, "Other")],
        "incidentTypeInternalCode": report.category,
        "incidentTypeInternalText": labels.category("en", report.category),
        "incidentStatusCommonRegistryText": [EIDO_STATUS.get(report.state, "Received")],
        "incidentCreationTimestamp": local_iso(report.submitted_at, tz),
        "locationReference": [{"$ref": f"#{location_id}"}],
        "agencyReference": [{"$ref": f"#agency-{key}"} for key in agencies],
    }
    if report.disposition is not None:
        incident["disposition"] = [
            {
                "dispositionPrimaryIndicator": True,
                "dispositionDescriptionText": report.disposition,
                "dispositionNoteText": status_notes(report, labels, "en"),
            }
        ]
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
                "noteText": f"{e.kind}{_event_detail(e)}",
                "noteActorKind": e.actor_kind,
            }
        )
    return {
        "$id": f"urn:semarang112:eido:{t}",
        "eidoMessageIdentifier": f"urn:semarang112:eido:{t}:{updated}",
        "lastUpdateTimeStamp": updated,
        "sendingSystemIdentifier": SYSTEM_URN,
        "incidentComponent": incident,
        "callComponent": [
            {
                "$id": f"call-{t}",
                "callIdentifier": t,
                "callTypeDescriptionText": "Telegram",
                "callStartTimestamp": local_iso(report.submitted_at, tz),
                "callReceivedTimestamp": local_iso(report.received_at, tz),
            }
        ],
        "locationComponent": [
            {
                "$id": location_id,
                "locationByValue": {
                    "latitude": report.lat,
                    "longitude": report.lon,
                    "civicAddressText": _address(report),
                    "kecamatan": report.kecamatan,
                    "kelurahan": report.kelurahan,
                    "kabupatenKota": report.region,
                    "province": report.province,
                    "country": "ID",
                },
            }
        ],
        "agencyComponent": [
            {
                "$id": f"agency-{key}",
                "agencyIdentifier": f"urn:semarang112:agency:{key}",
                "agencyName": agency_names.get(key, key),
            }
            for key in agencies
        ],
        "notesComponent": notes,
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


# ------------------------------------------------------------------------------------ bytes

MEDIA_TYPES: Final[Mapping[ExportFormat, str]] = {
    "csv": "text/csv",
    "open311": "application/json",
    "eido": "application/json",
}


def render(
    fmt: ExportFormat,
    reports: Sequence[ExportReport],
    tz: tzinfo,
    agency_names: Mapping[str, str],
    labels: ExportLabels,
    target: timedelta = RESPONSE_TARGET,
) -> bytes:
    """The export file's bytes (CSV with a UTF-8 byte-order mark, JSON as UTF-8)."""
    if fmt == "csv":
        return to_csv(reports, tz, agency_names, labels, target).encode("utf-8-sig")
    if fmt == "open311":
        return to_open311(reports, tz, agency_names, labels).encode()
    if fmt == "eido":
        return to_eido(reports, tz, agency_names, labels).encode()
    raise ValueError(f"unknown export format {fmt!r}")


def filename(fmt: ExportFormat, slug: str) -> str:
    """``semarang112-open311-2025-02-01_2025-02-28.json``."""
    ext = "csv" if fmt == "csv" else "json"
    return f"semarang112-{fmt}-{slug}.{ext}"


def parse_format(word: str) -> ExportFormat | None:
    """A format name as typed (case-insensitive), else None."""
    w = word.strip().lower()
    for fmt in FORMATS:
        if w == fmt:
            return fmt
    return None
