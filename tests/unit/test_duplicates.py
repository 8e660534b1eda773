"""Possible-duplicate detection and prank strikes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from geopy.distance import geodesic

from bot.domain.duplicates import (
    DEFAULT_RADIUS_M,
    DEFAULT_WINDOW,
    DuplicateCandidate,
    ReportPoint,
    distance_m,
    find_possible_duplicate,
)
from bot.domain.lifecycle import Disposition
from bot.domain.strikes import StrikePolicy, counts_as_strike, is_blocked, strikes_left

WIB = timezone(timedelta(hours=7), "WIB")
NOW = datetime(2026, 3, 27, 14, 30, tzinfo=WIB)
SIMPANG_LIMA = (-6.99030, 110.42290)
FIRE = "fire"

_counter = iter(range(2, 10_000))


def point(
    *,
    north_m: float = 0.0,
    east_m: float = 0.0,
    minutes_ago: float = 10.0,
    category: str = FIRE,
    closed: bool = False,
    ticket: str | None = None,
    coords: bool = True,
) -> ReportPoint:
    """A report ``north_m``/``east_m`` metres from Simpang Lima, ``minutes_ago`` before NOW."""
    lat, lon = SIMPANG_LIMA
    if north_m:
        lat, lon = _move(lat, lon, north_m, 0)
    if east_m:
        lat, lon = _move(lat, lon, east_m, 90)
    return ReportPoint(
        ticket=ticket or f"SMG-260327-{next(_counter):04d}",
        category=category,
        at=NOW - timedelta(minutes=minutes_ago),
        lat=lat if coords else None,
        lon=lon if coords else None,
        closed=closed,
    )


def _move(lat: float, lon: float, metres: float, bearing: float) -> tuple[float, float]:
    dest = geodesic(meters=metres).destination((lat, lon), bearing=bearing)
    return float(dest.latitude), float(dest.longitude)


def new_report(*, coords: bool = True) -> ReportPoint:
    """The incoming report: at Simpang Lima, at NOW."""
    return point(ticket="SMG-260327-0001", minutes_ago=0, coords=coords)


def test_defaults() -> None:
    assert DEFAULT_RADIUS_M == 500
    assert DEFAULT_WINDOW == timedelta(minutes=30)


def test_helper_places_points_at_the_requested_distance() -> None:
    a, b = point(), point(north_m=400)
    assert distance_m(a, b) == pytest.approx(400, abs=0.01)
    assert distance_m(a, point(coords=False)) is None


@pytest.mark.parametrize(
    ("north_m", "matched"),
    [(0, True), (120, True), (400, True), (499.5, True), (500.5, False), (600, False)],
)
def test_radius(north_m: float, matched: bool) -> None:
    other = point(north_m=north_m)
    found = find_possible_duplicate(new_report(), [other])
    assert (found is not None) is matched
    if found is not None:
        assert found.report == other
        assert found.distance_m == pytest.approx(north_m, abs=0.01)


@pytest.mark.parametrize(
    ("minutes_ago", "matched"),
    [(1, True), (29, True), (30, True), (31, False), (120, False), (-5, True), (-31, False)],
)
def test_time_window(minutes_ago: float, matched: bool) -> None:
    other = point(north_m=100, minutes_ago=minutes_ago)
    found = find_possible_duplicate(new_report(), [other])
    assert (found is not None) is matched
    if found is not None:
        assert found.time_apart == timedelta(minutes=abs(minutes_ago))


def test_closed_reports_are_ignored() -> None:
    assert find_possible_duplicate(new_report(), [point(north_m=50, closed=True)]) is None


def test_other_category_is_ignored() -> None:
    other = point(north_m=50, category="traffic_accident")
    assert find_possible_duplicate(new_report(), [other]) is None


def test_reports_without_coordinates_are_never_matched() -> None:
    typed_only = point(coords=False, minutes_ago=1)
    assert find_possible_duplicate(new_report(), [typed_only]) is None
    assert find_possible_duplicate(new_report(coords=False), [point(north_m=10)]) is None


def test_the_report_itself_is_not_its_own_duplicate() -> None:
    new = new_report()
    assert find_possible_duplicate(new, [new]) is None


def test_nearest_in_distance_wins() -> None:
    far = point(north_m=300, minutes_ago=1)
    near = point(east_m=100, minutes_ago=25)
    found = find_possible_duplicate(new_report(), [far, near, point(north_m=700)])
    assert found is not None
    assert found.report == near


def test_equal_distance_nearest_in_time_wins() -> None:
    older = point(north_m=200, minutes_ago=20)
    newer = point(north_m=200, minutes_ago=5)
    found = find_possible_duplicate(new_report(), [older, newer])
    assert found is not None
    assert found == DuplicateCandidate(newer, found.distance_m, timedelta(minutes=5))


def test_custom_radius_and_window() -> None:
    other = point(north_m=800, minutes_ago=50)
    assert find_possible_duplicate(new_report(), [other]) is None
    found = find_possible_duplicate(new_report(), [other], radius_m=1000, window=timedelta(hours=1))
    assert found is not None
    with pytest.raises(ValueError):
        find_possible_duplicate(new_report(), [other], radius_m=-1)


def test_no_open_reports() -> None:
    assert find_possible_duplicate(new_report(), []) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lat": -6.99, "lon": None},
        {"lat": 91.0, "lon": 110.0},
        {"lat": -6.99, "lon": 181.0},
        {"lat": -6.99, "lon": 110.42, "at": datetime(2026, 3, 27, 14, 0)},
    ],
)
def test_report_point_validation(kwargs: dict[str, object]) -> None:
    values: dict[str, Any] = {"ticket": "T", "category": FIRE, "at": NOW, **kwargs}
    with pytest.raises(ValueError):
        ReportPoint(**values)


# -------------------------------------------------------------------------------- prank strikes


@pytest.mark.parametrize(
    ("strikes", "blocked", "left"), [(0, False, 3), (2, False, 1), (3, True, 0), (5, True, 0)]
)
def test_default_strike_policy(strikes: int, blocked: bool, left: int) -> None:
    assert is_blocked(strikes) is blocked
    assert strikes_left(strikes) == left


def test_custom_strike_policy() -> None:
    policy = StrikePolicy(max_strikes=1)
    assert not is_blocked(0, policy)
    assert is_blocked(1, policy)
    with pytest.raises(ValueError):
        StrikePolicy(max_strikes=0)


def test_only_pranks_count_as_strikes() -> None:
    assert counts_as_strike(Disposition.PRANK)
    assert not any(counts_as_strike(d) for d in Disposition if d is not Disposition.PRANK)
