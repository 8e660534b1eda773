"""Kecamatan / kelurahan lookup, city limits, distances and nearest facilities."""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

import pytest
import shapely
from geopy.distance import geodesic
from shapely.geometry import shape

from bot.domain import geo
from bot.domain.geo import (
    BORDER_MARGIN_M,
    SNAP_DISTANCE_M,
    CityMap,
    FacilityKind,
    LatLon,
    locate,
    to_plane,
    validate_coordinates,
)


def _data(name: str) -> Any:
    return json.loads(resources.files("bot.data").joinpath(name).read_text(encoding="utf-8"))


REFERENCE = _data("semarang_reference.json")
LANDMARKS = {lm["name"]: lm for lm in _data("landmarks.json")["landmarks"]}


def _landmark(name: str) -> tuple[float, float]:
    lm = LANDMARKS[name]
    return lm["lat"], lm["lon"]


# --------------------------------------------------------------------------- inside


@pytest.mark.parametrize(
    "entry", REFERENCE["synthetic_interior_point_per_kecamatan"], ids=lambda e: e["kecamatan"]
)
def test_synthetic_interior_point_of_each_kecamatan(entry: dict[str, Any]) -> None:
    placement = locate(entry["lat"], entry["lon"])
    assert placement.kecamatan is not None
    assert (placement.kecamatan.name, placement.kecamatan.code) == (
        entry["kecamatan"],
        entry["code"],
    )
    assert placement.inside_city and not placement.snapped
    assert placement.distance_outside_m == 0
    assert placement.kelurahan is not None
    assert placement.kelurahan.code.startswith(entry["code"] + ".")


def test_all_sixteen_kecamatan_have_a_synthetic_point() -> None:
    codes = {e["code"] for e in REFERENCE["synthetic_interior_point_per_kecamatan"]}
    assert codes == {f"33.74.{i:02d}" for i in range(1, 17)}


def test_every_kelurahan_representative_point_lies_in_that_kelurahan() -> None:
    city = CityMap.load()
    assert len(city.kelurahan_list()) == 177
    for kel in city.kelurahan_list():
        placement = city.locate(kel.centroid.lat, kel.centroid.lon)
        assert placement.kelurahan == kel.ref, kel.label
        assert placement.kecamatan == kel.kecamatan, kel.label


# Landmarks whose kecamatan (and kelurahan) the cited sources name; see landmarks.json.
DOCUMENTED = [
    ("Lawang Sewu", "Semarang Tengah", "Sekayu"),
    ("Simpang Lima", "Semarang Selatan", "Pleburan"),
    ("Stasiun Semarang Tawang", "Semarang Utara", "Tanjung Mas"),
    ("Gereja Blenduk (Kota Lama)", "Semarang Utara", "Tanjung Mas"),
    ("Klenteng Sam Poo Kong", "Semarang Barat", "Bongsari"),
    ("Masjid Agung Jawa Tengah", "Gayamsari", "Sambirejo"),
    ("RSUP Dr. Kariadi", "Semarang Selatan", "Randusari"),
    ("Vihara Buddhagaya Watugong", "Banyumanik", "Pudakpayung"),
    ("Bandara Jenderal Ahmad Yani", "Semarang Barat", None),
    ("Universitas Diponegoro (Kampus Tembalang)", "Tembalang", None),
    ("UIN Walisongo", "Ngaliyan", None),  # source: Purwoyoso; the point falls in Tambakaji
    ("Tugu Muda", "Semarang Selatan", None),  # source: Barusari; the point is in Randusari
]


@pytest.mark.parametrize(("name", "kecamatan", "kelurahan"), DOCUMENTED, ids=lambda v: str(v))
def test_documented_landmarks(name: str, kecamatan: str, kelurahan: str | None) -> None:
    assert LANDMARKS[name]["documented_kecamatan"] == kecamatan  # the test data agrees
    placement = locate(*_landmark(name))
    assert placement.kecamatan is not None and placement.kecamatan.name == kecamatan
    assert placement.inside_city
    if kelurahan is not None:
        assert placement.kelurahan is not None and placement.kelurahan.name == kelurahan


def test_address_line() -> None:
    placement = locate(*_landmark("Simpang Lima"))
    assert placement.address == "Kel. Pleburan, Kec. Semarang Selatan"


@pytest.mark.parametrize("name", ["Simpang Lima", "Lawang Sewu", "Tugu Muda"])
def test_landmarks_near_a_border_name_the_neighbour(name: str) -> None:
    # The reference notes these lie 30-90 m from the Semarang Tengah / Selatan border.
    placement = locate(*_landmark(name))
    assert placement.kecamatan is not None
    names = {placement.kecamatan.name, *(k.name for k in placement.near_border_with)}
    assert names == {"Semarang Tengah", "Semarang Selatan"}


def test_point_far_from_borders_has_no_alternatives() -> None:
    placement = locate(*_landmark("Universitas Diponegoro (Kampus Tembalang)"))
    assert placement.near_border_with == ()


# --------------------------------------------------------------------------- outside


@pytest.mark.parametrize(
    ("lat", "lon", "low", "high"),
    [
        (-6.9455, 110.4215, 150, 280),  # port basin between the Tanjung Emas quays
        (-6.9335, 110.4235, 200, SNAP_DISTANCE_M),  # harbour mouth, north of the port
    ],
)
def test_just_outside_the_outline_snaps_to_semarang_utara(
    lat: float, lon: float, low: float, high: float
) -> None:
    placement = locate(lat, lon)
    assert not placement.inside_city
    assert placement.snapped and placement.in_service_area
    assert placement.kecamatan is not None and placement.kecamatan.name == "Semarang Utara"
    assert placement.kelurahan is not None and placement.kelurahan.name == "Tanjung Mas"
    assert low <= placement.distance_outside_m <= high
    assert placement.address == "Kel. Tanjung Mas, Kec. Semarang Utara"


@pytest.mark.parametrize(
    ("label", "lat", "lon", "nearest", "km"),
    [
        ("Java Sea 1.2 km off the port", -6.925, 110.425, "Semarang Utara", 1.2),
        ("Ungaran (Kab. Semarang)", -7.138, 110.405, "Gunungpati", 2.7),
        ("Kendal town", -6.922, 110.203, "Tugu", 10.3),
        ("Demak town", -6.894, 110.637, "Genuk", 16.4),
        ("Semarang-Batang toll road near Kaliwungu (Kendal)", -6.985, 110.255, "Ngaliyan", 3.0),
        ("Semarang-Demak road at Sayung (Demak)", -6.93, 110.53, "Genuk", 4.1),
    ],
)
def test_far_outside(label: str, lat: float, lon: float, nearest: str, km: float) -> None:
    placement = locate(lat, lon)
    assert not placement.inside_city and not placement.snapped
    assert not placement.in_service_area
    assert placement.kecamatan is None and placement.kelurahan is None
    assert placement.address is None
    assert placement.nearest_kecamatan.name == nearest
    assert placement.distance_outside_m == pytest.approx(km * 1000, abs=100)


def _brute_force_distance_m(lat: float, lon: float) -> float:
    """Geodesic distance to the nearest vertex of the outline densified to ~20 m."""
    fc = _data("semarang_kota_outline.geojson")
    outline = shapely.union_all([shape(f["geometry"]) for f in fc["features"]])
    dense = shapely.segmentize(outline.boundary, 0.0002)
    coords = shapely.get_coordinates(dense)
    # Pre-select with a cheap planar estimate, then measure candidates geodesically.
    dx = (coords[:, 0] - lon) * math.cos(math.radians(lat))
    dy = coords[:, 1] - lat
    order = (dx * dx + dy * dy).argsort()[:50]
    return min(geodesic((lat, lon), (coords[i, 1], coords[i, 0])).meters for i in order)


@pytest.mark.parametrize(("lat", "lon"), [(-6.9455, 110.4215), (-6.922, 110.203), (-7.2, 110.5)])
def test_outside_distance_is_geodesic(lat: float, lon: float) -> None:
    expected = _brute_force_distance_m(lat, lon)
    got = locate(lat, lon).distance_outside_m
    # The brute force overestimates by at most half a densified segment (~11 m).
    assert expected - 12 <= got <= expected + 0.5


def test_local_plane_matches_geodesic_within_the_city() -> None:
    pairs = [
        ((-6.93, 110.27), (-7.115, 110.505)),  # bbox diagonal, ~30 km
        ((-7.02, 110.27), (-7.02, 110.505)),  # east-west
        ((-6.93, 110.39), (-7.115, 110.39)),  # north-south
    ]
    for a, b in pairs:
        xa, ya = to_plane(*a)
        xb, yb = to_plane(*b)
        planar = math.hypot(xb - xa, yb - ya)
        true = geodesic(a, b).meters
        assert abs(planar - true) / true < 0.0005, (a, b, planar, true)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (math.nan, 110.4),
        (-7.0, math.nan),
        (math.inf, 110.4),
        (-7.0, -math.inf),
        (90.0001, 110.4),
        (-91, 110.4),
        (-7.0, 180.5),
        (-7.0, -181),
        ("-7.0", 110.4),
        (None, 110.4),
        (True, 110.4),
    ],
)
def test_invalid_coordinates_raise(lat: Any, lon: Any) -> None:
    with pytest.raises(ValueError, match=r"latitude|longitude"):
        locate(lat, lon)
    with pytest.raises(ValueError):
        geo.nearest_facilities(lat, lon)


def test_validate_coordinates_accepts_edges_and_ints() -> None:
    assert validate_coordinates(-90, 180) == (-90.0, 180.0)
    assert locate(0, 0).inside_city is False  # valid, far away


# --------------------------------------------------------------------------- lookups


def test_kecamatan_list() -> None:
    kecs = geo.kecamatan_list()
    assert len(kecs) == 16
    assert [k.code for k in kecs] == [f"33.74.{i:02d}" for i in range(1, 17)]
    assert sum(len(k.kelurahan) for k in kecs) == 177
    for k in kecs:
        placement = locate(k.interior_point.lat, k.interior_point.lon)
        assert placement.kecamatan == k.ref
        assert isinstance(k.centroid, LatLon)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Semarang Selatan", "Semarang Selatan"),
        ("semarang  selatan", "Semarang Selatan"),
        ("Kec. Smg Tengah", "Semarang Tengah"),
        ("kecamatan gajah mungkur", "Gajahmungkur"),
        ("NGALIAN", "Ngaliyan"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_kecamatan_by_name(query: str, expected: str | None) -> None:
    found = geo.kecamatan_by_name(query)
    assert (found.name if found else None) == expected


def test_kecamatan_by_code() -> None:
    found = geo.kecamatan_by_code("33.74.10")
    assert found is not None and found.name == "Tembalang"
    same = geo.kecamatan_by_code("337410")
    assert same is found
    assert geo.kecamatan_by_code("33.74.17") is None


def test_duplicate_kelurahan_names_are_told_apart() -> None:
    city = CityMap.load()
    purwosari = city.kelurahan_by_name("purwosari")
    assert {k.label for k in purwosari} == {
        "Kel. Purwosari, Kec. Semarang Utara",
        "Kel. Purwosari, Kec. Mijen",
    }
    only = city.kelurahan_by_name("Purwosari", kecamatan="Mijen")
    assert [k.code for k in only] == ["33.74.14.1005"]
    assert [k.kecamatan.name for k in city.kelurahan_by_name("Mangunharjo", "33.74.16")] == ["Tugu"]


def test_load_is_cached() -> None:
    assert CityMap.load() is CityMap.load()


# --------------------------------------------------------------------------- facilities


def test_facilities_have_positions_and_sources() -> None:
    facilities = CityMap.load().facilities()
    assert {f.id for f in facilities} == {
        "damkar_madukoro",
        "rsup_kariadi",
        "rs_elisabeth",
        "polrestabes",
    }
    for f in facilities:
        assert math.isfinite(f.lat) and math.isfinite(f.lon)
        assert f.source and f.location_basis
        assert locate(f.lat, f.lon).inside_city


def test_facilities_placed_at_kelurahan_centroids_use_those_centroids() -> None:
    city = CityMap.load()
    by_id = {f.id: f for f in city.facilities()}
    for fac_id, kel_name in [("damkar_madukoro", "Krobokan"), ("polrestabes", "Barusari")]:
        (kel,) = city.kelurahan_by_name(kel_name)
        assert (by_id[fac_id].lat, by_id[fac_id].lon) == (kel.centroid.lat, kel.centroid.lon)
        assert by_id[fac_id].approximate


def test_nearest_facilities_from_undip() -> None:
    lat, lon = _landmark("Universitas Diponegoro (Kampus Tembalang)")
    near = geo.nearest_facilities(lat, lon)
    assert near.fire_station is not None and near.hospital is not None
    assert near.police is not None
    assert near.fire_station.facility.kind is FacilityKind.FIRE_STATION
    assert near.fire_station.facility.id == "damkar_madukoro"
    assert near.fire_station.approximate
    assert near.hospital.facility.id == "rs_elisabeth"  # closer than Kariadi from Tembalang
    expected = geodesic((lat, lon), (-7.01, 110.42)).meters
    assert near.hospital.distance_m == pytest.approx(expected, rel=1e-9)
    assert [f.facility.kind for f in near.found()] == [
        FacilityKind.FIRE_STATION,
        FacilityKind.HOSPITAL,
        FacilityKind.POLICE,
    ]


def test_nearest_hospital_next_to_kariadi() -> None:
    near = geo.nearest_facilities(-6.9905, 110.4075)
    assert near.hospital is not None
    assert near.hospital.facility.id == "rsup_kariadi"
    assert near.hospital.distance_m < 100


def test_border_margin_constant_is_sane() -> None:
    assert 0 < BORDER_MARGIN_M < SNAP_DISTANCE_M


# --------------------------------------------------------------------------- data files


def test_data_folder_keeps_licence_and_readme() -> None:
    folder = resources.files("bot.data")
    assert "Cahya DSN" in folder.joinpath("LICENSE-boundaries.txt").read_text(encoding="utf-8")
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    for name in (
        "semarang_kecamatan.geojson",
        "semarang_kelurahan.geojson",
        "semarang_kota_outline.geojson",
        "semarang_reference.json",
        "facilities.json",
        "landmarks.json",
        "routing.toml",
        "LICENSE-boundaries.txt",
    ):
        assert name in readme
