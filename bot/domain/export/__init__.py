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
10-minute target was met, the rating, the reporter's verified role when they filed it
(``reporter_role`` ``relawan``/``rt_rw``/``petugas`` and ``reporter_community``; empty for
the public; never an invitation token), and a ``timeline`` column ``"HH:MM kind; …"`` (an
event on a later local day than the report is prefixed with ``DD/MM``). A report outside
the city (``outside_city`` 1) names its kabupaten/kota of Java in ``region`` and
``province``, or has ``beyond_java`` 1. Text cells
starting with ``= + - @`` (a ``+62…`` phone number too) get a leading ``'`` so a
spreadsheet never runs them as formulas.
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

from collections.abc import Mapping, Sequence
from datetime import timedelta, tzinfo
from typing import Final

from bot.domain.export.eido import EIDO_INCIDENT_TYPE, EIDO_STATUS, eido_message, to_eido
from bot.domain.export.open311 import open311_request, to_open311
from bot.domain.export.shapes import (
    FORMATS,
    SYSTEM_URN,
    ExportEvent,
    ExportFormat,
    ExportLabels,
    ExportReport,
    local_iso,
    status_notes,
    timeline,
)
from bot.domain.export.tabular import CSV_COLUMNS, csv_row, to_csv
from bot.domain.lifecycle import RESPONSE_TARGET

__all__ = [
    "CSV_COLUMNS",
    "EIDO_INCIDENT_TYPE",
    "EIDO_STATUS",
    "FORMATS",
    "MEDIA_TYPES",
    "SYSTEM_URN",
    "ExportEvent",
    "ExportFormat",
    "ExportLabels",
    "ExportReport",
    "csv_row",
    "eido_message",
    "filename",
    "local_iso",
    "open311_request",
    "parse_format",
    "render",
    "status_notes",
    "timeline",
    "to_csv",
    "to_eido",
    "to_open311",
]

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
