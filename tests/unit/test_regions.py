"""Travellers: which kabupaten/kota of Java a point outside Kota Semarang lies in, and the
area a reported location carries."""

from __future__ import annotations

import math

import pytest

from bot.domain.locating import with_area
from bot.domain.models import LocationSource, ReportLocation
from bot.domain.regions import COASTAL_M, KOTA_SEMARANG, JavaRegions, locate_region

# Points picked on the map for these tests (town centres and roads, not the reference
# data's landmarks).
BAWEN = (-7.2430, 110.4310)  # Kabupaten Semarang, on the Semarang–Solo road
WELERI = (-6.9740, 110.0690)  # Kabupaten Kendal, on the north-coast road
SAYUNG = (-6.9230, 110.5120)  # Kabupaten Demak, just east of the city
BUMIAYU = (-7.2480, 109.0000)  # Kabupaten Brebes, far west
OFF_DEMAK = (-6.7800, 110.5200)  # the Java Sea, ~3.4 km off Demak's coast
OPEN_SEA = (-6.7000, 110.4800)  # the Java Sea, farther than 4 nautical miles out
BALI = (-8.6500, 115.2000)


def test_the_data_holds_java_s_119_kabupaten_and_kota_in_six_provinces() -> None:
    regions = JavaRegions.load().regions()
    assert len(regions) == 119
    assert {r.province for r in regions} == {
        "DKI Jakarta",
        "Banten",
        "Jawa Barat",
        "Jawa Tengah",
        "DI Yogyakarta",
        "Jawa Timur",
    }
    kendal = JavaRegions.load().by_code("33.24")
    assert kendal is not None and kendal.label == "Kabupaten Kendal, Jawa Tengah"
    assert kendal.kind == "kabupaten"


@pytest.mark.parametrize(
    ("point", "code", "label"),
    [
        (BAWEN, "33.22", "Kabupaten Semarang, Jawa Tengah"),
        (WELERI, "33.24", "Kabupaten Kendal, Jawa Tengah"),
        (SAYUNG, "33.21", "Kabupaten Demak, Jawa Tengah"),
        (BUMIAYU, "33.29", "Kabupaten Brebes, Jawa Tengah"),
        ((-7.8000, 110.3700), "34.71", "Kota Yogyakarta, DI Yogyakarta"),
        ((-7.0500, 113.0000), "35.26", "Kabupaten Bangkalan, Jawa Timur"),  # Madura
    ],
)
def test_a_point_is_in_its_kabupaten(point: tuple[float, float], code: str, label: str) -> None:
    placed = locate_region(*point)
    assert placed.region is not None
    assert (placed.region.code, placed.region.label) == (code, label)
    assert placed.distance_m == 0 and not placed.beyond_java


def test_coastal_waters_belong_to_the_nearest_kabupaten_and_the_open_sea_to_none() -> None:
    near = locate_region(*OFF_DEMAK)
    assert near.region is not None and near.region.name == "Kabupaten Demak"
    assert 0 < near.distance_m <= COASTAL_M
    far = locate_region(*OPEN_SEA)
    assert far.region is None and far.beyond_java and far.distance_m > COASTAL_M
    bali = locate_region(*BALI)
    assert bali.beyond_java and math.isinf(bali.distance_m)


def test_invalid_coordinates_are_refused() -> None:
    with pytest.raises(ValueError):
        locate_region(math.nan, 110.0)
    with pytest.raises(ValueError):
        locate_region(-7.0, 181.0)


def test_a_location_outside_the_city_carries_its_kabupaten_and_province() -> None:
    loc = with_area(ReportLocation(source=LocationSource.GPS, lat=WELERI[0], lon=WELERI[1]))
    assert loc.outside_city and loc.kecamatan is None
    assert (loc.region, loc.region_code, loc.province) == (
        "Kabupaten Kendal",
        "33.24",
        "Jawa Tengah",
    )
    assert not loc.beyond_java
    # Stored and read back as JSON, the area stays.
    again = ReportLocation.model_validate_json(loc.model_dump_json(exclude_none=True))
    assert again == loc


def test_inside_or_snapped_to_the_city_there_is_no_region() -> None:
    inside = with_area(ReportLocation(source=LocationSource.GPS, lat=-6.9903, lon=110.4229))
    snapped = with_area(ReportLocation(source=LocationSource.GPS, lat=-6.943, lon=110.42))
    for loc in (inside, snapped):
        assert not loc.outside_city
        assert (loc.region, loc.province, loc.beyond_java) == (None, None, False)


def test_off_java_is_marked_and_the_city_s_own_waters_keep_the_city_code() -> None:
    bali = with_area(ReportLocation(source=LocationSource.PICKED, lat=BALI[0], lon=BALI[1]))
    assert bali.outside_city and bali.beyond_java and bali.region is None
    harbour = with_area(ReportLocation(source=LocationSource.GPS, lat=-6.92, lon=110.42))
    assert harbour.outside_city and harbour.region_code == KOTA_SEMARANG


def test_a_live_location_moving_back_into_the_city_drops_the_region() -> None:
    out = with_area(ReportLocation(source=LocationSource.LIVE, lat=SAYUNG[0], lon=SAYUNG[1]))
    assert out.region == "Kabupaten Demak"
    back = with_area(out.model_copy(update={"lat": -6.9903, "lon": 110.4229}))
    assert not back.outside_city and back.region is None and back.province is None
