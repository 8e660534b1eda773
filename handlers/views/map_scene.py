"""What the ``/peta`` map frames: the view, the zoom, and the edge arrows for reports
beyond it. Pure geometry in the city's metric plane (``bot.domain.geo.to_plane``, metres),
no drawing, so it is tested on its own.

The view is the whole city, or — when the reports inside the city sit close together, or
a kecamatan is asked for — a zoom on them, where the kelurahan are drawn. Reports outside
the view (outside the city, or outside the zoom) are not lost: they are counted on arrows
at the frame's edge, one per compass direction, named after the kabupaten/kota or
kecamatan most of them are in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.geo import CityMap, Kecamatan, to_plane
from bot.domain.overview import MapPoint

ZOOM_SHARE = 0.45
"""Zoom in when the reports span at most this share of the city's width and height."""
ZOOM_PAD_M = 1500.0
"""Margin around the reports of a zoomed view (at least)."""
CITY_PAD = 0.03
"""Margin around the whole city, as a share of its size."""
SECTORS = 8


@dataclass(frozen=True, slots=True)
class View:
    """The frame in metres (x east, y north) and whether it is zoomed in."""

    x0: float
    y0: float
    x1: float
    y1: float
    zoomed: bool

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class EdgeArrow:
    """Reports beyond the frame in one direction: how many, and where most of them are."""

    angle: float
    """Direction from the frame's centre, radians (0 = east, counter-clockwise)."""
    count: int
    place: str
    """Where most of them are ("Kabupaten Kendal", "Kec. Tembalang", or a fallback)."""
    others: int
    """How many other places the rest are in."""


def fit_aspect(x0: float, y0: float, x1: float, y1: float, aspect: float, zoomed: bool) -> View:
    """The box grown (never shrunk) about its centre to width/height = ``aspect``."""
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return View(x0 - grow, y0, x1 + grow, y1, zoomed)
    grow = (w / aspect - h) / 2
    return View(x0, y0 - grow, x1, y1 + grow, zoomed)


def choose_view(
    inside: Sequence[tuple[float, float]], city: CityMap, focus: Kecamatan | None, aspect: float
) -> View:
    """The frame: a kecamatan asked for, the reports when they are close together (with
    ``ZOOM_PAD_M`` around them), or the whole city; grown to the map's ``aspect``."""
    cx0, cy0, cx1, cy1 = city.outline_shape().bounds
    if focus is not None:
        shape = dict((k.code, g) for k, g in city.kecamatan_shapes())[focus.code]
        x0, y0, x1, y1 = shape.bounds
        pad = 0.08 * max(x1 - x0, y1 - y0)
        return fit_aspect(x0 - pad, y0 - pad, x1 + pad, y1 + pad, aspect, zoomed=True)
    if inside:
        xs, ys = [p[0] for p in inside], [p[1] for p in inside]
        pad = max(ZOOM_PAD_M, 0.1 * max(max(xs) - min(xs), max(ys) - min(ys)))
        x0, y0, x1, y1 = min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad
        if (x1 - x0) <= ZOOM_SHARE * (cx1 - cx0) and (y1 - y0) <= ZOOM_SHARE * (cy1 - cy0):
            return fit_aspect(x0, y0, x1, y1, aspect, zoomed=True)
    pad = CITY_PAD * max(cx1 - cx0, cy1 - cy0)
    return fit_aspect(cx0 - pad, cy0 - pad, cx1 + pad, cy1 + pad, aspect, zoomed=False)


def plane_xy(point: MapPoint) -> tuple[float, float]:
    """A report's position in the metric plane (it must have coordinates)."""
    assert point.lat is not None and point.lon is not None
    return to_plane(point.lat, point.lon)


def place_name(point: MapPoint, outside_java: str, outside_city: str) -> str:
    """Where a report beyond the frame is, in a few words."""
    if point.outside_city:
        if point.region and point.region != "Kota Semarang":
            return point.region.replace("Kabupaten ", "Kab. ")
        return outside_java if point.beyond_java else outside_city
    return f"Kec. {point.kecamatan}" if point.kecamatan else outside_city


def edge_arrows(
    beyond: Sequence[tuple[MapPoint, float, float]],
    view: View,
    *,
    outside_java: str,
    outside_city: str,
) -> list[EdgeArrow]:
    """Group the reports beyond the frame (point, x, y) into one arrow per compass
    direction from the frame's centre, most reports first."""
    cx, cy = (view.x0 + view.x1) / 2, (view.y0 + view.y1) / 2
    sectors: dict[int, list[tuple[float, str]]] = {}
    for point, x, y in beyond:
        angle = math.atan2(y - cy, x - cx)
        sector = round(angle / (2 * math.pi / SECTORS)) % SECTORS
        sectors.setdefault(sector, []).append(
            (angle, place_name(point, outside_java, outside_city))
        )
    arrows = []
    for sector, items in sectors.items():
        places = Counter(name for _, name in items).most_common()
        arrows.append(
            EdgeArrow(
                angle=sector * 2 * math.pi / SECTORS,
                count=len(items),
                place=places[0][0],
                others=len(places) - 1,
            )
        )
    return sorted(arrows, key=lambda a: (-a.count, a.angle))


def arrow_tip(view: View, angle: float, inset: float) -> tuple[float, float]:
    """Where a ray from the frame's centre at ``angle`` meets the frame, ``inset`` (a share
    of the frame's size) inside its edge."""
    cx, cy = (view.x0 + view.x1) / 2, (view.y0 + view.y1) / 2
    half_w = view.width / 2 * (1 - inset)
    half_h = view.height / 2 * (1 - inset)
    dx, dy = math.cos(angle), math.sin(angle)
    scale = min(
        half_w / abs(dx) if abs(dx) > 1e-9 else math.inf,
        half_h / abs(dy) if abs(dy) > 1e-9 else math.inf,
    )
    return cx + dx * scale, cy + dy * scale
