"""Benchmark: ``/peta`` with 500 open reports — the read and the map, as the handler does it.

Not a test. Run from the repository root::

    .venv/bin/python bench/map_bench.py [--reports 500] [--runs 7]

It creates a fresh database with the real migrations and files the reports through the
real path (``bot.services.reports.submit_report``, locations placed by
``bot.domain.locating.with_area``): most at random points in the 177 kelurahan, about one
in twenty-five outside the city (Kendal, Demak, Kabupaten Semarang, Brebes), one in fifty
a typed place without coordinates; then moves them through the states (card delivered,
claimed, dispatched, en route, on scene) so every colour is drawn. It then times what
``handlers/insight/map.py`` does for ``/peta``: the read (``storage.overview.map_points``)
and the map drawn in a worker thread (``asyncio.to_thread``), wall-clock and the drawing
thread's own CPU time. The first map of a process builds the boundary paths, the legend
and the font caches: it is reported apart (the matplotlib import itself, done once per
process, too).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain import lifecycle, overview
from bot.domain.categories import CHOOSABLE, Category
from bot.domain.geo import CityMap
from bot.domain.locating import with_area
from bot.domain.models import Draft, LocationSource, Reporter, ReportLocation, Step
from bot.domain.strikes import FilingLimit, StrikePolicy
from bot.services import reports
from storage.db import Database
from storage.overview import map_points

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 27, 5, 0, tzinfo=UTC)  # 12:00 WIB
TARGET = timedelta(minutes=10)
OUTSIDE = [(-6.9740, 110.0690), (-6.9230, 110.5120), (-7.2430, 110.4310), (-7.2480, 109.0000)]
DISPATCHER = lifecycle.Dispatcher(1, "Sari")


def location(rnd: random.Random, n: int, city: CityMap) -> ReportLocation:
    if n % 50 == 0:
        return ReportLocation(source=LocationSource.TYPED, text="dekat pasar")
    if n % 25 == 0:
        lat, lon = rnd.choice(OUTSIDE)
    else:
        k = rnd.choice(city.kelurahan_list())
        lat, lon = k.centroid.lat, k.centroid.lon
    spot = ReportLocation(
        source=LocationSource.GPS, lat=lat + rnd.gauss(0, 0.003), lon=lon + rnd.gauss(0, 0.003)
    )
    return with_area(spot, city)


def steps(n: int) -> list[lifecycle.Action]:
    chain: list[lifecycle.Action] = [
        lifecycle.CardDelivered(),
        lifecycle.Claim(DISPATCHER),
        lifecycle.Dispatch(DISPATCHER, "damkar"),
        lifecycle.EnRoute(DISPATCHER),
        lifecycle.OnScene(DISPATCHER),
    ]
    return chain[: n % (len(chain) + 1)]


# Bench reports are filed by many people, none over the per-person limit.
INTAKE = reports.Intake(
    city_code="SMG",
    tz=WIB,
    limit=FilingLimit(count=10, window=timedelta(minutes=10)),
    duplicate_radius_m=0.0,
    duplicate_window=timedelta(0),
)


async def fill(db: Database, count: int, city: CityMap) -> None:
    rnd = random.Random(112)
    categories = [*CHOOSABLE, Category.UNKNOWN]
    for n in range(1, count + 1):
        at = NOW - timedelta(minutes=rnd.uniform(0, 45))
        draft = Draft(
            chat_id=n,
            user_id=n,
            step=Step.CONFIRM,
            category=rnd.choice(categories),
            location=location(rnd, n, city),
        )
        done = await reports.submit_report(
            db, draft, Reporter(user_id=n, first_name="Warga"), INTAKE, at, lambda s: []
        )
        assert isinstance(done, reports.Submitted)
        for i, action in enumerate(steps(n)):
            await reports.apply_action(
                db,
                done.report.id,
                action,
                at + timedelta(seconds=30 * (i + 1)),
                lambda s, t: [],
                strikes=StrikePolicy(),
            )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="map-bench-")
    db = await Database.open(Path(folder) / "bench.sqlite3")
    city = CityMap.load()
    try:
        began = time.perf_counter()
        await fill(db, args.reports, city)
        print(f"filed {args.reports} open reports in {time.perf_counter() - began:.1f} s")
        t = time.perf_counter()
        from handlers.views.map import MapSpec, draw_map  # imports matplotlib

        print(f"import of the map module (matplotlib): {(time.perf_counter() - t) * 1000:.0f} ms")

        def timed(spec: MapSpec) -> tuple[float, int, int, int]:
            cpu = time.thread_time()
            picture = draw_map(spec)
            used = time.thread_time() - cpu
            return used, picture.drawn, len(picture.labels), len(picture.png)

        reads, draws, cpus, totals = [], [], [], []
        result = (0.0, 0, 0, 0)
        for run in range(args.runs + 1):
            t0 = time.perf_counter()
            points = await map_points(db)
            t1 = time.perf_counter()
            spec = MapSpec(points, city, NOW, WIB, TARGET, "id")
            result = await asyncio.to_thread(timed, spec)
            t2 = time.perf_counter()
            overview.count(points, NOW, TARGET)
            if run == 0:
                print(
                    f"first map of the process: {(t2 - t0) * 1000:.0f} ms "
                    f"(read {(t1 - t0) * 1000:.0f} ms, draw {(t2 - t1) * 1000:.0f} ms, "
                    f"draw CPU {result[0] * 1000:.0f} ms)"
                )
                continue
            reads.append(t1 - t0)
            draws.append(t2 - t1)
            cpus.append(result[0])
            totals.append(t2 - t0)
        _, drawn, labelled, size = result

        def ms(xs: list[float]) -> str:
            return f"median {statistics.median(xs) * 1000:.0f} ms (best {min(xs) * 1000:.0f})"

        print(
            f"map: {len(points)} open reports, {drawn} in the frame, {labelled} numbered, "
            f"PNG {size / 1000:.0f} kB"
        )
        print(f"read (map_points):     {ms(reads)}")
        print(f"draw (worker thread):  {ms(draws)}, its CPU {ms(cpus)}")
        print(f"/peta read + draw:     {ms(totals)} over {args.runs} runs")
        print(f"load average (1, 5, 15 min): {os.getloadavg()}, CPUs: {os.cpu_count()}")
    finally:
        await db.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
