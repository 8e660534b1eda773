"""Where a reported location is: kecamatan, kelurahan, inside or outside the city, and
outside it, which kabupaten/kota of Java.

Pure: combines a :class:`bot.domain.models.ReportLocation` with :mod:`bot.domain.geo`'s city
map and :mod:`bot.domain.regions`' kabupaten and kota.
"""

from __future__ import annotations

from bot.domain.geo import CityMap
from bot.domain.models import ReportLocation
from bot.domain.regions import JavaRegions


def with_area(
    location: ReportLocation, city: CityMap | None = None, regions: JavaRegions | None = None
) -> ReportLocation:
    """The location annotated with its kecamatan / kelurahan (points only).

    Points within 300 m outside the city line are snapped to the nearest kecamatan;
    further out the location is marked ``outside_city`` with its distance to the line and
    the kabupaten/kota and province it lies in (``beyond_java`` when none).
    """
    if location.lat is None or location.lon is None:
        return location
    placement = (city or CityMap.load()).locate(location.lat, location.lon)
    outside = not placement.in_service_area
    region = None
    if outside:
        region = (regions or JavaRegions.load()).locate(location.lat, location.lon).region
    return location.model_copy(
        update={
            "kecamatan": placement.kecamatan.name if placement.kecamatan else None,
            "kelurahan": placement.kelurahan.name if placement.kelurahan else None,
            "outside_city": outside,
            "distance_outside_m": placement.distance_outside_m or None,
            "near_border_with": tuple(a.name for a in placement.near_border_with),
            "address": location.address or placement.address,
            "region": region.name if region else None,
            "region_code": region.code if region else None,
            "province": region.province if region else None,
            "beyond_java": outside and region is None,
        }
    )
