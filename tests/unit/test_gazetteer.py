"""Offline gazetteer: misspellings, abbreviations, duplicates and garbage."""

from __future__ import annotations

import pytest

from bot.domain import gazetteer
from bot.domain.gazetteer import MIN_SCORE, Gazetteer, PlaceKind, PlaceMatch, normalize
from bot.domain.geo import CityMap


def _top(query: str) -> PlaceMatch:
    results = gazetteer.search(query)
    assert results, f"nothing found for {query!r}"
    return results[0]


@pytest.mark.parametrize(
    ("query", "name", "kind"),
    [
        ("simpang lima", "Simpang Lima", PlaceKind.LANDMARK),
        ("Simpang Lima", "Simpang Lima", PlaceKind.LANDMARK),
        ("smpg lima", "Simpang Lima", PlaceKind.LANDMARK),
        ("sp. lima", "Simpang Lima", PlaceKind.LANDMARK),
        ("simpanglima", "Simpang Lima", PlaceKind.LANDMARK),
        ("SIMPANG 5", "Simpang Lima", PlaceKind.LANDMARK),
        ("simpang lma", "Simpang Lima", PlaceKind.LANDMARK),
        ("lapangan pancasila", "Simpang Lima", PlaceKind.LANDMARK),
        ("tembalang", "Tembalang", PlaceKind.KECAMATAN),
        ("tembalng", "Tembalang", PlaceKind.KECAMATAN),
        ("Kec. Tembalang", "Tembalang", PlaceKind.KECAMATAN),
        ("kel tembalang", "Tembalang", PlaceKind.KELURAHAN),
        ("kel. pleburan", "Pleburan", PlaceKind.KELURAHAN),
        ("Kel.Pleburan", "Pleburan", PlaceKind.KELURAHAN),
        ("kelurahan plebura", "Pleburan", PlaceKind.KELURAHAN),
        ("lawang sewu", "Lawang Sewu", PlaceKind.LANDMARK),
        ("Lawang-Sewu!", "Lawang Sewu", PlaceKind.LANDMARK),
        ("lawangsewu", "Lawang Sewu", PlaceKind.LANDMARK),
        ("tugu muda", "Tugu Muda", PlaceKind.LANDMARK),
        ("bundaran tugu muda", "Tugu Muda", PlaceKind.LANDMARK),
        ("stasiun tawang", "Stasiun Semarang Tawang", PlaceKind.LANDMARK),
        ("st. tawang", "Stasiun Semarang Tawang", PlaceKind.LANDMARK),
        ("stas tawang", "Stasiun Semarang Tawang", PlaceKind.LANDMARK),
        ("stasiun smg tawang", "Stasiun Semarang Tawang", PlaceKind.LANDMARK),
        ("stasiun poncol", "Stasiun Semarang Poncol", PlaceKind.LANDMARK),
        ("tg emas", "Pelabuhan Tanjung Emas", PlaceKind.LANDMARK),
        ("pelabuhan tg. mas", "Pelabuhan Tanjung Emas", PlaceKind.LANDMARK),
        ("rs kariadi", "RSUP Dr. Kariadi", PlaceKind.LANDMARK),
        ("RS Elisabeth", "RS St. Elisabeth", PlaceKind.LANDMARK),
        ("undip", "Universitas Diponegoro (Kampus Tembalang)", PlaceKind.LANDMARK),
        ("MAJT", "Masjid Agung Jawa Tengah", PlaceKind.LANDMARK),
        ("mesjid agung jateng", "Masjid Agung Jawa Tengah", PlaceKind.LANDMARK),
        ("sam poo kong", "Klenteng Sam Poo Kong", PlaceKind.LANDMARK),
        ("kota lama", "Gereja Blenduk (Kota Lama)", PlaceKind.LANDMARK),
        ("bandara ahmad yani", "Bandara Jenderal Ahmad Yani", PlaceKind.LANDMARK),
        ("smg tengah", "Semarang Tengah", PlaceKind.KECAMATAN),
        ("kec. smg selatan", "Semarang Selatan", PlaceKind.KECAMATAN),
        ("ngalian", "Ngaliyan", PlaceKind.KECAMATAN),
        ("gajah mungkur", "Gajahmungkur", PlaceKind.KECAMATAN),
        ("banyu manik", "Banyumanik", PlaceKind.KECAMATAN),
        ("jatingaleh", "Jatingaleh", PlaceKind.KELURAHAN),
        ("kebakaran dekat lawang sewu", "Lawang Sewu", PlaceKind.LANDMARK),
        ("banjir di kaligawe", "Kaligawe", PlaceKind.KELURAHAN),
    ],
)
def test_finds_place(query: str, name: str, kind: PlaceKind) -> None:
    top = _top(query)
    assert (top.name, top.kind) == (name, kind)
    assert MIN_SCORE <= top.score <= 100


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "...", "asdfgh", "qwerty", "xyz", "12345", "semarang", "jl", "jakarta"],
)
def test_garbage_gives_nothing(query: str) -> None:
    assert gazetteer.search(query) == []


def test_exact_match_scores_100_and_results_are_ordered() -> None:
    results = gazetteer.search("tembalang", limit=10)
    assert results[0].score == 100
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    # Kecamatan before the kelurahan of the same name on a tie.
    assert [(r.kind, r.name) for r in results[:2]] == [
        (PlaceKind.KECAMATAN, "Tembalang"),
        (PlaceKind.KELURAHAN, "Tembalang"),
    ]


def test_limit() -> None:
    assert len(gazetteer.search("srondol", limit=1)) == 1
    assert gazetteer.search("srondol", limit=0) == []
    names = {r.name for r in gazetteer.search("srondol")}
    assert names == {"Srondol Kulon", "Srondol Wetan"}


def test_duplicate_kelurahan_names_are_both_returned_with_labels() -> None:
    labels = {r.label for r in gazetteer.search("purwosari") if r.name == "Purwosari"}
    assert labels == {"Kel. Purwosari, Kec. Semarang Utara", "Kel. Purwosari, Kec. Mijen"}


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("kel. purwosari, kec. mijen", "Kel. Purwosari, Kec. Mijen"),
        ("purwosari mijen", "Kel. Purwosari, Kec. Mijen"),
        ("Kel. Purwosari Kec. Semarang Utara", "Kel. Purwosari, Kec. Semarang Utara"),
        ("purwosari smg utara", "Kel. Purwosari, Kec. Semarang Utara"),
        ("mangunharjo tugu", "Kel. Mangunharjo, Kec. Tugu"),
        ("mangunharjo tembalang", "Kel. Mangunharjo, Kec. Tembalang"),
    ],
)
def test_naming_the_kecamatan_disambiguates(query: str, label: str) -> None:
    results = gazetteer.search(query)
    assert results[0].label == label
    assert results[0].score > results[1].score


def test_match_carries_position_kecamatan_and_code() -> None:
    top = _top("kel. pleburan")
    assert top.label == "Kel. Pleburan, Kec. Semarang Selatan"
    assert top.kecamatan == "Semarang Selatan"
    assert top.code == "33.74.07.1005"
    placement = CityMap.load().locate(top.lat, top.lon)
    assert placement.kelurahan is not None and placement.kelurahan.name == "Pleburan"


def test_landmark_match_is_placed_by_the_polygons() -> None:
    top = _top("stasiun tawang")
    assert top.kecamatan == "Semarang Utara"
    assert top.code is None
    assert top.label == "Stasiun Semarang Tawang (Kel. Tanjung Mas, Kec. Semarang Utara)"
    assert top.coord_quality is not None and top.coord_quality.startswith("sourced")
    assert top.matched == "Stasiun Tawang"


def test_every_kecamatan_and_kelurahan_finds_itself() -> None:
    city = CityMap.load()
    for kec in city.kecamatan_list():
        assert any(r.code == kec.code for r in gazetteer.search(kec.name)), kec.name
    for kel in city.kelurahan_list():
        results = gazetteer.search(f"kel. {kel.name} kec. {kel.kecamatan.name}")
        assert results[0].code == kel.code, kel.label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kel. Pleburan", "kelurahan pleburan"),
        ("SMPG-Lima!!", "simpang lima"),
        ("Jln. Pemuda", "jalan pemuda"),
        ("RS  Kariadi", "rumah sakit kariadi"),
        ("Stas. Tawang", "stasiun tawang"),
        ("Tg. Emas", "tanjung emas"),
        ("kec.smg", "kecamatan semarang"),
        ("Café Ngèsrep", "cafe ngesrep"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_gazetteer_size_and_cache() -> None:
    g = Gazetteer.load()
    assert g is Gazetteer.load()
    assert len(g) == 16 + 177 + 16
