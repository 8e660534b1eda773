"""Places of the city map as values: points, kecamatan / kelurahan, placements, facilities.

Pure data (see :mod:`bot.domain.geo` for the map that produces them).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class LatLon:
    """A WGS84 point in decimal degrees."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class AreaRef:
    """A kecamatan or kelurahan by name and Kemendagri code (e.g. ``33.74.07``)."""

    name: str
    code: str


@dataclass(frozen=True, slots=True)
class Kelurahan:
    """One of the 177 kelurahan. Two names occur twice (Purwosari, Mangunharjo): use
    :attr:`label` or the code to tell them apart."""

    name: str
    code: str
    kecamatan: AreaRef
    centroid: LatLon
    """The source's centroid, or a point on the surface where that centroid falls outside."""

    @property
    def ref(self) -> AreaRef:
        """Name and code only."""
        return AreaRef(self.name, self.code)

    @property
    def label(self) -> str:
        """Unambiguous human label: ``Kel. Pleburan, Kec. Semarang Selatan``."""
        return f"Kel. {self.name}, Kec. {self.kecamatan.name}"


@dataclass(frozen=True, slots=True)
class Kecamatan:
    """One of the 16 kecamatan of Kota Semarang."""

    name: str
    code: str
    centroid: LatLon
    """Centroid of the full-resolution polygon (source: wilayah_boundaries)."""
    interior_point: LatLon
    """A point guaranteed inside the polygon (concave kecamatan have off-centre centroids)."""
    aliases: tuple[str, ...]
    kelurahan: tuple[Kelurahan, ...]

    @property
    def ref(self) -> AreaRef:
        """Name and code only."""
        return AreaRef(self.name, self.code)

    @property
    def label(self) -> str:
        """Human label: ``Kec. Tembalang``."""
        return f"Kec. {self.name}"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a point lies relative to the city and its kecamatan / kelurahan.

    * inside the outline: ``inside_city`` is True, ``distance_outside_m`` is 0;
    * up to :data:`SNAP_DISTANCE_M` outside: ``snapped`` is True, kecamatan/kelurahan are
      the nearest ones and ``distance_outside_m`` says how far outside;
    * farther out: ``kecamatan`` and ``kelurahan`` are None; ``nearest_kecamatan`` and
      ``distance_outside_m`` say how far from which kecamatan.
    """

    lat: float
    lon: float
    kecamatan: AreaRef | None
    kelurahan: AreaRef | None
    inside_city: bool
    snapped: bool
    distance_outside_m: float
    nearest_kecamatan: AreaRef
    """The kecamatan containing the point or, outside the outline, the closest one."""
    near_border_with: tuple[AreaRef, ...] = ()
    """Other kecamatan within :data:`BORDER_MARGIN_M`: the true answer may be one of them."""

    @property
    def in_service_area(self) -> bool:
        """True when the point is in the city or close enough to be snapped into it."""
        return self.inside_city or self.snapped

    @property
    def address(self) -> str | None:
        """``Kel. Pleburan, Kec. Semarang Selatan`` (or ``Kec. X`` alone); None far outside."""
        if self.kecamatan is None:
            return None
        if self.kelurahan is None:
            return f"Kec. {self.kecamatan.name}"
        return f"Kel. {self.kelurahan.name}, Kec. {self.kecamatan.name}"


class FacilityKind(StrEnum):
    """Kinds of facility for which the nearest one is reported."""

    FIRE_STATION = "fire_station"  # Damkar
    HOSPITAL = "hospital"  # IGD
    POLICE = "police"


@dataclass(frozen=True, slots=True)
class Facility:
    """An emergency facility from ``bot/data/facilities.json``."""

    id: str
    kind: FacilityKind
    name: str
    short_name: str
    address: str
    lat: float
    lon: float
    approximate: bool
    """True when the position is not the building's own sourced coordinates."""
    uncertainty_m: float
    """Rough radius of the position error (not a statistical bound)."""
    location_basis: str
    source: str


@dataclass(frozen=True, slots=True)
class NearbyFacility:
    """A facility and its straight-line (geodesic) distance from a point."""

    facility: Facility
    distance_m: float

    @property
    def approximate(self) -> bool:
        """True when the facility's position (hence the distance) is approximate."""
        return self.facility.approximate


@dataclass(frozen=True, slots=True)
class NearestFacilities:
    """The nearest facility of each kind, or None where the data has none of that kind."""

    fire_station: NearbyFacility | None
    hospital: NearbyFacility | None
    police: NearbyFacility | None

    def found(self) -> list[NearbyFacility]:
        """The facilities found, in the order fire station, hospital, police."""
        return [f for f in (self.fire_station, self.hospital, self.police) if f is not None]
