"""The reports a map shows (``/peta``): one read, as :class:`bot.domain.overview.MapPoint`."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import from_iso, utc_iso
from bot.domain.overview import OPEN_STATE_VALUES, MapPoint
from storage.db import Database, Row

_COLUMNS = (
    "ticket, category, state, sos, lat, lon, outside_city, kecamatan, region, beyond_java,"
    " submitted_at, received_at, on_scene_at"
)


def _point(row: Row) -> MapPoint:
    submitted = from_iso(row["submitted_at"])
    return MapPoint(
        ticket=row["ticket"],
        category=row["category"],
        state=row["state"],
        submitted_at=submitted,
        started_at=from_iso(row["received_at"]) if row["received_at"] else submitted,
        lat=row["lat"],
        lon=row["lon"],
        sos=bool(row["sos"]),
        on_scene_at=from_iso(row["on_scene_at"]) if row["on_scene_at"] else None,
        outside_city=bool(row["outside_city"]),
        kecamatan=row["kecamatan"],
        region=row["region"],
        beyond_java=bool(row["beyond_java"]),
    )


async def map_points(
    db: Database, since: datetime | None = None, until: datetime | None = None
) -> list[MapPoint]:
    """The open reports (``since`` None), or every report submitted since a time (open or
    closed; before ``until`` if given); oldest first."""
    async with db.read() as tx:
        if since is None:
            marks = ", ".join("?" for _ in OPEN_STATE_VALUES)
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM reports WHERE state IN ({marks})"
                " ORDER BY submitted_at, id",
                OPEN_STATE_VALUES,
            )
        else:
            end = "9999-12-31" if until is None else utc_iso(until)
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM reports WHERE submitted_at >= ? AND submitted_at < ?"
                " ORDER BY submitted_at, id",
                (utc_iso(since), end),
            )
    return [_point(r) for r in rows]
