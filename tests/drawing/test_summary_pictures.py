"""The summaries' pictures: the choropleth of reports per kecamatan (every kecamatan with
its number), the monthly pair and the daily map, as PNGs of a size a phone shows well."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import stats
from bot.domain.geo import CityMap
from bot.domain.stats import ReportFact
from handlers.views.summary_pictures import choropleth, summary_pictures

WIB = ZoneInfo("Asia/Jakarta")
CITY = CityMap.load()
TARGET = timedelta(minutes=10)


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def facts() -> list[ReportFact]:
    at = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)
    out = [
        ReportFact(at, "fire", kecamatan="Tembalang", response_s=420.0),
        ReportFact(at, "fire", kecamatan="Tembalang", response_s=900.0),
        ReportFact(at, "crime", kecamatan="Genuk", response_s=300.0),
        ReportFact(at, "traffic_accident", outside_city=True, region="Kabupaten Kendal"),
    ]
    return out


def test_the_choropleth_names_every_kecamatan_with_its_count() -> None:
    png, shown = choropleth({"Tembalang": 2, "Genuk": 1}, CITY, "November 2026", "id")
    assert len(shown) == 16 and set(shown) == {k.name for k in CITY.kecamatan_list()}
    assert shown["Tembalang"] == 2 and shown["Genuk"] == 1 and shown["Mijen"] == 0
    width, height = size(png)
    assert 800 <= width <= 1400 and 700 <= height <= 1200


def test_monthly_summary_has_the_choropleth_and_the_response_chart() -> None:
    period = stats.month_period(2026, 11, WIB)
    st = stats.compute(facts(), period, TARGET)
    pictures = summary_pictures("monthly", st, [], city=CITY, tz=WIB, target=TARGET, lang="en")
    assert [p.name for p in pictures] == ["kecamatan", "waktu-tanggap"]
    assert "Reports per kecamatan" in pictures[0].caption
    assert "10-minute target" in pictures[1].caption
    for picture in pictures:
        width, height = size(picture.png)
        assert width >= 800 and height >= 400


def test_daily_summary_has_yesterdays_map() -> None:
    period = stats.day_period(date(2026, 11, 30), WIB)
    st = stats.compute([], period, TARGET)
    (picture,) = summary_pictures("daily", st, [], city=CITY, tz=WIB, target=TARGET, lang="id")
    assert picture.name == "peta" and "0 laporan" in picture.caption
    assert size(picture.png) == (1024, 1200)
