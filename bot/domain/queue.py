"""The order of open reports wherever several are listed: ``/antrian``, surge digests, a
queue board. Pure.

Most urgent first (SOS, then life-threatening categories, then the rest: the outbox's
delivery priority, :func:`bot.domain.categories.delivery_priority`); among equal
priorities, reports filed by trusted reporters (with a verified badge) first; then the
oldest first. Use it as a sort key::

    sorted(states, key=lambda s: report_queue_key(s.report, s.snapshot.received_at))
    sorted(entries, key=QueueEntry.key)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.categories import Category, delivery_priority
from bot.domain.models import Report

QueueKey = tuple[int, int, datetime, int]


def queue_key(priority: int, trusted: bool, since: datetime, tiebreak: int = 0) -> QueueKey:
    """Sort key: higher ``priority`` first, then trusted reporters, then the oldest
    ``since``; ``tiebreak`` (e.g. the report id) keeps the order stable."""
    return (-priority, 0 if trusted else 1, since, tiebreak)


def report_queue_key(report: Report, since: datetime | None = None) -> QueueKey:
    """:func:`queue_key` of a report, by its dispatch priority and badge; ``since`` is when
    it waits from (its card's arrival; default: when it was sent)."""
    priority = delivery_priority(report.category, to_dispatch=True, sos=report.sos)
    return queue_key(priority, report.badge is not None, since or report.submitted_at, report.id)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """What ordering needs of an open report, without loading the report."""

    report_id: int
    category: Category
    sos: bool
    trusted: bool
    since: datetime

    def key(self) -> QueueKey:
        """This entry's :func:`queue_key`."""
        priority = delivery_priority(self.category, to_dispatch=True, sos=self.sos)
        return queue_key(priority, self.trusted, self.since, self.report_id)
