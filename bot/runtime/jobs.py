"""The 10-minute clock at work: fires timer alerts for open reports when they fall due,
expires idle drafts with a notice to their reporters, purges personal data past
the retention period, and posts the daily and monthly summaries.

Alerts are derived from stored events (``bot/timers.py``), and a fired alert is itself
an event, so the schedule survives restarts with no in-memory jobs: after a restart the
first :meth:`AlertScheduler.tick` fires whatever fell due while the bot was down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain import stats, timers
from bot.domain.card import CardState
from bot.domain.clock import Clock
from bot.domain.lifecycle import RESPONSE_TARGET
from bot.domain.messages import OutboundMessage
from bot.domain.models import Draft, Language
from bot.services import alerts, drafts, retention
from bot.services.insight import record_summary
from bot.services.summaries import (
    DueSummary,
    SummaryRenderer,
    SummarySchedule,
    due_now,
    next_wakeup,
    summary_message,
)
from storage import stats as stats_store
from storage.db import Database
from storage.drafts import next_draft_expiry
from storage.summaries import summary_recorded

log = logging.getLogger(__name__)

MAX_SLEEP = 30.0
SUMMARY_MAX_SLEEP = 60.0

AlertMessages = Callable[[CardState, timers.Alert, datetime], list[OutboundMessage]]
ExpiryMessages = Callable[[Draft, Language], list[OutboundMessage]]


class PeriodicJob(ABC):
    """A background loop that does its work, then sleeps until the work says it is next
    due (at most ``max_sleep``); :meth:`wake` cuts the sleep short."""

    name = "job"
    max_sleep = MAX_SLEEP
    min_sleep = 0.5

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    async def tick(self) -> datetime | None:
        """Do what is due now; return when to look again (None: nothing scheduled)."""

    def wake(self) -> None:
        """Something changed: look again now."""
        self._wake.set()

    async def start(self) -> None:
        """Run in the background."""
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Stop the background loop."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                nxt = await self.tick()
            except Exception:
                log.exception("%s failed", self.name)
                nxt = None
            delay = self.max_sleep
            if nxt is not None:
                seconds = (nxt - self._clock.now()).total_seconds()
                delay = min(self.max_sleep, max(self.min_sleep, seconds))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()


class AlertScheduler(PeriodicJob):
    """Checks open reports' timers; sleeps until the next one is due."""

    name = "alert-scheduler"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        policy: timers.TimerPolicy,
        messages: AlertMessages,
        wake_outbox: Callable[[], None],
        expiry_messages: ExpiryMessages | None = None,
        retention: timedelta | None = None,
    ) -> None:
        super().__init__(clock)
        self._db = db
        self._policy = policy
        self._messages = messages
        self._expiry_messages = expiry_messages
        self._retention = retention
        self._wake_outbox = wake_outbox
        self._first = True

    async def tick(self) -> datetime | None:
        """Fire every due alert now; return when the next one falls due."""
        now = self._clock.now()
        due = await alerts.fire_due_alerts(
            self._db,
            now,
            self._policy,
            lambda s, a: self._messages(s, a, now),
            recompute=self._first,
        )
        self._first = False
        fired = due.fired
        upcoming = [due.next_due] if due.next_due is not None else []
        if self._expiry_messages is not None:
            expired = await drafts.expire_drafts(self._db, now, self._expiry_messages)
            if expired:
                log.info("%d idle draft(s) expired", len(expired))
                fired += len(expired)
            soonest = await next_draft_expiry(self._db)
            if soonest is not None:
                upcoming.append(soonest)
        if self._retention is not None:
            purged = await retention.purge(self._db, now - self._retention, now)
            if purged:
                log.info("personal data of %d closed report(s) purged (retention)", purged)
        if fired:
            log.info("fired %d timer alert(s) and notice(s)", fired)
            self._wake_outbox()
        return min(upcoming) if upcoming else None


def policy_from(
    claim_reminder_minutes: float, response_target_minutes: float
) -> timers.TimerPolicy:
    """The timer policy from settings."""
    return timers.TimerPolicy(
        claim_reminder_after=timedelta(minutes=claim_reminder_minutes),
        claim_reminder_repeat=timedelta(minutes=claim_reminder_minutes),
        response_target=timedelta(minutes=response_target_minutes),
    )


class SummaryJob(PeriodicJob):
    """Posts due summaries through the outbox; sleeps until the next one."""

    name = "summary-job"
    max_sleep = SUMMARY_MAX_SLEEP
    min_sleep = 1.0

    def __init__(
        self,
        db: Database,
        clock: Clock,
        schedule: SummarySchedule,
        chat: Callable[[], int],
        wake_outbox: Callable[[], None],
        *,
        render: SummaryRenderer,
        lang: Language = "id",
        target: timedelta = RESPONSE_TARGET,
    ) -> None:
        super().__init__(clock)
        self._db = db
        self._schedule = schedule
        self._chat = chat
        self._wake_outbox = wake_outbox
        self._render = render
        self._lang = lang
        self._target = target

    async def build(self, due: DueSummary) -> str:
        """The text of one summary, from the database."""
        facts = await stats_store.report_facts(self._db, due.period.start, due.period.end)
        return self._render(stats.compute(facts, due.period, self._target), due.kind, self._lang)

    async def tick(self) -> datetime | None:
        """Queue every due summary not posted yet; return when the next one falls due."""
        now = self._clock.now()
        posted = 0
        for due in due_now(self._schedule, now):
            if await summary_recorded(self._db, due.kind, due.key):
                continue
            body = await self.build(due)
            message = summary_message(self._chat(), body)
            if await record_summary(self._db, due.kind, due.key, [message], now):
                log.info("queued the %s summary for %s", due.kind, due.key)
                posted += 1
        if posted:
            self._wake_outbox()
        return next_wakeup(self._schedule, now)
