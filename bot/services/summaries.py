"""Daily and monthly summaries posted in the dispatch chat, driven by a controllable clock.

Schedule (times are local, WIB by default)
------------------------------------------
* **Daily**: every day at ``daily_at`` (default 07:00), the summary of the *previous*
  complete local day (00:00–24:00).
* **Monthly**: on the 1st at ``monthly_at`` (default 07:00), the summary of the previous
  calendar month.

Only the latest due posting of each kind is ever sent, and only within ``catch_up``
(default 12 hours) of its time: after a long stop the bot does not flood the chat with
old summaries. A posting is recorded in the ``summaries`` table (``UNIQUE (kind,
period)``) in the same transaction that queues its message in the outbox, so a restart
never posts the same summary twice.

The text itself is rendered by the caller's :data:`SummaryRenderer`
(``handlers/views/summary.py``: "Februari 2025: 1.308 laporan tertangani", or English).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final, Literal, NamedTuple

from bot.config import Settings
from bot.domain import stats
from bot.domain.messages import OutboundMessage
from bot.domain.models import Language
from bot.domain.overview import MapPoint
from bot.domain.stats import Period, Statistics

log = logging.getLogger(__name__)

SummaryKind = Literal["daily", "monthly"]
SummaryRenderer = Callable[[Statistics, SummaryKind, Language], str]
"""Statistics of a period, the kind of summary and a language → the message (Telegram HTML)."""


class SummaryPicture(NamedTuple):
    """A picture a summary carries: a name for its file, the PNG, its caption (HTML)."""

    name: str
    png: bytes
    caption: str


SummaryPictures = Callable[["SummaryKind", Statistics, Sequence[MapPoint]], list[SummaryPicture]]
"""A summary's kind, its statistics and (daily) the day's reports on the map → its pictures."""
DEFAULT_TIME: Final = time(7, 0)
DEFAULT_CATCH_UP: Final = timedelta(hours=12)
MAX_SLEEP: Final = 60.0
SUMMARY_PRIORITY: Final = 5


@dataclass(frozen=True, slots=True)
class SummarySchedule:
    """When summaries are due (local times in ``tz``)."""

    tz: tzinfo
    daily_at: time = DEFAULT_TIME
    monthly_at: time = DEFAULT_TIME
    catch_up: timedelta = DEFAULT_CATCH_UP
    daily: bool = True
    monthly: bool = True

    @property
    def kinds(self) -> tuple[SummaryKind, ...]:
        out: list[SummaryKind] = []
        if self.daily:
            out.append("daily")
        if self.monthly:
            out.append("monthly")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class DueSummary:
    """One scheduled posting: what it covers and when it is due."""

    kind: SummaryKind
    period: Period
    due_at: datetime

    @property
    def key(self) -> str:
        """The period's name in the record: ``2025-02-14`` or ``2025-02``."""
        if self.kind == "monthly":
            return f"{self.period.first_day:%Y-%m}"
        return self.period.first_day.isoformat()


def _first_of_month(day: date, months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _daily(post_day: date, schedule: SummarySchedule) -> DueSummary:
    due = datetime.combine(post_day, schedule.daily_at, tzinfo=schedule.tz)
    return DueSummary("daily", stats.day_period(post_day - timedelta(days=1), schedule.tz), due)


def _monthly(post_day: date, schedule: SummarySchedule) -> DueSummary:
    due = datetime.combine(post_day, schedule.monthly_at, tzinfo=schedule.tz)
    previous = _first_of_month(post_day, -1)
    return DueSummary(
        "monthly", stats.month_period(previous.year, previous.month, schedule.tz), due
    )


def latest_due(kind: SummaryKind, schedule: SummarySchedule, now: datetime) -> DueSummary:
    """The most recent posting of a kind whose time is at or before ``now``."""
    today = now.astimezone(schedule.tz).date()
    if kind == "daily":
        candidate = _daily(today, schedule)
        return candidate if candidate.due_at <= now else _daily(today - timedelta(1), schedule)
    candidate = _monthly(_first_of_month(today), schedule)
    return candidate if candidate.due_at <= now else _monthly(_first_of_month(today, -1), schedule)


def next_due(kind: SummaryKind, schedule: SummarySchedule, now: datetime) -> DueSummary:
    """The first posting of a kind whose time is strictly after ``now``."""
    today = now.astimezone(schedule.tz).date()
    if kind == "daily":
        candidate = _daily(today, schedule)
        return candidate if candidate.due_at > now else _daily(today + timedelta(1), schedule)
    candidate = _monthly(_first_of_month(today), schedule)
    return candidate if candidate.due_at > now else _monthly(_first_of_month(today, 1), schedule)


def due_now(schedule: SummarySchedule, now: datetime) -> list[DueSummary]:
    """Postings to make now (if not recorded yet): the latest of each kind, within catch-up."""
    out = []
    for kind in schedule.kinds:
        due = latest_due(kind, schedule, now)
        if now - due.due_at <= schedule.catch_up:
            out.append(due)
    return out


def next_wakeup(schedule: SummarySchedule, now: datetime) -> datetime | None:
    """When the next posting falls due (None when both kinds are off)."""
    times = [next_due(kind, schedule, now).due_at for kind in schedule.kinds]
    return min(times) if times else None


def summary_message(chat_id: int, body: str) -> OutboundMessage:
    """The outbox row that posts a summary."""
    return OutboundMessage(
        chat_id,
        "send_message",
        {"text": body, "parse_mode": "HTML"},
        role="summary",
        priority=SUMMARY_PRIORITY,
        key="summary",
    )


def summary_photo(chat_id: int, stored_file: dict[str, str], caption: str) -> OutboundMessage:
    """The outbox row that posts one of a summary's pictures, as a reply to its text
    (``stored_file``: how the outbox names a generated file, opened when it is sent)."""
    return OutboundMessage(
        chat_id,
        "send_photo",
        {"photo": stored_file, "caption": caption, "parse_mode": "HTML"},
        role="summary",
        priority=SUMMARY_PRIORITY,
        reply_to_key="summary",
    )


def parse_time(value: str | time) -> time:
    """ "07:00" → time(7, 0) (settings may hold either)."""
    return value if isinstance(value, time) else time.fromisoformat(value)


def schedule_from(settings: Settings) -> SummarySchedule:
    """The schedule from settings (DAILY_SUMMARY_TIME, MONTHLY_SUMMARY_TIME,
    SUMMARY_CATCH_UP_HOURS, DAILY_SUMMARY, MONTHLY_SUMMARY)."""
    return SummarySchedule(
        tz=settings.tz,
        daily_at=parse_time(settings.daily_summary_time),
        monthly_at=parse_time(settings.monthly_summary_time),
        catch_up=timedelta(hours=settings.summary_catch_up_hours),
        daily=settings.daily_summary,
        monthly=settings.monthly_summary,
    )
