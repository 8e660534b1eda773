"""Exports: CSV round-trips, Open311 fields and types, EIDO shape, no personal data leaks."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import export
from bot.domain.export import ExportEvent, ExportReport
from bot.domain.models import utc_iso
from bot.runtime.export_cli import run_export
from handlers.views.texts import EXPORT_WORDS
from storage import stats as store
from storage.db import Database
from tests.support import factories as f

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 3, 27, 7, 2, tzinfo=UTC)  # 14:02 WIB
NAMES = {"damkar": "Dinas Pemadam Kebakaran Kota Semarang", "bpbd": "BPBD Kota Semarang"}


def closed_report(**over: object) -> ExportReport:
    m = timedelta(minutes=1)
    values: dict[str, object] = {
        "id": 1,
        "ticket": "SMG-260327-0001",
        "category": "fire",
        "state": "closed",
        "submitted_at": T0,
        "updated_at": T0 + 40 * m,
        "disposition": "resolved",
        "agency": "damkar",
        "kecamatan": "Tembalang",
        "kelurahan": "Bulusan",
        "lat": -7.05,
        "lon": 110.44,
        "location_text": '=HYPERLINK("x")',
        "details": 'Rumah terbakar, asap hitam; "tolong" cepat,\nbaris kedua',
        "phone": "+6281234567890",
        "reporter_id": 1001,
        "received_at": T0,
        "claimed_at": T0 + m,
        "dispatched_at": T0 + 3 * m,
        "en_route_at": T0 + 4 * m,
        "on_scene_at": T0 + 10 * m,
        "closed_at": T0 + 40 * m,
        "rating": 4,
        "events": (
            ExportEvent("submitted", T0, "reporter", "Budi Santoso"),
            ExportEvent("card_delivered", T0, "system"),
            ExportEvent("claimed", T0 + m, "dispatcher", "Sari"),
            ExportEvent("dispatched", T0 + 3 * m, "dispatcher", "Sari", data={"agency": "damkar"}),
            ExportEvent("dispatch_added", T0 + 5 * m, "dispatcher", data={"agency": "bpbd"}),
            ExportEvent("on_scene", T0 + 10 * m, "officer"),
            ExportEvent("closed", T0 + 10 * 60 * m, "dispatcher", data={"disposition": "resolved"}),
        ),
    }
    values.update(over)
    return ExportReport(**values)  # type: ignore[arg-type]


def open_report() -> ExportReport:
    return ExportReport(
        id=2,
        ticket="SMG-260327-0002",
        category="other",
        state="received",
        submitted_at=T0,
        updated_at=T0,
        location_text="Simpang Lima",
        phone="+6289999",
        reporter_id=1002,
        received_at=T0,
    )


def test_csv_round_trips_with_timeline_and_milestones() -> None:
    data = export.render("csv", [closed_report(), open_report()], WIB, NAMES, EXPORT_WORDS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 2 and list(rows[0]) == list(export.CSV_COLUMNS)
    row = rows[0]
    assert row["ticket"] == "SMG-260327-0001"
    assert (row["category"], row["category_label"]) == ("fire", "Kebakaran")
    assert row["details"] == 'Rumah terbakar, asap hitam; "tolong" cepat,\nbaris kedua'
    assert row["location_text"] == '\'=HYPERLINK("x")'  # never a formula
    assert row["phone"] == "'+6281234567890"  # a leading + starts a formula too
    assert row["t0_received_at"] == "2026-03-27T14:02:00+07:00"
    assert row["t4_on_scene_at"] == "2026-03-27T14:12:00+07:00"
    assert (row["claim_seconds"], row["response_seconds"], row["within_target"]) == (
        "60",
        "600",
        "1",
    )
    assert row["agency_name"] == NAMES["damkar"] and row["rating"] == "4"
    assert row["timeline"] == (
        "14:02 submitted; 14:02 card_delivered; 14:03 claimed; 14:05 dispatched (damkar); "
        "14:07 dispatch_added (bpbd); 14:12 on_scene; 28/03 00:02 closed (resolved)"
    )
    assert "Budi" not in data.decode("utf-8-sig")  # no reporter names
    second = rows[1]
    assert (second["t4_on_scene_at"], second["response_seconds"], second["within_target"]) == (
        "",
        "",
        "",
    )


def test_open311_requests_have_the_required_fields_and_types() -> None:
    doc = json.loads(
        export.render("open311", [closed_report(), open_report()], WIB, NAMES, EXPORT_WORDS)
    )
    assert isinstance(doc, list) and len(doc) == 2
    first, second = doc
    for req in doc:
        for key in ("service_request_id", "status", "service_code", "service_name",
                    "requested_datetime", "updated_datetime", "description"):  # fmt: skip
            assert isinstance(req[key], str), key
        assert req["status"] in ("open", "closed")
        assert req["requested_datetime"].endswith("+07:00")
        assert datetime.fromisoformat(req["requested_datetime"]) == T0
    assert first["status"] == "closed" and second["status"] == "open"
    assert (first["lat"], first["long"]) == (-7.05, 110.44)
    assert second["lat"] is None and second["address"] == "Simpang Lima"
    assert first["agency_responsible"] == NAMES["damkar"]
    assert first["status_notes"] == "Selesai"
    assert second["status_notes"] == "Diterima petugas 112"
    assert first["service_name"] == "Kebakaran"
    text = json.dumps(doc)
    assert "+628" not in text and "1001" not in text and "Budi" not in text


def test_eido_message_shape_without_personal_data() -> None:
    doc = json.loads(export.render("eido", [closed_report()], WIB, NAMES, EXPORT_WORDS))
    msg = doc[0]
    inc = msg["incidentComponent"]
    assert inc["incidentTrackingIdentifier"] == "urn:semarang112:incident:SMG-260327-0001"
    assert inc["incidentTypeCommonRegistryText"] == ["Fire"]
    assert inc["incidentStatusCommonRegistryText"] == ["Closed"]
    assert inc["disposition"][0]["dispositionDescriptionText"] == "resolved"
    assert inc["disposition"][0]["dispositionNoteText"] == "Resolved"
    assert inc["incidentTypeInternalText"] == "Fire"
    assert [a["agencyName"] for a in msg["agencyComponent"]] == [NAMES["damkar"], NAMES["bpbd"]]
    location = msg["locationComponent"][0]
    assert inc["locationReference"] == [{"$ref": "#" + location["$id"]}]
    assert location["locationByValue"]["latitude"] == -7.05
    assert msg["notesComponent"][0]["noteText"].startswith("Rumah terbakar")
    assert len(msg["notesComponent"]) == 1 + 7
    text = json.dumps(doc)
    assert "+628" not in text and "1001" not in text


async def test_run_export_writes_the_reports_of_the_local_days(tmp_path: Path) -> None:
    settings = f.settings(tmp_path)
    db = await Database.open(settings.database_path)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO reporters (user_id, first_name, created_at, updated_at)"
            " VALUES (1, 'Budi', ?, ?)",
            (utc_iso(T0), utc_iso(T0)),
        )
        for n, at in enumerate(
            (
                datetime(2026, 3, 26, 16, 59, tzinfo=UTC),  # 26 March 23:59 WIB
                datetime(2026, 3, 26, 17, 0, tzinfo=UTC),  # 27 March 00:00 WIB
                datetime(2026, 3, 27, 16, 59, tzinfo=UTC),  # 27 March 23:59 WIB
            ),
            start=1,
        ):
            await tx.execute(
                "INSERT INTO reports (ticket, reporter_id, chat_id, language, category, state,"
                " submitted_at, updated_at, phone) VALUES (?, 1, 1, 'id', 'fire', 'received',"
                " ?, ?, '+62811')",
                (f"T{n}", utc_iso(at), utc_iso(at)),
            )
        await tx.execute(
            "INSERT INTO report_events (report_id, kind, to_state, at, actor_kind)"
            " VALUES (2, 'submitted', 'submitted', ?, 'reporter')",
            (utc_iso(datetime(2026, 3, 26, 17, 0, tzinfo=UTC)),),
        )
    loaded = await store.export_reports(
        db, datetime(2026, 3, 26, 17, tzinfo=UTC), datetime(2026, 3, 27, 17, tzinfo=UTC)
    )
    await db.close()
    assert [r.ticket for r in loaded] == ["T2", "T3"]
    assert [e.kind for e in loaded[0].events] == ["submitted"] and loaded[1].events == ()

    out = tmp_path / "out" / "x.json"
    day = date(2026, 3, 27)
    assert await run_export(settings, day, day, "open311", out) == 0
    assert [r["service_request_id"] for r in json.loads(out.read_text())] == ["T2", "T3"]
    assert await run_export(settings, day, day, "xml", out) == 2
    assert await run_export(settings, day, date(2026, 3, 1), "csv", out) == 2
