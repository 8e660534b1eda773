"""The local metric plane the city map computes in, and geodesic distances.

An equirectangular projection centred on Kota Semarang whose two scale factors are the
WGS84 meridional and prime-vertical radii of curvature at the city's latitude; see
:mod:`bot.domain.geo` for its accuracy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic

from bot.domain.places import LatLon

# Projection centre: the city centroid from the reference data.
_LAT0 = -7.023899
_LON0 = 110.391523

# WGS84 ellipsoid.
_A = 6_378_137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_PHI0 = math.radians(_LAT0)
_W = math.sqrt(1 - _E2 * math.sin(_PHI0) ** 2)
_M_PER_RAD_LAT = _A * (1 - _E2) / _W**3  # meridional radius of curvature
_M_PER_RAD_LON = _A / _W * math.cos(_PHI0)  # prime-vertical radius x cos(lat0)
_M_PER_DEG_LAT = math.radians(1) * _M_PER_RAD_LAT
_M_PER_DEG_LON = math.radians(1) * _M_PER_RAD_LON


def validate_coordinates(lat: object, lon: object) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats or raise ValueError naming what is wrong.

    Rejects non-numbers (including bool), NaN, infinities, latitude outside [-90, 90]
    and longitude outside [-180, 180].
    """
    out: list[float] = []
    for label, value, limit in (("latitude", lat, 90.0), ("longitude", lon, 180.0)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{label} must be a number, got {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{label} must be finite, got {number!r}")
        if not -limit <= number <= limit:
            raise ValueError(f"{label} {number!r} out of range [-{limit:g}, {limit:g}]")
        out.append(number)
    return out[0], out[1]


def to_plane(lat: float, lon: float) -> tuple[float, float]:
    """Project a WGS84 point into the module's local metric plane (x east, y north, m)."""
    return (lon - _LON0) * _M_PER_DEG_LON, (lat - _LAT0) * _M_PER_DEG_LAT


def from_plane(x: float, y: float) -> LatLon:
    """Inverse of :func:`to_plane`."""
    return LatLon(lat=_LAT0 + y / _M_PER_DEG_LAT, lon=_LON0 + x / _M_PER_DEG_LON)


def _project_coords(coords: Any) -> Any:
    # coords: (N, 2) array of lon, lat -> (N, 2) array of x, y metres.
    out = np.empty_like(coords)
    out[:, 0] = (coords[:, 0] - _LON0) * _M_PER_DEG_LON
    out[:, 1] = (coords[:, 1] - _LAT0) * _M_PER_DEG_LAT
    return out


def project(geom: Any) -> Any:
    """A lon/lat shapely geometry in the metric plane."""
    return shapely.transform(geom, _project_coords)


def geodesic_m(a: LatLon, b: LatLon) -> float:
    """Geodesic distance in metres on the WGS84 ellipsoid."""
    return float(Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon, Geodesic.DISTANCE)["s12"])
