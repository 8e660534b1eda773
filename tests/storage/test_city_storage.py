"""Reports outside the city through the real database: their kabupaten/kota in the
statistics ("luar kota" by kabupaten), the exports and the map's read; the map's open and
today's reports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain import export, lifecycle, stats
from bot.domain.lifecycle import Disposition
from bot.domain.locating import with_area
from bot.domain.models import LocationSource, ReportLocation
from bot.domain.routing import load_routing
from bot.domain.strikes import StrikePolicy
from bot.services import reports
from handlers.insight.statistics import statistics_sections
from handlers.views.texts import EXPORT_WORDS
from storage import stats as stats_store
from storage.db import Database
from storage.overview import map_points
from tests.support import factories as f

WIB = ZoneInfo("Asia/Jakarta")
POLICY = StrikePolicy()
DISPATCHER = lifecycle.Dispatcher(7, "Sari")
NOW = f.at(5, 0)  # 12:00 WIB
WELERI = (-6.9740, 110.0690)  # Kabupaten Kendal
SAYUNG = (-6.9230, 110.5120)  # Kabupaten Demak
BUMIAYU = (-7.2480, 109.0000)  # Kabupaten Brebes


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "city.sqlite3")
    yield database
    await database.close()


async def submit(db: Database, chat_id: int, lat: float, lon: float, minutes: int = 0) -> int:
    loc = with_area(ReportLocation(source=LocationSource.GPS, lat=lat, lon=lon))
    done = await reports.submit_report(
        db,
        f.draft(chat_id, location=loc),
        f.reporter(chat_id),
        f.intake(duplicate_radius_m=0.0),
        NOW + timedelta(minutes=minutes),
        lambda s: [],
    )
    assert isinstance(done, reports.Submitted)
    return done.report.id


async def travellers(db: Database) -> dict[str, int]:
    return {
        "kendal": await submit(db, 1, *WELERI),
        "kendal2": await submit(db, 2, *WELERI, minutes=1),
        "demak": await submit(db, 3, *SAYUNG, minutes=2),
        "brebes": await submit(db, 4, *BUMIAYU, minutes=3),
        "bali": await submit(db, 5, -8.65, 115.2, minutes=4),
        "city": await submit(db, 6, *f.SIMPANG_LIMA, minutes=5),
    }


async def test_the_kabupaten_is_a_column_read_from_the_stored_location(db: Database) -> None:
    ids = await travellers(db)
    async with db.read() as tx:
        rows = {
            r["id"]: (r["outside_city"], r["region"], r["province"], r["beyond_java"])
            for r in await tx.all("SELECT * FROM reports")
        }
    assert rows[ids["kendal"]] == (1, "Kabupaten Kendal", "Jawa Tengah", 0)
    assert rows[ids["brebes"]] == (1, "Kabupaten Brebes", "Jawa Tengah", 0)
    assert rows[ids["bali"]] == (1, None, None, 1)
    assert rows[ids["city"]] == (0, None, None, 0)


async def test_statistics_count_luar_kota_by_kabupaten(db: Database) -> None:
    await travellers(db)
    period = stats.day_period(NOW.astimezone(WIB).date(), WIB)
    facts = await stats_store.report_facts(db, period.start, period.end)
    st = stats.compute(facts, period)
    assert st.overall.reports == 6
    outside = st.group("kecamatan", stats.OUTSIDE_CITY)
    assert outside is not None and outside.reports == 5
    assert [(g.key, g.reports) for g in st.by_region] == [
        ("Kabupaten Kendal", 2),
        ("Kabupaten Brebes", 1),
        ("Kabupaten Demak", 1),
        (stats.BEYOND_JAVA, 1),
    ]
    text = "\n\n".join(statistics_sections(st, "id", load_routing()))
    assert "<b>Luar kota, per kabupaten/kota</b>\nKabupaten Kendal: 2" in text
    assert "Luar Pulau Jawa: 1" in text


async def test_the_statistics_of_a_city_only_period_have_no_luar_kota_section(
    db: Database,
) -> None:
    await submit(db, 6, *f.SIMPANG_LIMA)
    period = stats.day_period(NOW.astimezone(WIB).date(), WIB)
    st = stats.compute(await stats_store.report_facts(db, period.start, period.end), period)
    assert st.by_region == ()
    assert "Luar kota" not in "\n".join(statistics_sections(st, "id", load_routing()))


async def test_exports_carry_the_kabupaten_and_province(db: Database) -> None:
    ids = await travellers(db)
    start, end = NOW - timedelta(hours=1), NOW + timedelta(hours=1)
    rows = await stats_store.export_reports(db, start, end)
    names = {a.key: a.name for a in load_routing().agencies()}
    table = list(csv.DictReader(io.StringIO(export.to_csv(rows, WIB, names, EXPORT_WORDS))))
    by_ticket = {r["ticket"]: r for r in table}
    kendal = next(r for r in rows if r.id == ids["kendal"])
    row = by_ticket[kendal.ticket]
    assert (row["outside_city"], row["region"], row["province"], row["beyond_java"]) == (
        "1",
        "Kabupaten Kendal",
        "Jawa Tengah",
        "0",
    )
    bali = next(r for r in rows if r.id == ids["bali"])
    assert (by_ticket[bali.ticket]["region"], by_ticket[bali.ticket]["beyond_java"]) == ("", "1")
    open311 = json.loads(export.to_open311(rows, WIB, names, EXPORT_WORDS))
    assert {r["service_request_id"]: r["address"] for r in open311}[kendal.ticket] == (
        "Kabupaten Kendal, Jawa Tengah"
    )
    eido = json.loads(export.to_eido(rows, WIB, names, EXPORT_WORDS))
    where = next(m for m in eido if m["callComponent"][0]["callIdentifier"] == kendal.ticket)
    location = where["locationComponent"][0]["locationByValue"]
    assert (location["kabupatenKota"], location["province"]) == ("Kabupaten Kendal", "Jawa Tengah")


async def test_the_map_reads_open_reports_or_today_s_with_the_closed_ones(db: Database) -> None:
    ids = await travellers(db)
    now = NOW + timedelta(minutes=10)
    rid = ids["city"]
    for i, action in enumerate(
        [
            lifecycle.CardDelivered(),
            lifecycle.Claim(DISPATCHER),
            lifecycle.Close(DISPATCHER, Disposition.RESOLVED),
        ]
    ):
        await reports.apply_action(
            db, rid, action, now + timedelta(minutes=i), lambda s, t: [], strikes=POLICY
        )
    await reports.apply_action(
        db, ids["demak"], lifecycle.CardDelivered(), now, lambda s, t: [], strikes=POLICY
    )
    open_points = await map_points(db)
    assert [p.ticket for p in open_points] == [
        f"SMG-260327-{n:04d}" for n in (1, 2, 3, 4, 5)
    ]  # oldest first, the closed one left out
    demak = open_points[2]
    assert (demak.region, demak.outside_city, demak.state) == ("Kabupaten Demak", True, "received")
    assert demak.started_at == now  # the card's delivery starts the clock
    assert open_points[0].started_at == open_points[0].submitted_at  # no card yet: when sent
    today = await map_points(db, NOW - timedelta(hours=5))
    assert len(today) == 6 and sum(p.closed for p in today) == 1
    assert await map_points(db, NOW + timedelta(hours=1)) == []
