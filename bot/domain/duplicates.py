"""Possible-duplicate detection. Pure: no storage, no clock (the prank-strike policy is in
:mod:`bot.domain.strikes`).

Duplicate rule
--------------
A new report is a *possible* duplicate of an open report when all hold:

* same category (exact key match);
* both have coordinates and they are at most ``radius_m`` (default 500 m) apart, measured with
  the WGS-84 geodesic (GeographicLib, as ``geopy.distance.geodesic``);
* their submission times are at most ``window`` (default 30 min) apart (either direction,
  boundaries inclusive);
* the other report is not closed, and is not the new report itself (same ticket).

Reports without coordinates (typed places only) are never matched: words like "depan pasar"
cannot be compared by distance, and a false "duplicate" hint on an emergency is worse than a
missed one. If the new report has no coordinates, there is no candidate at all. The best
candidate is the nearest in distance, then in time, then by ticket (deterministic).

The result is only a hint for the dispatcher ("possibly the same as SMG-...") - closing as a
duplicate is always a dispatcher's decision (``Close(disposition=DUPLICATE, duplicate_of=...)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from geographiclib.geodesic import Geodesic

__all__ = [
    "DEFAULT_RADIUS_M",
    "DEFAULT_WINDOW",
    "DuplicateCandidate",
    "ReportPoint",
    "distance_m",
    "find_possible_duplicate",
    "possible_duplicate_of",
]

DEFAULT_RADIUS_M: Final = 500.0
DEFAULT_WINDOW: Final = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class ReportPoint:
    """What duplicate detection needs to know about one report.

    ``at`` is the submission time (timezone-aware). ``lat``/``lon`` are both set or both
    ``None`` (typed place only).
    """

    ticket: str
    category: str
    at: datetime
    lat: float | None = None
    lon: float | None = None
    closed: bool = False

    def __post_init__(self) -> None:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("latitude and longitude come together")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise ValueError("latitude out of range")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise ValueError("longitude out of range")
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("timestamps must be timezone-aware")

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """An open report the new one may duplicate."""

    report: ReportPoint
    distance_m: float
    time_apart: timedelta
    """Absolute difference of the submission times."""


def distance_m(a: ReportPoint, b: ReportPoint) -> float | None:
    """Geodesic distance in metres, or ``None`` if either report has no coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return float(Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon, Geodesic.DISTANCE)["s12"])


def find_possible_duplicate(
    new: ReportPoint,
    open_reports: Iterable[ReportPoint],
    *,
    radius_m: float = DEFAULT_RADIUS_M,
    window: timedelta = DEFAULT_WINDOW,
) -> DuplicateCandidate | None:
    """The best open report ``new`` may duplicate (see the module docstring), or ``None``."""
    if radius_m < 0 or window < timedelta(0):
        raise ValueError("radius_m and window must not be negative")
    if not new.has_point:
        return None
    best: DuplicateCandidate | None = None
    for other in open_reports:
        if other.closed or other.ticket == new.ticket or other.category != new.category:
            continue
        time_apart = abs(new.at - other.at)
        if time_apart > window:
            continue
        distance = distance_m(new, other)
        if distance is None or distance > radius_m:
            continue
        candidate = DuplicateCandidate(other, distance, time_apart)
        if best is None or _rank(candidate) < _rank(best):
            best = candidate
    return best


def _rank(candidate: DuplicateCandidate) -> tuple[float, timedelta, str]:
    return candidate.distance_m, candidate.time_apart, candidate.report.ticket


def possible_duplicate_of(
    new: ReportPoint,
    *,
    sos: bool,
    own_open: str | None,
    nearby: Iterable[ReportPoint],
    radius_m: float = DEFAULT_RADIUS_M,
    window: timedelta = DEFAULT_WINDOW,
) -> str | None:
    """The ticket a new report may repeat, shown on its card as a hint.

    A one-tap SOS comes from someone who may already have a report open (the SOS is then
    likely the same emergency): that report. Any other report: the best open report of
    the same category nearby (:func:`find_possible_duplicate`).
    """
    if sos:
        return own_open
    found = find_possible_duplicate(new, nearby, radius_m=radius_m, window=window)
    return found.report.ticket if found else None
