"""``python -m bot export``: a period's reports written to a file or standard output.

The use case is :func:`bot.services.exports.export_bytes` (shared with ``/ekspor``).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.config import Settings
from bot.domain import export
from bot.domain.routing import load_routing
from bot.domain.stats import range_period
from bot.runtime.safety import missing_database, refuse_target, write_replacing
from bot.services.exports import export_bytes
from handlers.views.texts import EXPORT_WORDS
from storage.db import Database


async def run_export(
    settings: Settings,
    date_from: date,
    date_to: date,
    fmt: str,
    output: str | Path | None,
    *,
    force: bool = False,
) -> int:
    """``python -m bot export``: write the reports submitted on local days
    ``date_from … date_to`` (inclusive) to ``output`` (stdout when None or "-").

    An existing ``output`` is replaced only with ``force``; the live database never; a
    missing database is refused, not created. Returns the exit status: 0 done, 1 refused,
    2 bad arguments.
    """
    chosen = export.parse_format(fmt)
    if chosen is None:
        print(f"unknown format {fmt!r} (choose {', '.join(export.FORMATS)})", file=sys.stderr)
        return 2
    if date_to < date_from:
        print("--to must be on or after --from", file=sys.stderr)
        return 2
    sqlite = None if settings.shared_database else settings.sqlite_file  # else PostgreSQL
    problem = None if sqlite is None else missing_database(sqlite)
    target = None if output is None or str(output) == "-" else Path(output)
    if problem is None and target is not None:
        problem = refuse_target(target, sqlite, force=force)
    if problem is not None:
        print(f"export: {problem}", file=sys.stderr)
        return 1
    period = range_period(date_from, date_to, settings.tz)
    routing = load_routing(settings.routing_path)
    db = await Database.open(settings.database)
    try:
        response_target = timedelta(minutes=settings.response_target_minutes)
        data, count = await export_bytes(db, period, chosen, routing, response_target, EXPORT_WORDS)
    finally:
        await db.close()
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        await asyncio.to_thread(write_replacing, target, data)
        print(f"{count} report(s) written to {target}", file=sys.stderr)
    return 0
