"""Routing file: default table, overrides, and every validation error."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bot.domain.categories import Category
from bot.domain.routing import Agency, Routing, RoutingConfigError, load_routing

REPO = Path(__file__).resolve().parents[2]

EXPECTED_DEFAULT = {
    Category.MEDICAL_EMERGENCY: "dinkes",
    Category.AMBULANCE: "dinkes",
    Category.CRIME: "polrestabes",
    Category.DISASTER: "bpbd",
    Category.FIRE: "damkar",
    Category.TRAFFIC_ACCIDENT: "satlantas",
    Category.PUBLIC_ORDER: "satpol_pp",
    Category.WILD_ANIMAL: "damkar",
    Category.FALLEN_TREE: "disperkim",
    Category.ELECTRICAL: "pln",
    Category.CORPSE_FOUND: "polrestabes",
    Category.OTHER: "command_center",
    Category.UNKNOWN: "command_center",
}


def base_table() -> dict[str, Any]:
    """A fresh, valid routing table (the default file, parsed)."""
    text = resources.files("bot.data").joinpath("routing.toml").read_text(encoding="utf-8")
    return copy.deepcopy(tomllib.loads(text))


def with_override(category: str, kecamatan: str, agency: str) -> dict[str, Any]:
    table = base_table()
    table.setdefault("overrides", []).append(
        {"category": category, "kecamatan": kecamatan, "agency": agency}
    )
    return table


# --------------------------------------------------------------------------- default


def test_default_file_routes_every_category() -> None:
    routing = load_routing()
    for category, key in EXPECTED_DEFAULT.items():
        assert routing.agency_for(category).key == key, category
    assert set(EXPECTED_DEFAULT) == set(Category)


def test_default_agencies_have_names_and_no_chats() -> None:
    routing = load_routing()
    damkar = routing.agency("damkar")
    assert damkar == Agency(
        key="damkar", name="Dinas Pemadam Kebakaran Kota Semarang", short_name="Damkar"
    )
    assert all(a.chat_id is None and a.topic_id is None for a in routing.agencies())


def test_example_file_matches_the_default() -> None:
    example = load_routing(REPO / "routing.example.toml")
    default = load_routing()
    for category in Category:
        assert example.agency_for(category) == default.agency_for(category)
    assert [a.key for a in example.agencies()] == [a.key for a in default.agencies()]
    assert example.source.endswith("routing.example.toml")


def test_category_given_as_string_or_enum() -> None:
    routing = load_routing()
    assert routing.agency_for("fire") is routing.agency_for(Category.FIRE)
    with pytest.raises(KeyError, match="unknown category 'flood'"):
        routing.agency_for("flood")


def test_agencies_ordered() -> None:
    routing = load_routing()
    keys = [a.key for a in routing.agencies_ordered()]
    assert keys[0] == "command_center" and len(keys) == len(set(keys)) == 9
    suggested = [a.key for a in routing.agencies_ordered(suggested_first="pln")]
    assert suggested[0] == "pln"
    assert sorted(suggested) == sorted(keys)
    assert suggested[1:] == [k for k in keys if k != "pln"]
    by_agency = routing.agencies_ordered(suggested_first=routing.agency("bpbd"))
    assert by_agency[0].key == "bpbd"
    with pytest.raises(KeyError):
        routing.agencies_ordered(suggested_first="nobody")


# --------------------------------------------------------------------------- overrides


def test_override_applies_only_to_its_category_and_kecamatan() -> None:
    table = with_override("crime", "Semarang Utara", "kppp")
    table["agencies"]["kppp"] = {
        "name": "KPPP Tanjung Emas",
        "short_name": "KPPP",
        "chat_id": -1001234567890,
        "topic_id": 7,
    }
    routing = Routing.from_mapping(table)
    port = routing.agency_for("crime", "Semarang Utara")
    assert (port.key, port.chat_id, port.topic_id) == ("kppp", -1001234567890, 7)
    assert routing.agency_for("crime", "kec. smg utara").key == "kppp"  # name variants
    assert routing.agency_for("crime", "Tembalang").key == "polrestabes"
    assert routing.agency_for("crime").key == "polrestabes"
    assert routing.agency_for("crime", "Atlantis").key == "polrestabes"
    assert routing.agency_for("fire", "Semarang Utara").key == "damkar"
    assert set(routing.overrides()) == {(Category.CRIME, "Semarang Utara")}


def test_override_from_toml_text() -> None:
    text = (REPO / "routing.example.toml").read_text(encoding="utf-8") + (
        '\n[[overrides]]\ncategory = "fallen_tree"\nkecamatan = "gunung pati"\nagency = "bpbd"\n'
    )
    routing = Routing.from_toml(text)
    assert routing.agency_for("fallen_tree", "Gunungpati").key == "bpbd"
    assert routing.agency_for("fallen_tree", "Mijen").key == "disperkim"


# --------------------------------------------------------------------------- errors


def _error(table: dict[str, Any]) -> str:
    with pytest.raises(RoutingConfigError) as info:
        Routing.from_mapping(table, source="test.toml")
    message = str(info.value)
    assert message.startswith("test.toml: ")
    return message


def test_unknown_agency_in_categories() -> None:
    table = base_table()
    table["categories"]["fire"] = "pemadam"
    message = _error(table)
    assert "categories.fire" in message and "'pemadam'" in message


def test_unknown_category_key() -> None:
    table = base_table()
    table["categories"]["flood"] = "bpbd"
    message = _error(table)
    assert "categories.flood" in message and "unknown category" in message


def test_missing_category() -> None:
    table = base_table()
    del table["categories"]["corpse_found"]
    assert "no agency for corpse_found" in _error(table)


def test_unknown_kecamatan_in_override() -> None:
    message = _error(with_override("fire", "Ungaran", "damkar"))
    assert "overrides[0]" in message and "unknown kecamatan 'Ungaran'" in message


def test_unknown_agency_in_override() -> None:
    message = _error(with_override("fire", "Tugu", "damkar_tugu"))
    assert "overrides[0]" in message and "unknown agency 'damkar_tugu'" in message


def test_unknown_category_in_override() -> None:
    message = _error(with_override("flood", "Tugu", "bpbd"))
    assert "overrides[0]" in message and "unknown category 'flood'" in message


def test_duplicate_override() -> None:
    table = with_override("fire", "Tugu", "bpbd")
    table["overrides"].append({"category": "fire", "kecamatan": "TUGU", "agency": "damkar"})
    message = _error(table)
    assert "overrides[1]" in message and "duplicate" in message


def test_misspelt_field() -> None:
    table = base_table()
    table["agencies"]["damkar"]["chatid"] = -100123
    message = _error(table)
    assert "agencies.damkar.chatid" in message


def test_wrong_type() -> None:
    table = base_table()
    table["agencies"]["damkar"]["chat_id"] = "group of damkar"
    assert "agencies.damkar.chat_id" in _error(table)


def test_bad_agency_key() -> None:
    table = base_table()
    table["agencies"]["Damkar Tugu"] = {"name": "x", "short_name": "x"}
    assert "test.toml: agencies.Damkar Tugu: agency key must be" in _error(table)


def test_missing_name() -> None:
    table = base_table()
    del table["agencies"]["pln"]["short_name"]
    assert "agencies.pln.short_name" in _error(table)


def test_several_problems_are_all_named() -> None:
    table = with_override("fire", "Atlantis", "damkar")
    table["categories"]["crime"] = "police"
    message = _error(table)
    assert "categories.crime" in message and "Atlantis" in message


def test_bad_toml() -> None:
    with pytest.raises(RoutingConfigError, match="not valid TOML"):
        Routing.from_toml("[agencies\n", source="broken.toml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RoutingConfigError, match="cannot read routing file"):
        load_routing(tmp_path / "nope.toml")


def test_load_from_path(tmp_path: Path) -> None:
    path = tmp_path / "routing.toml"
    path.write_text(
        (REPO / "routing.example.toml")
        .read_text(encoding="utf-8")
        .replace('fire = "damkar"', 'fire = "bpbd"'),
        encoding="utf-8",
    )
    routing = load_routing(str(path))
    assert routing.agency_for("fire").key == "bpbd"
    assert routing.source == str(path)


def test_outside_city_reports_may_have_their_own_chat_or_topic() -> None:
    assert Routing.from_mapping(base_table()).outside_city is None
    own_chat = base_table() | {"outside_city": {"chat_id": -1009876543210}}
    routing = Routing.from_mapping(own_chat)
    assert routing.outside_city is not None and routing.outside_chat_id == -1009876543210
    assert routing.outside_city.topic_id is None
    topic = Routing.from_mapping(base_table() | {"outside_city": {"topic_id": 5}})
    assert topic.outside_city is not None and topic.outside_city.topic_id == 5
    assert topic.outside_chat_id is None  # a topic of the main dispatch chat
    with pytest.raises(RoutingConfigError, match="outside_city"):
        Routing.from_mapping(base_table() | {"outside_city": {}})
    with pytest.raises(RoutingConfigError, match=r"outside_city\.chatid"):
        Routing.from_mapping(base_table() | {"outside_city": {"chatid": -100}})
