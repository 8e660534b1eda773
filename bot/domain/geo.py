"""Where is it? Kecamatan / kelurahan of a point, city limits, nearest facilities.

Pure domain module (no Telegram, no SQL). Boundaries and reference facts are read from
``bot/data`` (see ``bot/data/README.md`` for sources and licences).

Method and accuracy
-------------------
The polygons are WGS84 lon/lat degrees. At load they are projected once into a local
metric plane: an equirectangular projection centred on Kota Semarang whose two scale
factors are the WGS84 meridional and prime-vertical radii of curvature at the city's
latitude (about -7.02°). Distances in that plane agree with geodesic ones to within
0.03 % (0.3 m per km) across the city and out to ~30 km (Kendal, Demak, Ungaran); see
``tests/test_geo.py``. Point-in-polygon tests and nearest-boundary searches (shapely STRtree)
run in that plane. Every distance this module *reports* is then measured on the WGS84
ellipsoid (GeographicLib's geodesic, the algorithm behind ``geopy.distance.geodesic``)
between the point and the nearest boundary point found in the plane, so reported metres
are geodesic; only the choice of nearest point carries the (sub-metre) projection error.

The source polygons themselves are far less accurate than that: their author simplified
them, so borders can be off by tens of metres, several landmarks lie 30–90 m from a
kecamatan border, and harbour water lies outside the city outline. Hence:

* a point up to :data:`SNAP_DISTANCE_M` (300 m) outside the outline is *snapped* to the
  nearest kecamatan (``Placement.snapped``);
* kecamatan within :data:`BORDER_MARGIN_M` (100 m) of a point are listed in
  ``Placement.near_border_with`` so a dispatcher knows the answer may be the neighbour.

The values this module returns live in :mod:`bot.domain.places`, the metric plane in
:mod:`bot.domain.projection`; both are re-exported here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.ops import nearest_points
from shapely.strtree import STRtree

from bot.domain.places import (
    AreaRef,
    Facility,
    FacilityKind,
    Kecamatan,
    Kelurahan,
    LatLon,
    NearbyFacility,
    NearestFacilities,
    Placement,
)
from bot.domain.projection import (
    from_plane,
    geodesic_m,
    project,
    to_plane,
    validate_coordinates,
)

__all__ = [
    "BORDER_MARGIN_M",
    "SNAP_DISTANCE_M",
    "AreaRef",
    "CityMap",
    "Facility",
    "FacilityKind",
    "Kecamatan",
    "Kelurahan",
    "LatLon",
    "NearbyFacility",
    "NearestFacilities",
    "Placement",
    "from_plane",
    "geodesic_m",
    "kecamatan_by_code",
    "kecamatan_by_name",
    "kecamatan_list",
    "locate",
    "name_key",
    "nearest_facilities",
    "to_plane",
    "validate_coordinates",
]

SNAP_DISTANCE_M = 300.0
"""Points at most this far outside the city outline still count as in the city."""

BORDER_MARGIN_M = 100.0
"""Other kecamatan closer than this to a point are reported as possible alternatives."""

_DATA = "bot.data"


_NAME_PREFIX = re.compile(r"^(?:kecamatan|kec|kelurahan|kel)\b\.?\s*")


def name_key(name: str) -> str:
    """Lookup key for an official name: case, spacing, punctuation and a ``Kec.``/``Kel.``
    prefix are ignored and ``smg`` reads as ``semarang`` (``"kec. Smg  tengah"`` →
    ``"semarangtengah"``)."""
    text = _NAME_PREFIX.sub("", name.strip().lower())
    text = re.sub(r"\bsmg\b", "semarang", text)
    return re.sub(r"[^a-z0-9]", "", text)


def _code_key(code: str) -> str:
    return re.sub(r"[^0-9]", "", code)


def _read_json(name: str) -> Any:
    return json.loads(resources.files(_DATA).joinpath(name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the map


class CityMap:
    """The 16 kecamatan and 177 kelurahan of Kota Semarang, with spatial indexes.

    Use :meth:`load` (cached) rather than the constructor.
    """

    def __init__(
        self,
        kecamatan: Sequence[Kecamatan],
        kecamatan_shapes: Sequence[Any],
        kelurahan_shapes: Sequence[tuple[Kelurahan, Any]],
        outline: Any,
        facilities: Sequence[Facility],
    ) -> None:
        """Build from already-projected shapely geometries (metres, see :func:`to_plane`)."""
        self._kecamatan = tuple(kecamatan)
        self._kec_geoms = list(kecamatan_shapes)
        self._kec_tree = STRtree(self._kec_geoms)
        self._kel = tuple(k for k, _ in kelurahan_shapes)
        self._kel_geoms = [g for _, g in kelurahan_shapes]
        self._kel_tree = STRtree(self._kel_geoms)
        self._outline = outline
        shapely.prepare(self._outline)
        for g in (*self._kec_geoms, *self._kel_geoms):
            shapely.prepare(g)
        self._facilities = tuple(facilities)
        self._kec_by_code = {_code_key(k.code): k for k in self._kecamatan}
        self._kec_by_name: dict[str, Kecamatan] = {}
        for k in self._kecamatan:
            for alias in (k.name, *k.aliases):
                self._kec_by_name.setdefault(name_key(alias), k)

    @classmethod
    def load(cls) -> CityMap:
        """The map built from ``bot/data`` (loaded once per process, then cached)."""
        return _load_default()

    # -- lists and lookups ------------------------------------------------------

    def kecamatan_list(self) -> tuple[Kecamatan, ...]:
        """All 16 kecamatan, ordered by code."""
        return self._kecamatan

    def kelurahan_list(self) -> tuple[Kelurahan, ...]:
        """All 177 kelurahan, ordered by code."""
        return self._kel

    def kecamatan_by_code(self, code: str) -> Kecamatan | None:
        """Kecamatan by Kemendagri code, ``33.74.07`` or ``337407``; None if unknown."""
        return self._kec_by_code.get(_code_key(code))

    def kecamatan_by_name(self, name: str) -> Kecamatan | None:
        """Kecamatan by official name or known variant, tolerant of case, spacing,
        punctuation, a ``Kec.`` prefix and ``Smg`` (``"kec. smg tengah"``,
        ``"Gajah Mungkur"``). Exact after normalisation: fuzzy search is in
        :mod:`bot.domain.gazetteer`. None if unknown."""
        key = name_key(name)
        return self._kec_by_name.get(key) if key else None

    def kelurahan_by_name(self, name: str, kecamatan: str | None = None) -> list[Kelurahan]:
        """Kelurahan with this name (normalised as :meth:`kecamatan_by_name`). A name can
        occur in two kecamatan; pass ``kecamatan`` (name or code) to pick one."""
        key = name_key(name)
        found = [k for k in self._kel if name_key(k.name) == key]
        if kecamatan is not None:
            kec = self.kecamatan_by_name(kecamatan) or self.kecamatan_by_code(kecamatan)
            found = [k for k in found if kec is not None and k.kecamatan.code == kec.code]
        return found

    def kecamatan_shapes(self) -> tuple[tuple[Kecamatan, Any], ...]:
        """Each kecamatan with its polygon in the metric plane (:func:`to_plane`), for maps."""
        return tuple(zip(self._kecamatan, self._kec_geoms, strict=True))

    def kelurahan_shapes(self) -> tuple[tuple[Kelurahan, Any], ...]:
        """Each kelurahan with its polygon in the metric plane (:func:`to_plane`)."""
        return tuple(zip(self._kel, self._kel_geoms, strict=True))

    def outline_shape(self) -> Any:
        """The city outline in the metric plane (:func:`to_plane`)."""
        return self._outline

    def facilities(self) -> tuple[Facility, ...]:
        """All facilities with a usable position (see ``bot/data/facilities.json``)."""
        return self._facilities

    # -- location ---------------------------------------------------------------

    def locate(self, lat: float, lon: float) -> Placement:
        """Place a WGS84 point: kecamatan, kelurahan, inside / snapped / outside.

        Raises ValueError for NaN, infinite or out-of-range coordinates.
        """
        lat, lon = validate_coordinates(lat, lon)
        point = Point(*to_plane(lat, lon))
        here = LatLon(lat, lon)

        kec_idx = self._containing(self._kec_tree, self._kec_geoms, point)
        if kec_idx is not None:
            inside, distance_out = True, 0.0
        else:
            inside = False
            kec_idx = int(self._kec_tree.query_nearest(point, all_matches=False)[0])
            distance_out = self._geodesic_to(here, point, self._outline)
        kec = self._kecamatan[kec_idx]
        snapped = not inside and distance_out <= SNAP_DISTANCE_M
        near = tuple(
            self._kecamatan[int(i)].ref
            for i in sorted(
                self._kec_tree.query(point, predicate="dwithin", distance=BORDER_MARGIN_M)
            )
            if int(i) != kec_idx
        )
        if not (inside or snapped):
            return Placement(
                lat=lat,
                lon=lon,
                kecamatan=None,
                kelurahan=None,
                inside_city=False,
                snapped=False,
                distance_outside_m=distance_out,
                nearest_kecamatan=kec.ref,
                near_border_with=near,
            )
        return Placement(
            lat=lat,
            lon=lon,
            kecamatan=kec.ref,
            kelurahan=self._kelurahan_at(point, kec),
            inside_city=inside,
            snapped=snapped,
            distance_outside_m=distance_out,
            nearest_kecamatan=kec.ref,
            near_border_with=near,
        )

    def nearest_facilities(self, lat: float, lon: float) -> NearestFacilities:
        """Nearest fire station, hospital and police facility by geodesic distance.

        Straight-line only (not road distance). ``approximate`` on each result is True
        when that facility's position is approximate (see its ``location_basis``).
        Raises ValueError for invalid coordinates.
        """
        lat, lon = validate_coordinates(lat, lon)
        here = LatLon(lat, lon)
        best: dict[FacilityKind, NearbyFacility] = {}
        for fac in self._facilities:
            d = geodesic_m(here, LatLon(fac.lat, fac.lon))
            current = best.get(fac.kind)
            if current is None or d < current.distance_m:
                best[fac.kind] = NearbyFacility(fac, d)
        return NearestFacilities(
            fire_station=best.get(FacilityKind.FIRE_STATION),
            hospital=best.get(FacilityKind.HOSPITAL),
            police=best.get(FacilityKind.POLICE),
        )

    # -- internals --------------------------------------------------------------

    @staticmethod
    def _containing(tree: Any, geoms: Sequence[Any], point: Any) -> int | None:
        hits = sorted(int(i) for i in tree.query(point, predicate="intersects"))
        for i in hits:  # prefer strict containment over a shared border
            if geoms[i].contains(point):
                return i
        return hits[0] if hits else None

    def _kelurahan_at(self, point: Any, kec: Kecamatan) -> AreaRef | None:
        idx = self._containing(self._kel_tree, self._kel_geoms, point)
        if idx is not None and self._kel[idx].kecamatan.code == kec.code:
            return self._kel[idx].ref
        # On or just outside an edge (snapped points, sliver gaps): nearest kelurahan of
        # the chosen kecamatan.
        candidates = [i for i, k in enumerate(self._kel) if k.kecamatan.code == kec.code]
        if not candidates:
            return None
        best = min(candidates, key=lambda i: self._kel_geoms[i].distance(point))
        if self._kel_geoms[best].distance(point) > SNAP_DISTANCE_M * 2:
            return None
        return self._kel[best].ref

    @staticmethod
    def _geodesic_to(here: LatLon, point: Any, geom: Any) -> float:
        _, target = nearest_points(point, geom)
        return geodesic_m(here, from_plane(float(target.x), float(target.y)))


# --------------------------------------------------------------------------- loading


def _surface_point(source: LatLon, geom_lonlat: Any) -> LatLon:
    if geom_lonlat.contains(Point(source.lon, source.lat)):
        return source
    p = geom_lonlat.representative_point()
    return LatLon(lat=round(float(p.y), 6), lon=round(float(p.x), 6))


@cache
def _load_default() -> CityMap:
    reference = _read_json("semarang_reference.json")
    kec_features = {
        f["properties"]["code"]: f for f in _read_json("semarang_kecamatan.geojson")["features"]
    }
    kel_features = {
        f["properties"]["code"]: f for f in _read_json("semarang_kelurahan.geojson")["features"]
    }
    outline_fc = _read_json("semarang_kota_outline.geojson")
    outline = shapely.union_all([shape(f["geometry"]) for f in outline_fc["features"]])

    kecamatan: list[Kecamatan] = []
    kec_shapes: list[Any] = []
    kel_shapes: list[tuple[Kelurahan, Any]] = []
    for entry in sorted(reference["kecamatan"], key=lambda e: e["code"]):
        ref = AreaRef(entry["name"], entry["code"])
        kels: list[Kelurahan] = []
        for kel in sorted(entry["kelurahan"], key=lambda e: e["code"]):
            geom = shape(kel_features[kel["code"]]["geometry"])
            centroid = LatLon(kel["centroid"]["lat"], kel["centroid"]["lon"])
            item = Kelurahan(kel["name"], kel["code"], ref, _surface_point(centroid, geom))
            kels.append(item)
            kel_shapes.append((item, project(geom)))
        kecamatan.append(
            Kecamatan(
                name=entry["name"],
                code=entry["code"],
                centroid=LatLon(entry["centroid"]["lat"], entry["centroid"]["lon"]),
                interior_point=LatLon(
                    entry["interior_point"]["lat"], entry["interior_point"]["lon"]
                ),
                aliases=tuple(entry.get("aliases_inferred", ())),
                kelurahan=tuple(kels),
            )
        )
        kec_shapes.append(project(shape(kec_features[entry["code"]]["geometry"])))

    facilities = [
        Facility(
            id=f["id"],
            kind=FacilityKind(f["kind"]),
            name=f["name"],
            short_name=f["short_name"],
            address=f["address"],
            lat=float(f["lat"]),
            lon=float(f["lon"]),
            approximate=bool(f["approximate"]),
            uncertainty_m=float(f["uncertainty_m"]),
            location_basis=f["location_basis"],
            source=f["source"],
        )
        for f in _read_json("facilities.json")["facilities"]
    ]
    return CityMap(kecamatan, kec_shapes, kel_shapes, project(outline), facilities)


# --------------------------------------------------------------------------- shortcuts


def locate(lat: float, lon: float) -> Placement:
    """:meth:`CityMap.locate` on the default map."""
    return CityMap.load().locate(lat, lon)


def kecamatan_list() -> tuple[Kecamatan, ...]:
    """:meth:`CityMap.kecamatan_list` on the default map."""
    return CityMap.load().kecamatan_list()


def kecamatan_by_code(code: str) -> Kecamatan | None:
    """:meth:`CityMap.kecamatan_by_code` on the default map."""
    return CityMap.load().kecamatan_by_code(code)


def kecamatan_by_name(name: str) -> Kecamatan | None:
    """:meth:`CityMap.kecamatan_by_name` on the default map."""
    return CityMap.load().kecamatan_by_name(name)


def nearest_facilities(lat: float, lon: float) -> NearestFacilities:
    """:meth:`CityMap.nearest_facilities` on the default map."""
    return CityMap.load().nearest_facilities(lat, lon)
