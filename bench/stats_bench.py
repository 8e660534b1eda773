"""Benchmark: a month's statistics over a database of 1,000,000 synthetic reports.

Not a test. Run from the repository root::

    .venv/bin/python bench/stats_bench.py [--reports 1000000] [--db PATH] [--keep]

It creates a fresh database with the real migrations, bulk-inserts synthetic reports
(``executemany`` inside one transaction) spread over two years with realistic shares of
categories, kecamatan, hours of day, claim/response times and outcomes, then times the
statistics of one month: the query (``storage.stats.report_facts``), the computation
(``bot.domain.stats.compute``) and, separately, the chart.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain import stats
from bot.domain.models import utc_iso
from handlers.views import charts
from storage import stats as store
from storage.db import Database

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2024, 4, 1, tzinfo=WIB)
DAYS = 730

CATEGORIES = {  # category: (weight, agency)
    "traffic_accident": (25, "satlantas"),
    "medical_emergency": (15, "dinkes"),
    "ambulance_hebat": (10, "dinkes"),
    "fire": (8, "damkar"),
    "crime": (8, "polrestabes"),
    "security_public_order": (8, "satpol_pp"),
    "fallen_tree": (6, "disperkim"),
    "electrical_short_circuit": (5, "pln"),
    "disaster": (3, "bpbd"),
    "wild_animal_evacuation": (3, "damkar"),
    "corpse_found": (1, "polrestabes"),
    "other": (8, "command_center"),
}
KECAMATAN = {  # rough population weights
    "Pedurungan": 19, "Tembalang": 19, "Banyumanik": 14, "Semarang Barat": 13,
    "Ngaliyan": 14, "Genuk": 12, "Semarang Utara": 10, "Gayamsari": 7, "Candisari": 8,
    "Semarang Timur": 6, "Semarang Selatan": 6, "Gajahmungkur": 6, "Mijen": 8,
    "Gunungpati": 9, "Tugu": 3, "Semarang Tengah": 5,
}  # fmt: skip
DISPOSITIONS = {
    "resolved": 70, "false_alarm": 8, "prank": 5, "duplicate": 5, "transferred": 4,
    "no_further_action": 5, "cancelled_by_reporter": 3,
}  # fmt: skip
HOURS = [2, 1, 1, 1, 1, 2, 4, 7, 8, 7, 6, 6, 6, 6, 6, 7, 8, 8, 7, 6, 5, 4, 3, 3]


def rows(n: int, seed: int = 112) -> Iterator[tuple[object, ...]]:
    """Synthetic report rows, oldest first."""
    rnd = random.Random(seed)
    cats = list(CATEGORIES)
    cat_w = [CATEGORIES[c][0] for c in cats]
    kecs = list(KECAMATAN)
    kec_w = list(KECAMATAN.values())
    disps = list(DISPOSITIONS)
    disp_w = list(DISPOSITIONS.values())
    stamps = []
    for _ in range(n):
        day = rnd.randrange(DAYS)
        hour = rnd.choices(range(24), HOURS)[0]
        local = START + timedelta(days=day, hours=hour, seconds=rnd.randrange(3600))
        stamps.append(local.astimezone(UTC))
    stamps.sort()
    for i, submitted in enumerate(stamps, start=1):
        category = rnd.choices(cats, cat_w)[0]
        roll = rnd.random()
        outside = roll < 0.03
        kecamatan = None if outside or roll > 0.98 else rnd.choices(kecs, kec_w)[0]
        t0 = submitted + timedelta(seconds=rnd.uniform(1, 6))
        t1 = t0 + timedelta(seconds=rnd.lognormvariate(math.log(50), 0.7))
        disposition = rnd.choices(disps, disp_w)[0]
        dispatched = disposition in ("resolved", "no_further_action", "false_alarm")
        agency = CATEGORIES[category][1] if dispatched else None
        t2 = t1 + timedelta(seconds=rnd.lognormvariate(math.log(60), 0.6)) if agency else None
        t4 = None
        if t2 is not None and rnd.random() < 0.9:
            t4 = t0 + timedelta(seconds=rnd.lognormvariate(math.log(480), 0.45))
        closed = (t4 or t2 or t1) + timedelta(minutes=rnd.uniform(5, 90))
        yield (
            f"B{i:08d}",
            1 + i % 50_000,
            1 + i % 50_000,
            "id",
            category,
            "closed",
            utc_iso(submitted),
            utc_iso(t0),
            utc_iso(t1),
            utc_iso(t2) if t2 else None,
            utc_iso(t4) if t4 else None,
            utc_iso(closed),
            agency,
            disposition,
            kecamatan,
            int(outside),
            utc_iso(closed),
        )


async def fill(db: Database, n: int) -> None:
    """Bulk insert: reporters, then the reports in chunks inside one transaction."""
    now = utc_iso(datetime.now(UTC))
    sql = (
        "INSERT INTO reports (ticket, reporter_id, chat_id, language, category, state,"
        " submitted_at, received_at, claimed_at, dispatched_at, on_scene_at, closed_at,"
        " agency, disposition, kecamatan, outside_city, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO reporters (user_id, first_name, created_at, updated_at)"
            " VALUES (?, 'Warga', ?, ?)",
            [(u, now, now) for u in range(1, 50_001)],
        )
        chunk: list[tuple[object, ...]] = []
        for row in rows(n):
            chunk.append(row)
            if len(chunk) == 100_000:
                await tx.executemany(sql, chunk)
                chunk = []
        if chunk:
            await tx.executemany(sql, chunk)
        # Ratings for every fifth report of the resolved ones.
        await tx.execute(
            "INSERT INTO ratings (report_id, reporter_id, stars, rated_at)"
            " SELECT id, reporter_id, 1 + (id * 7) % 5, closed_at FROM reports"
            " WHERE disposition = 'resolved' AND id % 5 = 0"
        )
    async with db.transaction() as tx:
        await tx.execute("ANALYZE")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="database file (fresh)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="stats-bench-")
    path = args.db or Path(folder) / "bench.sqlite3"
    if path.exists():
        sys.exit(f"{path} exists: the benchmark needs a fresh database")
    db = await Database.open(path)
    try:
        began = time.perf_counter()
        await fill(db, args.reports)
        print(f"inserted {args.reports:,} reports in {time.perf_counter() - began:.1f} s")
        print(f"database size: {path.stat().st_size / 1e6:.0f} MB ({path})")

        period = stats.month_period(2026, 2, WIB)
        async with db.read() as tx:
            plan = await tx.all(
                "EXPLAIN QUERY PLAN " + store._FACTS_SQL,
                (utc_iso(period.start), utc_iso(period.end)),
            )
        print("query plan:", " | ".join(str(r["detail"]) for r in plan))
        query_t, compute_t, total_t = [], [], []
        st = None
        facts: list[stats.ReportFact] = []
        for _ in range(args.runs):
            t = time.perf_counter()
            facts = await store.report_facts(db, period.start, period.end)
            q = time.perf_counter()
            st = stats.compute(facts, period)
            stats.activity(facts, period)
            c = time.perf_counter()
            query_t.append(q - t)
            compute_t.append(c - q)
            total_t.append(c - t)
        assert st is not None
        t = time.perf_counter()
        charts.statistics_chart(st, stats.activity(facts, period), "id")
        chart_t = time.perf_counter() - t
        o = st.overall
        print(
            f"month {period.label('en')}: {o.reports:,} reports, "
            f"response median {o.response.median:.0f} s, p90 {o.response.p90:.0f} s, "
            f"within 10 min {o.within_target_share:.1%}, ratings {st.ratings:,}"
        )

        def ms(xs: list[float]) -> str:
            return f"median {statistics.median(xs) * 1000:.0f} ms (best {min(xs) * 1000:.0f})"

        print(f"query + parse:      {ms(query_t)}")
        print(f"compute:            {ms(compute_t)}")
        print(f"month's statistics: {ms(total_t)} over {args.runs} runs")
        print(f"chart (PNG):        {chart_t * 1000:.0f} ms")
    finally:
        await db.close()
        if args.db is None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
