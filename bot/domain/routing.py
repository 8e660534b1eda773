"""Who goes? Category (and kecamatan) → agency, from a TOML routing file.

Pure domain module (no Telegram, no SQL). The file format is documented in
``routing.example.toml`` at the repository root; ``bot/data/routing.toml`` is the
default used when no file is configured (:func:`load_routing` with ``path=None``).

Everything is validated at load (pydantic v2): an unknown agency referenced by a
category or an override, an unknown or missing category key, an unknown kecamatan name,
a duplicate override, or a typo in a field name stop the start with a
:class:`RoutingConfigError` whose message names the offending entry.

Category ``other`` is routed like every other category, to an agency entry. The default
file sends it to ``command_center``: the 112 command center itself (no field agency);
its ``chat_id`` is left unset, which means "the main dispatch chat" (see
:attr:`Agency.chat_id`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.domain.categories import Category
from bot.domain.geo import CityMap

_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"


class RoutingConfigError(ValueError):
    """The routing file is missing, unreadable or invalid; the message names the entry."""


class Agency(BaseModel):
    """An agency (OPD / instansi) reports can be routed to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=_KEY_PATTERN)
    """Identifier used in the routing file, e.g. ``damkar``."""
    name: str = Field(min_length=1, max_length=200)
    """Full name, e.g. ``Dinas Pemadam Kebakaran Kota Semarang``."""
    short_name: str = Field(min_length=1, max_length=40)
    """Short name for buttons and one-line summaries, e.g. ``Damkar``."""
    chat_id: int | None = None
    """Telegram chat of the agency's liaison group; None = the main dispatch chat."""
    topic_id: int | None = Field(default=None, ge=1)
    """Forum topic (message_thread_id) inside ``chat_id`` (or inside the main dispatch
    chat when ``chat_id`` is None); None = the chat's general thread."""


class _AgencyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40)
    chat_id: int | None = None
    topic_id: int | None = Field(default=None, ge=1)


class OutsideCity(BaseModel):
    """Where cards of reports from outside the city go (``[outside_city]``): their own
    chat, a forum topic in it, or a topic of the main dispatch chat (``chat_id`` unset)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    chat_id: int | None = None
    """The luar-kota group; None = the main dispatch chat (then ``topic_id`` is needed)."""
    topic_id: int | None = Field(default=None, ge=1)
    """Forum topic (message_thread_id) in that chat; None = its general thread."""

    @model_validator(mode="after")
    def _somewhere(self) -> OutsideCity:
        if self.chat_id is None and self.topic_id is None:
            raise ValueError("set chat_id, topic_id or both (or leave the section out)")
        return self


class _Override(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str
    kecamatan: str
    agency: str


class _RoutingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agencies: dict[str, _AgencyEntry] = Field(min_length=1)
    categories: dict[str, str]
    overrides: list[_Override] = Field(default_factory=list)
    outside_city: OutsideCity | None = None

    @model_validator(mode="after")
    def _keys(self) -> _RoutingFile:
        for key in self.agencies:
            if not re.match(_KEY_PATTERN, key):
                raise ValueError(
                    f"agencies.{key}: agency key must be lower-case letters, digits and _ "
                    "(starting with a letter, at most 32 characters)"
                )
        return self


class Routing:
    """Validated routing table. Build with :func:`load_routing` or :meth:`from_toml`."""

    def __init__(
        self,
        agencies: Mapping[str, Agency],
        default: Mapping[Category, str],
        overrides: Mapping[tuple[Category, str], str],
        source: str,
        outside_city: OutsideCity | None = None,
    ) -> None:
        """Use :func:`load_routing`; this constructor trusts its (validated) input."""
        self.outside_city = outside_city
        """Own chat or topic for reports from outside the city; None = with the others."""
        self._agencies = dict(agencies)
        self._default = dict(default)
        self._overrides = dict(overrides)
        self.source = source
        """Where the table came from (a path, or ``<default>`` / ``<text>``)."""

    # -- loading -----------------------------------------------------------------

    @classmethod
    def from_toml(cls, text: str, source: str = "<text>") -> Routing:
        """Parse and validate TOML text. Raises :class:`RoutingConfigError`."""
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RoutingConfigError(f"{source}: not valid TOML: {exc}") from None
        return cls.from_mapping(raw, source)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], source: str = "<mapping>") -> Routing:
        """Validate an already-parsed routing table. Raises :class:`RoutingConfigError`."""
        try:
            parsed = _RoutingFile.model_validate(raw)
        except ValidationError as exc:
            lines = []
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                msg = err["msg"].removeprefix("Value error, ")
                lines.append(f"{where}: {msg}" if where else msg)
            raise RoutingConfigError(f"{source}: " + "; ".join(lines)) from None

        problems: list[str] = []
        agencies = {
            key: Agency(key=key, **entry.model_dump()) for key, entry in parsed.agencies.items()
        }
        known_agencies = ", ".join(agencies)
        known_categories = {c.value: c for c in Category}

        default: dict[Category, str] = {}
        for cat_key, agency_key in parsed.categories.items():
            category = known_categories.get(cat_key)
            if category is None:
                problems.append(
                    f"categories.{cat_key}: unknown category {cat_key!r} "
                    f"(known: {', '.join(known_categories)})"
                )
            if agency_key not in agencies:
                problems.append(
                    f"categories.{cat_key}: unknown agency {agency_key!r} (known: {known_agencies})"
                )
            if category is not None:
                default[category] = agency_key
        missing = [c.value for c in Category if c.value not in parsed.categories]
        if missing:
            problems.append(f"categories: no agency for {', '.join(missing)}")

        city = CityMap.load()
        overrides: dict[tuple[Category, str], str] = {}
        for i, ov in enumerate(parsed.overrides):
            where = f"overrides[{i}] ({ov.category} in {ov.kecamatan})"
            category = known_categories.get(ov.category)
            kec = city.kecamatan_by_name(ov.kecamatan)
            if category is None:
                problems.append(f"{where}: unknown category {ov.category!r}")
            if kec is None:
                names = ", ".join(k.name for k in city.kecamatan_list())
                problems.append(f"{where}: unknown kecamatan {ov.kecamatan!r} (known: {names})")
            if ov.agency not in agencies:
                problems.append(f"{where}: unknown agency {ov.agency!r} (known: {known_agencies})")
            if category is not None and kec is not None:
                if (category, kec.name) in overrides:
                    problems.append(f"{where}: duplicate override for this category and kecamatan")
                overrides[(category, kec.name)] = ov.agency

        if problems:
            raise RoutingConfigError(f"{source}: " + "; ".join(problems))
        return cls(agencies, default, overrides, source, parsed.outside_city)

    # -- queries -----------------------------------------------------------------

    def agency(self, key: str) -> Agency:
        """The agency with this key. Raises KeyError if unknown."""
        try:
            return self._agencies[key]
        except KeyError:
            raise KeyError(f"unknown agency {key!r}") from None

    def agencies(self) -> list[Agency]:
        """All agencies in file order."""
        return list(self._agencies.values())

    def agency_by_chat(self, chat_id: int) -> Agency | None:
        """The agency whose own group is this chat, if any."""
        return next((a for a in self.agencies() if a.chat_id == chat_id), None)

    def agency_by_topic(self, thread_id: int | None) -> Agency | None:
        """The agency whose copies go to this topic of the main dispatch chat (``topic_id``
        without ``chat_id``), if any."""
        if thread_id is None:
            return None
        return next(
            (a for a in self.agencies() if a.chat_id is None and a.topic_id == thread_id), None
        )

    def agency_for(self, category: Category | str, kecamatan: str | None = None) -> Agency:
        """The agency a report of ``category`` (in ``kecamatan``, if known) goes to.

        A per-kecamatan override wins over the city-wide mapping. ``kecamatan`` is a
        name as in :class:`bot.domain.geo.Placement` (variants like ``smg tengah`` accepted);
        an unknown or None kecamatan uses the city-wide mapping. Raises KeyError for an
        unknown category key.
        """
        try:
            cat = Category(category)
        except ValueError:
            raise KeyError(f"unknown category {category!r}") from None
        if kecamatan is not None:
            kec = CityMap.load().kecamatan_by_name(kecamatan)
            if kec is not None:
                key = self._overrides.get((cat, kec.name))
                if key is not None:
                    return self._agencies[key]
        return self._agencies[self._default[cat]]

    @property
    def outside_chat_id(self) -> int | None:
        """The configured chat of reports from outside the city, if it is a chat of its own."""
        return None if self.outside_city is None else self.outside_city.chat_id

    def agency_chat_ids(self) -> set[int]:
        """The configured chat ids of agencies with their own group."""
        return {a.chat_id for a in self.agencies() if a.chat_id is not None}

    def agencies_ordered(self, suggested_first: Agency | str | None = None) -> list[Agency]:
        """All agencies in file order, with ``suggested_first`` (an agency or its key)
        moved to the front — e.g. for a dispatcher's "send to" keyboard. Raises KeyError
        for an unknown key."""
        if suggested_first is None:
            return self.agencies()
        key = suggested_first.key if isinstance(suggested_first, Agency) else suggested_first
        first = self.agency(key)
        return [first, *(a for a in self._agencies.values() if a.key != key)]

    def overrides(self) -> dict[tuple[Category, str], Agency]:
        """Per-kecamatan overrides: (category, kecamatan name) → agency."""
        return {k: self._agencies[v] for k, v in self._overrides.items()}


DEFAULT_ROUTING_RESOURCE = "routing.toml"
"""Name of the default routing file inside the ``bot.data`` package."""


def load_routing(path: Path | str | None = None) -> Routing:
    """Load and validate a routing file; ``None`` loads the default ``bot/data/routing.toml``.

    Raises :class:`RoutingConfigError` (missing file, bad TOML, invalid content).
    """
    if path is None:
        text = resources.files("bot.data").joinpath(DEFAULT_ROUTING_RESOURCE).read_text("utf-8")
        return Routing.from_toml(text, source="<default bot/data/routing.toml>")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RoutingConfigError(f"{p}: cannot read routing file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RoutingConfigError(f"{p}: routing file is not UTF-8 text") from None
    return Routing.from_toml(text, source=str(p))
