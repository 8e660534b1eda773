"""Exports of a period's reports: shared by ``/ekspor`` and ``python -m bot export``.

The builders are pure (:mod:`bot.domain.export`); this use case loads the reports of a
period in one read and renders the file.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain import export
from bot.domain.export import ExportFormat, ExportLabels
from bot.domain.routing import Routing
from bot.domain.stats import Period
from storage import stats as store
from storage.db import Database


def agency_names(routing: Routing) -> dict[str, str]:
    """Agency key → full name."""
    return {a.key: a.name for a in routing.agencies()}


async def export_bytes(
    db: Database,
    period: Period,
    fmt: ExportFormat,
    routing: Routing,
    target: timedelta,
    labels: ExportLabels,
) -> tuple[bytes, int]:
    """The export file of a period's reports and how many reports it holds."""
    reports = await store.export_reports(db, period.start, period.end)
    data = export.render(fmt, reports, period.tz, agency_names(routing), labels, target)
    return data, len(reports)
