"""Statistics: periods, percentiles and a hand-computed fixture through the real database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import Chat, Message, Update, User

from bot.domain import stats
from bot.domain.chats import ChatMoves
from bot.domain.clock import FakeClock
from bot.domain.models import utc_iso
from bot.domain.pacing import Pacer
from bot.domain.routing import load_routing
from bot.domain.stats import NOT_DISPATCHED, OUTSIDE_CITY, STILL_OPEN, UNKNOWN, ReportFact
from handlers.context import Memo, Services
from handlers.insight.statistics import show_statistics
from handlers.views.card import CardRenderer
from storage import stats as store
from storage.db import Database
from tests.support import factories as f

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2026, 3, 27)
T0 = datetime(2026, 3, 27, 1, 0, tzinfo=UTC)  # 08:00 WIB


async def add_report(
    db: Database,
    n: int,
    category: str,
    *,
    submitted: datetime = T0,
    kecamatan: str | None = None,
    outside: bool = False,
    agency: str | None = None,
    disposition: str | None = None,
    claim_s: float | None = None,
    response_s: float | None = None,
    stars: int | None = None,
) -> int:
    """A report received 5 s after submission, with claim and on-scene offsets from t0."""
    t0 = submitted + timedelta(seconds=5)
    t1 = t0 + timedelta(seconds=claim_s) if claim_s is not None else None
    t4 = t0 + timedelta(seconds=response_s) if response_s is not None else None
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT OR IGNORE INTO reporters (user_id, first_name, created_at, updated_at)"
            " VALUES (1, 'Budi', ?, ?)",
            (utc_iso(T0), utc_iso(T0)),
        )
        report_id = await tx.insert(
            "INSERT INTO reports (ticket, reporter_id, chat_id, language, category, state,"
            " submitted_at, received_at, claimed_at, on_scene_at, closed_at, agency,"
            " disposition, kecamatan, outside_city, updated_at)"
            " VALUES (?, 1, 1, 'id', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"SMG-260327-{n:04d}",
                category,
                "closed" if disposition else "dispatched",
                utc_iso(submitted),
                utc_iso(t0),
                utc_iso(t1) if t1 else None,
                utc_iso(t4) if t4 else None,
                utc_iso(t0 + timedelta(hours=1)) if disposition else None,
                agency,
                disposition,
                kecamatan,
                int(outside),
                utc_iso(t0),
            ),
        )
        if stars is not None:
            await tx.execute(
                "INSERT INTO ratings (report_id, reporter_id, stars, rated_at) VALUES (?, 1, ?, ?)",
                (report_id, stars, utc_iso(T0)),
            )
    return report_id


async def fixture_reports(db: Database) -> None:
    """Eight reports on 27 March 2026 (WIB) and one just before it."""
    await add_report(db, 1, "fire", kecamatan="Tembalang", agency="damkar",
                     disposition="resolved", claim_s=30, response_s=300, stars=5)  # fmt: skip
    await add_report(db, 2, "fire", kecamatan="Tembalang", agency="damkar",
                     disposition="resolved", claim_s=60, response_s=600, stars=4)  # fmt: skip
    await add_report(db, 3, "fire", kecamatan="Banyumanik", agency="damkar",
                     disposition="resolved", claim_s=90, response_s=900)  # fmt: skip
    await add_report(db, 4, "traffic_accident", kecamatan="Tembalang", agency="satlantas",
                     disposition="resolved", claim_s=120, response_s=480)  # fmt: skip
    await add_report(db, 5, "traffic_accident", kecamatan="Banyumanik", agency="satlantas",
                     disposition="prank", claim_s=45)  # fmt: skip
    await add_report(db, 6, "crime", outside=True, agency="polrestabes", claim_s=15)
    await add_report(db, 7, "other", disposition="prank")
    # 23:59:59 WIB the day before: outside the period.
    await add_report(db, 8, "fire", submitted=datetime(2026, 3, 26, 16, 59, 59, tzinfo=UTC),
                     kecamatan="Tembalang", agency="damkar", disposition="resolved",
                     claim_s=1, response_s=60, stars=1)  # fmt: skip
    # 00:00:00 WIB exactly: inside.
    await add_report(db, 9, "medical_emergency", submitted=datetime(2026, 3, 26, 17, tzinfo=UTC),
                     kecamatan="Tembalang", agency="dinkes", disposition="resolved",
                     claim_s=10, response_s=1200)  # fmt: skip


async def test_fixture_statistics_match_hand_computed_answers(db: Database) -> None:
    await fixture_reports(db)
    period = stats.day_period(DAY, WIB)
    facts = await store.report_facts(db, period.start, period.end)
    st = stats.compute(facts, period)

    o = st.overall
    assert (o.reports, o.pranks, o.prank_share) == (8, 2, 0.25)
    # claims sorted 10 15 30 45 60 90 120: median x[3]; p90 h=5.4 → 90 + 0.4·30
    assert (o.claim.count, o.claim.median, o.claim.p90) == (7, 45, 102)
    # responses sorted 300 480 600 900 1200: median 600; p90 h=3.6 → 900 + 0.6·300
    assert (o.response.count, o.response.median, o.response.p90) == (5, 600, 1080)
    assert (o.within_target, o.within_target_share) == (3, 0.6)  # 600 s exactly counts
    assert (st.ratings, st.rating_average) == (2, 4.5)  # report 8's star is another day

    damkar = st.group("agency", "damkar")
    assert damkar is not None
    assert (damkar.reports, damkar.response.median, damkar.response.p90) == (3, 600, 840)
    assert damkar.within_target_share == pytest.approx(2 / 3)
    satlantas = st.group("agency", "satlantas")
    assert satlantas is not None
    assert (satlantas.prank_share, satlantas.within_target_share) == (0.5, 1.0)
    assert satlantas.response == stats.Distribution(1, 480, 480)
    polrestabes = st.group("agency", "polrestabes")
    assert polrestabes is not None
    assert polrestabes.response == stats.Distribution(0, None, None)
    assert polrestabes.within_target_share is None
    dinkes = st.group("agency", "dinkes")
    assert dinkes is not None and dinkes.within_target_share == 0.0
    none = st.group("agency", NOT_DISPATCHED)
    assert none is not None and (none.reports, none.pranks) == (1, 1)

    tembalang = st.group("kecamatan", "Tembalang")
    assert tembalang is not None
    # 300 480 600 1200: median (480+600)/2; p90 h=2.7 → 600 + 0.7·600
    assert (tembalang.reports, tembalang.response.median, tembalang.response.p90) == (
        4,
        540,
        1020,
    )
    assert (tembalang.within_target, tembalang.within_target_share) == (3, 0.75)
    banyumanik = st.group("kecamatan", "Banyumanik")
    assert banyumanik is not None
    assert (banyumanik.prank_share, banyumanik.within_target_share) == (0.5, 0.0)
    assert [g.key for g in st.by_kecamatan] == ["Tembalang", "Banyumanik", OUTSIDE_CITY, UNKNOWN]

    assert [(g.key, g.reports) for g in st.by_category] == [
        ("fire", 3),
        ("traffic_accident", 2),
        ("crime", 1),
        ("medical_emergency", 1),
        ("other", 1),
    ]
    assert [(g.key, g.reports) for g in st.by_disposition] == [
        ("resolved", 5),
        ("prank", 2),
        (STILL_OPEN, 1),
    ]
    assert sorted(st.response_values) == [300, 480, 600, 900, 1200]


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's query plan
async def test_statistics_query_reads_the_covering_index(db: Database) -> None:
    async with db.read() as tx:
        plan = await tx.all("EXPLAIN QUERY PLAN " + store._FACTS_SQL, ("a", "b"))
    details = " ".join(str(r["detail"]) for r in plan)
    assert "COVERING INDEX reports_stats" in details


def test_percentile_type7_and_empty() -> None:
    assert stats.percentile([], 0.9) is None
    assert stats.percentile([7.0], 0.9) == 7.0
    assert stats.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert stats.percentile(range(1, 11), 0.9) == pytest.approx(9.1)
    assert stats.percentile([0.0, 100.0], 1) == 100.0
    with pytest.raises(ValueError):
        stats.percentile([1.0], 1.5)


def test_periods_in_wib() -> None:
    now = datetime(2026, 3, 31, 18, 30, tzinfo=UTC)  # 1 April 01:30 WIB
    day = stats.period_for("day", now, WIB)
    assert (day.first_day, day.start) == (date(2026, 4, 1), datetime(2026, 3, 31, 17, tzinfo=UTC))
    week = stats.period_for("week", now, WIB)
    assert (week.first_day, week.last_day, len(week.days)) == (
        date(2026, 3, 26),
        date(2026, 4, 1),
        7,
    )
    month = stats.period_for("month", now, WIB)
    assert (month.first_day, month.last_day) == (date(2026, 4, 1), date(2026, 4, 30))
    dec = stats.month_period(2025, 12, WIB)
    assert dec.end == datetime(2025, 12, 31, 17, tzinfo=UTC)
    assert stats.parse_period_word("Minggu") == "week"
    assert stats.parse_period_word("tahun") is None
    with pytest.raises(ValueError):
        stats.range_period(date(2026, 2, 2), date(2026, 2, 1), WIB)


def test_formatting_in_the_citys_terms() -> None:
    assert stats.fmt_int(1308, "id") == "1.308"
    assert stats.fmt_int(1308, "en") == "1,308"
    assert stats.month_label(date(2025, 2, 1), "id") == "Februari 2025"
    assert stats.day_label(date(2025, 2, 14), "id") == "Jumat, 14 Februari 2025"
    assert stats.fmt_share(0.8234, "id") == "82,3%"
    assert stats.fmt_share(None, "id") == "–"
    assert stats.fmt_number(4.25, "id") == "4,3"
    assert stats.fmt_duration(450, "id") == "7 mnt 30 dtk"
    assert stats.fmt_duration(3600, "en") == "1 h 0 min"
    assert stats.fmt_duration(59.5, "en") == "1 min"
    assert stats.fmt_duration(None, "en") == "–"


def test_activity_buckets_hours_for_a_day_and_days_otherwise() -> None:
    day = stats.day_period(DAY, WIB)
    facts = [
        ReportFact(datetime(2026, 3, 27, 1, 10, tzinfo=UTC), "fire"),  # 08:10 WIB
        ReportFact(datetime(2026, 3, 27, 1, 50, tzinfo=UTC), "fire"),
        ReportFact(datetime(2026, 3, 27, 16, 59, tzinfo=UTC), "crime"),  # 23:59 WIB
        ReportFact(datetime(2026, 3, 27, 17, 0, tzinfo=UTC), "crime"),  # next day
    ]
    hourly = stats.activity(facts, day)
    assert hourly.unit == "hour" and hourly.total == 3
    assert hourly.counts["fire"][8] == 2 and hourly.counts["crime"][23] == 1
    week = stats.range_period(date(2026, 3, 27), date(2026, 3, 28), WIB)
    daily = stats.activity(facts, week)
    assert daily.labels == ("27/03", "28/03")
    assert daily.counts == {"crime": (1, 1), "fire": (2, 0)}


# --- the /statistik handler, with a recording bot ----------------------------------------


@dataclass
class RecordingBot:
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    async def send_message(self, chat_id: int, text: str, **kw: Any) -> None:
        self.calls.append(("send_message", {"chat_id": chat_id, "text": text, **kw}))

    async def send_photo(self, chat_id: int, photo: Any, **kw: Any) -> None:
        self.calls.append(("send_photo", {"chat_id": chat_id, "photo": photo, **kw}))


DISPATCHER = 7101


def command(chat_id: int, text: str) -> Update:
    chat = Chat(chat_id, "supergroup")
    dispatcher = User(DISPATCHER, "Sari", is_bot=False)
    return Update(
        1,
        message=Message(
            1, datetime(2026, 3, 27, tzinfo=UTC), chat, from_user=dispatcher, text=text
        ),
    )


class CommandContext(SimpleNamespace):
    """What the insight handlers use of a BotContext."""

    @property
    def words(self) -> list[str]:
        return [a for a in self.args if a.strip()]


def context_for(db: Database, tmp_path: Path, args: list[str], now: datetime) -> Any:
    settings = f.settings(tmp_path, dispatcher_ids=[DISPATCHER])
    routing = load_routing(None)
    # Only what the insight handlers use; the other services (city map, geocoder, …) are
    # left out so this test does not depend on them.
    svc = object.__new__(Services)
    svc.settings = settings
    svc.db = db
    svc.clock = FakeClock(now)
    svc.wake_outbox = lambda: None
    svc.routing = routing
    svc.cards = CardRenderer(settings, routing)
    svc.memo = Memo()
    svc.chats = ChatMoves()
    svc.pacer = Pacer(enabled=False)
    return CommandContext(services=svc, args=args, bot=RecordingBot())


async def test_statistik_answers_in_the_dispatch_chat_with_text_and_chart(
    db: Database, tmp_path: Path
) -> None:
    await fixture_reports(db)
    ctx = context_for(db, tmp_path, ["hari"], datetime(2026, 3, 27, 10, tzinfo=UTC))
    await show_statistics(command(f.DISPATCH_CHAT, "/statistik hari"), ctx)
    texts = [kw["text"] for name, kw in ctx.bot.calls if name == "send_message"]
    body = "\n".join(texts)
    assert "Jumat, 27 Maret 2026" in body
    assert "8 laporan" in body and "iseng 2 (25,0%)" in body
    assert "≤ 10 menit: <b>60,0%</b> (3 dari 5)" in body
    assert "median 10 mnt · p90 18 mnt" in body
    assert "Damkar: 3 · ≤10 mnt 66,7% (2/3) · median 10 mnt, p90 14 mnt" in body
    assert "Luar Kota Semarang: 1" in body
    assert "4,5 dari 5 (2 penilaian)" in body
    photos = [kw for name, kw in ctx.bot.calls if name == "send_photo"]
    assert len(photos) == 1
    assert photos[0]["photo"].input_file_content.startswith(b"\x89PNG\r\n\x1a\n")
    assert all(kw["chat_id"] == f.DISPATCH_CHAT for _, kw in ctx.bot.calls)


async def test_statistik_ignores_other_chats_and_says_when_there_is_no_data(
    db: Database, tmp_path: Path
) -> None:
    ctx = context_for(db, tmp_path, [], datetime(2026, 3, 27, 10, tzinfo=UTC))
    await show_statistics(command(-100999, "/statistik"), ctx)
    assert ctx.bot.calls == []
    await show_statistics(command(f.DISPATCH_CHAT, "/statistik"), ctx)
    assert "Belum ada laporan pada periode ini." in ctx.bot.calls[0][1]["text"]
    ctx.args = ["tahun"]
    await show_statistics(command(f.DISPATCH_CHAT, "/statistik tahun"), ctx)
    assert "Pakai: /statistik" in ctx.bot.calls[-1][1]["text"]
