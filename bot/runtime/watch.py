"""The link to the dispatchers, watched: reporters whose card has not reached the group
within ``NOT_RECEIVED_WARNING_SECONDS`` are told to phone 112 now (once), and while a
group refuses the bot the operators are told again every ``CUT_OFF_ALERT_MINUTES``.

Both read the database (``storage/receipts.py``, ``storage/incidents.py``), so they hold
across restarts and whatever kept the card back — a flood-limit backlog, a network
outage, Telegram down, a bot removed from the group.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.runtime.jobs import PeriodicJob
from bot.services import receipts
from bot.services.receipts import WarningMessages
from storage.db import Database

log = logging.getLogger(__name__)


class LinkWatch(PeriodicJob):
    """Warns reporters whose card is late; repeats the alerts about refusing groups."""

    name = "link-watch"
    max_sleep = 5.0  # a report filed while it sleeps is warned at most this late

    def __init__(
        self,
        db: Database,
        clock: Clock,
        bound: timedelta,
        warnings: WarningMessages,
        alert_again: Callable[[], Awaitable[datetime | None]],
        wake_outbox: Callable[[], None],
    ) -> None:
        super().__init__(clock)
        self._db = db
        self._bound = bound
        self._warnings = warnings
        self._alert_again = alert_again
        self._wake_outbox = wake_outbox

    async def tick(self) -> datetime | None:
        """Warn whoever is due, repeat due alerts; when to look again."""
        now = self._clock.now()
        warned = await receipts.warn_overdue(self._db, now, self._bound, self._warnings)
        for state in warned:
            log.error(
                "report %s has not reached the dispatch group %.0f s after it was sent:"
                " the reporter is told to phone 112 now",
                state.report.ticket,
                (now - state.report.submitted_at).total_seconds(),
            )
        if warned:
            self._wake_outbox()
        upcoming = [
            t
            for t in (
                await receipts.next_warning_due(self._db, now, self._bound),
                await self._alert_again(),
            )
            if t is not None
        ]
        return min(upcoming, default=None)
