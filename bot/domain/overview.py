"""The city at a glance (``/peta``): which reports a map shows and what its caption counts.

Pure domain module: no Telegram, no SQL, no drawing. The storage layer
(``storage/overview.py``) turns report rows into :class:`MapPoint` values; the map itself
is drawn by ``handlers/views/map.py``.

Which reports
-------------
``/peta`` shows the open reports (every state but closed, including a card still on its
way); ``/peta hari`` shows today's reports (submitted since 00:00 in the city's zone),
closed ones faded. A report is *late* (⚠) when it is open, nobody is on scene yet and
the response target (10 minutes) has passed since its card reached the dispatchers (or,
before that, since it was sent) — the same rule as ``/antrian``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.domain.geo import CityMap, Kecamatan
from bot.domain.lifecycle import ReportState
from bot.domain.models import parse_ticket
from bot.domain.stats import local_midnight, parse_period_word
from bot.domain.timers import waiting_past_target

OPEN_STATE_VALUES: tuple[str, ...] = tuple(
    s.value for s in ReportState if s is not ReportState.CLOSED
)
"""Every state but closed (a submitted report's card may still be on its way)."""


@dataclass(frozen=True, slots=True)
class MapPoint:
    """What the map needs of one report."""

    ticket: str
    category: str
    state: str
    submitted_at: datetime
    started_at: datetime
    """When the response clock started: the card reached the dispatchers (t0), or, before
    that, when the report was sent."""
    lat: float | None = None
    lon: float | None = None
    sos: bool = False
    on_scene_at: datetime | None = None
    outside_city: bool = False
    kecamatan: str | None = None
    region: str | None = None
    """Outside the city: its kabupaten/kota of Java ("Kabupaten Kendal")."""
    beyond_java: bool = False

    @property
    def closed(self) -> bool:
        """True once the report is closed."""
        return self.state == ReportState.CLOSED.value

    @property
    def has_point(self) -> bool:
        """True when the report has coordinates (a typed place may have none)."""
        return self.lat is not None and self.lon is not None

    def late(self, now: datetime, target: timedelta) -> bool:
        """Open, nobody on scene, and the target has passed (as ``/antrian`` marks ⚠)."""
        return waiting_past_target(
            self.started_at, self.on_scene_at, open_=not self.closed, now=now, target=target
        )


@dataclass(frozen=True, slots=True)
class MapCounts:
    """What a map's caption counts (before drawing decides what fits in the frame)."""

    total: int
    open: int
    closed: int
    late: int
    outside_city: int
    without_point: int


def count(points: Iterable[MapPoint], now: datetime, target: timedelta) -> MapCounts:
    """Count the reports of a map by what the caption says about them."""
    items = list(points)
    return MapCounts(
        total=len(items),
        open=sum(1 for p in items if not p.closed),
        closed=sum(1 for p in items if p.closed),
        late=sum(1 for p in items if p.late(now, target)),
        outside_city=sum(1 for p in items if p.outside_city and p.has_point),
        without_point=sum(1 for p in items if not p.has_point),
    )


def short_number(ticket: str, today: date) -> str:
    """A ticket's number as the map labels it: ``42`` for today's ``SMG-…-0042``; a report
    from another day gets its day of the month first (``13.42``)."""
    canonical = parse_ticket(ticket)
    if canonical is None:
        return ticket
    _, day, sequence = canonical.split("-")
    number = str(int(sequence))
    if day == f"{today:%y%m%d}":
        return number
    return f"{int(day[4:])}.{number}"


@dataclass(frozen=True, slots=True)
class MapRequest:
    """What ``/peta`` was asked for: today's reports or the open ones, and a kecamatan to
    zoom to (its kelurahan drawn) or the whole city."""

    today: bool = False
    focus: Kecamatan | None = None


def parse_map_request(words: Sequence[str], city: CityMap) -> MapRequest | None:
    """``/peta [hari] [kecamatan]`` → the request; None when a word is not understood."""
    today = False
    rest: list[str] = []
    for word in words:
        if parse_period_word(word) == "day":
            today = True
        else:
            rest.append(word)
    focus = None
    if rest:
        focus = city.kecamatan_by_name(" ".join(rest))
        if focus is None:
            return None
    return MapRequest(today=today, focus=focus)


def today_start(now: datetime, tz: tzinfo) -> datetime:
    """00:00 today in the city's zone."""
    return local_midnight(now.astimezone(tz).date(), tz)
