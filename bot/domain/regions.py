"""Which kabupaten or kota of Java a point outside Kota Semarang lies in.

Pure domain module (no Telegram, no SQL). The 119 kabupaten and kota of Java's six
provinces are read from ``bot/data/java_kabupaten_kota.geojson`` (see
``bot/data/README.md`` for the source and licence): a traveller outside the city is told
where they are, and dispatchers see it on the card, in the queue, the statistics and the
exports.

Method and accuracy
-------------------
The polygons are WGS84 lon/lat degrees, simplified by their compiler to about 50 m.
Containment is tested in lon/lat directly (an STRtree over the polygons): it does not
depend on a projection. A point inside no polygon — at sea, on a beach or harbour the
simplified coast leaves out — is given to the nearest kabupaten/kota when that is at most
:data:`COASTAL_M` away (geodesic distance to the nearest boundary point), as a
kabupaten's waters reach 4 nautical miles out from its coast (UU 23/2014, a third of the
province's 12). Farther out the point is off Java (:attr:`RegionPlacement.beyond_java`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points
from shapely.strtree import STRtree

from bot.domain.geo import validate_coordinates

COASTAL_M = 7_408.0
"""Four nautical miles: points this close to a kabupaten/kota's coast count as in it."""

KOTA_SEMARANG = "33.74"
"""The city's own code: a point placed here lies outside the city's outline (sea)."""

# Degrees of latitude that cover COASTAL_M anywhere in Java (longitude degrees are wider
# there, so this bounds the search from above); the exact distance is then geodesic.
_SEARCH_DEG = COASTAL_M / 110_000 * 1.05
_FILE = "java_kabupaten_kota.geojson"


@dataclass(frozen=True, slots=True)
class Region:
    """A kabupaten or kota by its Kemendagri code (``33.24``), name and province."""

    code: str
    name: str
    """Official name with its kind: ``Kabupaten Kendal``, ``Kota Surakarta``."""
    kind: str
    """``kabupaten`` or ``kota``."""
    province_code: str
    province: str

    @property
    def label(self) -> str:
        """``Kabupaten Kendal, Jawa Tengah``."""
        return f"{self.name}, {self.province}"


@dataclass(frozen=True, slots=True)
class RegionPlacement:
    """Where a point lies among Java's kabupaten and kota.

    ``region`` is None off Java (more than :data:`COASTAL_M` from every polygon).
    ``distance_m`` is 0 inside a polygon, else the geodesic distance to the region.
    """

    lat: float
    lon: float
    region: Region | None
    distance_m: float

    @property
    def beyond_java(self) -> bool:
        """True when the point is in none of Java's kabupaten/kota nor off their coasts."""
        return self.region is None


class JavaRegions:
    """The kabupaten and kota of Java with a spatial index. Use :meth:`load` (cached)."""

    def __init__(self, regions: list[tuple[Region, Any]]) -> None:
        """Build from (region, lon/lat shapely geometry) pairs."""
        self._regions = tuple(r for r, _ in regions)
        self._geoms = [g for _, g in regions]
        for g in self._geoms:
            shapely.prepare(g)
        self._tree = STRtree(self._geoms)
        self._by_code = {r.code: r for r in self._regions}

    @classmethod
    def load(cls) -> JavaRegions:
        """The regions from ``bot/data`` (loaded once per process, then cached)."""
        return _load_default()

    def regions(self) -> tuple[Region, ...]:
        """All kabupaten and kota, in the file's order (by code)."""
        return self._regions

    def by_code(self, code: str) -> Region | None:
        """A region by Kemendagri code (``33.24``); None if unknown."""
        return self._by_code.get(code)

    def locate(self, lat: float, lon: float) -> RegionPlacement:
        """The kabupaten/kota containing a WGS84 point, or the nearest within
        :data:`COASTAL_M`, or none (off Java). Raises ValueError for invalid coordinates."""
        lat, lon = validate_coordinates(lat, lon)
        point = Point(lon, lat)
        hits = sorted(int(i) for i in self._tree.query(point, predicate="intersects"))
        inside = [i for i in hits if self._geoms[i].contains(point)] or hits
        if inside:
            return RegionPlacement(lat, lon, self._regions[inside[0]], 0.0)
        near = self._tree.query(point, predicate="dwithin", distance=_SEARCH_DEG)
        best: tuple[float, int] | None = None
        for i in (int(n) for n in near):
            _, target = nearest_points(point, self._geoms[i])
            found = Geodesic.WGS84.Inverse(lat, lon, target.y, target.x, Geodesic.DISTANCE)
            metres = float(found["s12"])
            if best is None or (metres, i) < best:
                best = (metres, i)
        if best is None or best[0] > COASTAL_M:
            return RegionPlacement(lat, lon, None, best[0] if best else float("inf"))
        return RegionPlacement(lat, lon, self._regions[best[1]], best[0])


@cache
def _load_default() -> JavaRegions:
    text = resources.files("bot.data").joinpath(_FILE).read_text(encoding="utf-8")
    pairs: list[tuple[Region, Any]] = []
    for feature in json.loads(text)["features"]:
        p = feature["properties"]
        region = Region(p["code"], p["name"], p["kind"], p["province_code"], p["province"])
        geom = shape(feature["geometry"])
        if not geom.is_valid:  # two features carry a degenerate two-point sliver
            geom = shapely.make_valid(geom)
        pairs.append((region, geom))
    return JavaRegions(pairs)


def locate_region(lat: float, lon: float) -> RegionPlacement:
    """:meth:`JavaRegions.locate` on the default data."""
    return JavaRegions.load().locate(lat, lon)
