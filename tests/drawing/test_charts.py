"""Charts: valid PNGs drawn from the data, and a "no data" chart for an empty period."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import stats
from bot.domain.stats import ReportFact
from handlers.views import charts

WIB = ZoneInfo("Asia/Jakarta")
PNG = b"\x89PNG\r\n\x1a\n"
WEEK = stats.range_period(date(2026, 3, 21), date(2026, 3, 27), WIB)


def facts(n: int, minutes: float) -> list[ReportFact]:
    start = datetime(2026, 3, 21, 1, tzinfo=UTC)
    return [
        ReportFact(
            start + timedelta(hours=5 * i),
            ("fire", "crime", "traffic_accident")[i % 3],
            response_s=60 * (minutes + i % 7),
        )
        for i in range(n)
    ]


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_statistics_chart_is_a_png_drawn_from_the_data() -> None:
    a = facts(30, 4)
    b = facts(12, 9)
    png_a = charts.statistics_chart(stats.compute(a, WEEK), stats.activity(a, WEEK), "id")
    png_b = charts.statistics_chart(stats.compute(b, WEEK), stats.activity(b, WEEK), "id")
    again = charts.statistics_chart(stats.compute(a, WEEK), stats.activity(a, WEEK), "id")
    assert size(png_a) == (900, 800) and len(png_a) > 10_000
    assert png_a != png_b
    assert png_a == again  # deterministic: same data, same bytes


def test_empty_data_gives_a_chart_that_says_no_data() -> None:
    empty = charts.statistics_chart(stats.compute([], WEEK), stats.activity([], WEEK), "en")
    assert size(empty) == (900, 800)
    some = facts(5, 3)
    drawn = charts.statistics_chart(stats.compute(some, WEEK), stats.activity(some, WEEK), "en")
    assert empty != drawn
    # The "no data" text is what makes it differ from a blank canvas of the same layout.
    assert charts.activity_chart(stats.activity([], WEEK), "id") != charts.activity_chart(
        stats.activity([], WEEK), "en"
    )


def test_histogram_moves_with_the_target_line() -> None:
    values = [120.0, 300.0, 540.0, 700.0, 1300.0]
    ten = charts.response_chart(values, 600, "id")
    fifteen = charts.response_chart(values, 900, "id")
    assert size(ten) == (900, 450) and ten != fifteen
