"""Daily and monthly summaries: due times in WIB, the text, and no double posting."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import stats
from bot.domain.clock import FakeClock
from bot.domain.stats import ReportFact
from bot.runtime.jobs import SummaryJob
from bot.services import summaries
from bot.services.summaries import SummarySchedule
from handlers.views.summary import render_summary
from storage import outbox
from storage.db import Database
from tests.storage.test_stats import add_report
from tests.support import factories

WIB = ZoneInfo("Asia/Jakarta")
CHAT = -1001234567890


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def test_daily_due_times_across_midnight_wib() -> None:
    s = SummarySchedule(tz=WIB, daily_at=time(0, 30))
    # 26 March 23:50 WIB: the next posting is 27 March 00:30 WIB, for 26 March.
    nxt = summaries.next_due("daily", s, utc(2026, 3, 26, 16, 50))
    assert nxt.due_at == utc(2026, 3, 26, 17, 30)
    assert (nxt.period.first_day, nxt.key) == (date(2026, 3, 26), "2026-03-26")
    # 27 March 00:10 WIB (already the 27th in WIB, still the 26th in UTC): not yet due.
    latest = summaries.latest_due("daily", s, utc(2026, 3, 26, 17, 10))
    assert latest.key == "2026-03-25" and latest.due_at == utc(2026, 3, 25, 17, 30)
    # Exactly at the time: due.
    at = summaries.latest_due("daily", s, utc(2026, 3, 26, 17, 30))
    assert at.key == "2026-03-26"
    assert summaries.next_due("daily", s, utc(2026, 3, 26, 17, 30)).key == "2026-03-27"


def test_monthly_due_on_the_first_for_the_previous_month() -> None:
    s = SummarySchedule(tz=WIB, monthly_at=time(7, 0))
    # 1 January 06:59 WIB: the January posting (for December) is a minute away.
    nxt = summaries.next_due("monthly", s, utc(2025, 12, 31, 23, 59))
    assert nxt.due_at == utc(2026, 1, 1, 0, 0) and nxt.key == "2025-12"
    assert nxt.period.last_day == date(2025, 12, 31)
    latest = summaries.latest_due("monthly", s, utc(2026, 3, 15, 3))
    assert latest.key == "2026-02" and latest.period.last_day == date(2026, 2, 28)


def test_only_the_latest_posting_within_catch_up_is_due() -> None:
    s = SummarySchedule(tz=WIB, daily_at=time(7, 0), catch_up=timedelta(hours=12))
    # 27 March 18:00 WIB: the 07:00 posting is 11 h old → due; the monthly one is weeks old.
    assert [d.key for d in summaries.due_now(s, utc(2026, 3, 27, 11))] == ["2026-03-26"]
    # 27 March 19:01 WIB: more than 12 h late → skipped.
    assert summaries.due_now(s, utc(2026, 3, 27, 12, 1)) == []
    assert summaries.next_wakeup(s, utc(2026, 3, 27, 12, 1)) == utc(2026, 3, 28, 0)
    off = SummarySchedule(tz=WIB, daily=False, monthly=False)
    assert summaries.next_wakeup(off, utc(2026, 3, 27, 0)) is None


def test_summary_text_in_the_citys_terms() -> None:
    period = stats.month_period(2025, 2, WIB)
    start = datetime(2025, 2, 1, 1, tzinfo=UTC)
    facts = [
        ReportFact(start + timedelta(minutes=i), "fire", response_s=300, claim_s=30)
        for i in range(1308)
    ]
    text = render_summary(stats.compute(facts, period), "monthly", "id")
    assert "Februari 2025: 1.308 laporan tertangani" in text
    assert "<b>100,0%</b> (1.308 dari 1.308)" in text
    en = render_summary(stats.compute(facts, period), "monthly", "en")
    assert "February 2025: 1,308 reports handled" in en
    empty = render_summary(stats.compute([], period), "daily", "id")
    assert "0 laporan tertangani" in empty


async def test_job_posts_through_the_outbox_once_even_after_a_restart(db: Database) -> None:
    await add_report(
        db,
        1,
        "fire",
        submitted=utc(2026, 3, 26, 3),
        kecamatan="Tembalang",
        agency="damkar",
        disposition="resolved",
        claim_s=30,
        response_s=420,
    )
    clock = FakeClock(utc(2026, 3, 26, 23, 59))  # 27 March 06:59 WIB
    wakes: list[int] = []
    schedule = SummarySchedule(tz=WIB, daily_at=time(7, 0), monthly=False)

    def job() -> SummaryJob:
        return SummaryJob(
            db, clock, schedule, lambda: CHAT, lambda: wakes.append(1), render=render_summary
        )

    first = job()
    # Yesterday's 07:00 posting (for 25 March) is 24 h old: beyond catch-up, nothing posted.
    assert await first.tick() == utc(2026, 3, 27, 0)
    assert await outbox.counts(db) == {} and wakes == []

    clock.advance(timedelta(minutes=1))  # 07:00 WIB
    await first.tick()
    assert await outbox.counts(db) == {"pending": 1} and wakes == [1]
    async with db.read() as tx:
        row = await tx.one("SELECT payload, role, chat_id FROM outbox")
        rec = await tx.one("SELECT kind, period, outbox_id FROM summaries")
    assert row is not None and rec is not None
    assert row["role"] == "summary" and row["chat_id"] == CHAT
    assert "Kamis, 26 Maret 2026: 1 laporan tertangani" in row["payload"]
    assert (rec["kind"], rec["period"], rec["outbox_id"]) == ("daily", "2026-03-26", 1)

    clock.advance(timedelta(minutes=5))
    await first.tick()
    restarted = job()  # a new process, same database
    await restarted.tick()
    assert await outbox.counts(db) == {"pending": 1} and wakes == [1]


async def test_job_runs_in_the_background_and_stops(db: Database) -> None:
    clock = FakeClock(utc(2026, 3, 27, 0, 0))
    schedule = SummarySchedule(tz=WIB, monthly=False)
    job = SummaryJob(db, clock, schedule, lambda: CHAT, lambda: None, render=render_summary)
    await job.start()
    for _ in range(50):
        if await outbox.counts(db):
            break
        await asyncio.sleep(0.01)
    await job.stop()
    assert await outbox.counts(db) == {"pending": 1}


def test_schedule_from_settings_uses_defaults_where_unset(tmp_path: Path) -> None:
    s = summaries.schedule_from(factories.settings(tmp_path))
    assert (s.daily_at, s.monthly_at, s.catch_up) == (time(7), time(7), timedelta(hours=12))
    assert s.tz == WIB
    custom = summaries.schedule_from(
        factories.settings(
            tmp_path, daily_summary_time="06:30", summary_catch_up_hours=2, monthly_summary=False
        )
    )
    assert (custom.daily_at, custom.catch_up, custom.kinds) == (
        time(6, 30),
        timedelta(hours=2),
        ("daily",),
    )
