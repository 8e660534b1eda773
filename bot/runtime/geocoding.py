"""Online geocoding (Nominatim) that never stalls or breaks a report.

Pure domain module (no Telegram, no SQL); the only I/O is HTTP to a Nominatim server,
through geopy's ``Nominatim`` geocoder with the async ``AioHTTPAdapter``.

* Searches are bounded to Kota Semarang (``viewbox`` + ``bounded=True``,
  ``countrycodes=id``).
* Requests are spaced by ``geopy.extra.rate_limiter.AsyncRateLimiter``
  (:attr:`GeocoderSettings.min_delay_s`; the public OSM Nominatim allows at most one
  request per second and needs a ``user_agent`` that identifies the deployment).
* Answers (including "nothing found") are cached in memory (LRU with a TTL); failures
  are not cached.
* Every call is bounded by :attr:`GeocoderSettings.deadline_s` (queueing behind the rate
  limiter included). A timeout, an HTTP error, an unreachable server or a disabled
  geocoder give an ``unavailable`` / ``disabled`` outcome (or ``[]`` / ``None`` from the
  short forms) — nothing is raised to the caller. A disabled geocoder does no I/O.

Use it as an async context manager, or call :meth:`GeocodingService.aclose` at shutdown
(the HTTP session is opened lazily on the first request).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from types import TracebackType
from typing import Any, Generic, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

log = logging.getLogger(__name__)

# Kota Semarang's bounding box (semarang_reference.json city.bbox_from_polygon) widened
# by ~2 km, as (south, west, north, east).
SEMARANG_VIEWBOX: tuple[float, float, float, float] = (-7.135, 110.25, -6.915, 110.525)

MAX_QUERY_CHARS = 200


class GeocoderSettings(BaseModel):
    """How to reach the Nominatim server. Disabled by default: the bot works offline."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    domain: str = Field(default="nominatim.openstreetmap.org", min_length=1)
    """Host (and optional ``:port``) of the Nominatim server, without scheme or path."""
    scheme: Literal["http", "https"] = "https"
    user_agent: str = Field(default="semarang112-bot", min_length=3)
    """Identifies the deployment to the server (required by the OSM usage policy)."""
    timeout_s: float = Field(default=3.0, gt=0, le=60)
    """HTTP timeout of one request."""
    deadline_s: float | None = Field(default=None, gt=0, le=120)
    """Upper bound of one call including the rate-limiter wait; None = 2 × timeout_s."""
    min_delay_s: float = Field(default=1.0, ge=0, le=60)
    """Minimum spacing between requests (the public OSM server allows 1 per second)."""
    max_results: int = Field(default=5, ge=1, le=40)
    language: str = "id"
    country_codes: str = "id"
    viewbox: tuple[float, float, float, float] = SEMARANG_VIEWBOX
    """Search area as (south, west, north, east) in degrees; results outside are dropped
    by the server (``bounded=1``)."""
    cache_size: int = Field(default=512, ge=0, le=100_000)
    cache_ttl_s: float = Field(default=24 * 3600, ge=0)

    @model_validator(mode="after")
    def _shape(self) -> GeocoderSettings:
        if "/" in self.domain or "://" in self.domain:
            raise ValueError("domain is a host[:port] without scheme or path")
        south, west, north, east = self.viewbox
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise ValueError("viewbox is (south, west, north, east) with south<north, west<east")
        return self

    @property
    def effective_deadline_s(self) -> float:
        """The deadline actually applied to one call."""
        return self.deadline_s if self.deadline_s is not None else 2 * self.timeout_s


class GeocodeStatus(StrEnum):
    """Outcome of one geocoding call."""

    OK = "ok"  # at least one result
    EMPTY = "empty"  # the server answered: nothing found
    UNAVAILABLE = "unavailable"  # timeout, HTTP error, unreachable, deadline passed
    DISABLED = "disabled"  # geocoding is switched off in the settings; no I/O
    INVALID = "invalid"  # empty query or invalid coordinates; no I/O


@dataclass(frozen=True, slots=True)
class GeocodeCandidate:
    """One search result (Nominatim's ``display_name`` and position)."""

    display_name: str
    lat: float
    lon: float
    osm_type: str | None = None
    osm_id: int | None = None
    category: str | None = None  # Nominatim "class", e.g. amenity
    type: str | None = None  # e.g. hospital
    importance: float | None = None


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """What :meth:`GeocodingService.lookup` found, and why not if nothing."""

    status: GeocodeStatus
    candidates: tuple[GeocodeCandidate, ...] = ()
    error: str | None = None
    cached: bool = False

    @property
    def available(self) -> bool:
        """True when the server answered (with or without results)."""
        return self.status in (GeocodeStatus.OK, GeocodeStatus.EMPTY)


@dataclass(frozen=True, slots=True)
class ReverseOutcome:
    """What :meth:`GeocodingService.reverse_lookup` found, and why not if nothing."""

    status: GeocodeStatus
    address: str | None = None
    error: str | None = None
    cached: bool = False

    @property
    def available(self) -> bool:
        """True when the server answered (with or without an address)."""
        return self.status in (GeocodeStatus.OK, GeocodeStatus.EMPTY)


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class TTLCache(Generic[K, V]):
    """A small LRU cache whose entries expire ``ttl_s`` seconds after being stored."""

    maxsize: int
    ttl_s: float
    clock: Callable[[], float] = time.monotonic
    _data: OrderedDict[K, tuple[float, V]] = field(
        default_factory=OrderedDict, init=False, repr=False
    )

    def get(self, key: K) -> V | None:
        """The live value for ``key`` (refreshing its LRU position), else None."""
        item = self._data.get(key)
        if item is None:
            return None
        stored, value = item
        if self.clock() - stored > self.ttl_s:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Store ``value``; the least recently used entry goes when full."""
        if self.maxsize <= 0:
            return
        self._data[key] = (self.clock(), value)
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


def _query_key(text: str) -> str:
    return " ".join(text.lower().split())


def _candidate(raw: dict[str, Any]) -> GeocodeCandidate | None:
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    osm_id = raw.get("osm_id")
    importance = raw.get("importance")
    return GeocodeCandidate(
        display_name=str(raw.get("display_name") or f"{lat:.6f}, {lon:.6f}"),
        lat=lat,
        lon=lon,
        osm_type=raw.get("osm_type"),
        osm_id=int(osm_id) if isinstance(osm_id, int | str) and str(osm_id).isdigit() else None,
        category=raw.get("class") or raw.get("category"),
        type=raw.get("type"),
        importance=float(importance) if isinstance(importance, int | float) else None,
    )


def _describe(exc: BaseException) -> str:
    if type(exc) is TimeoutError:  # our own deadline (asyncio.timeout)
        return "geocoder did not answer within the deadline"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class GeocodingService:
    """Async Nominatim client bounded to Kota Semarang, cached and rate-limited."""

    def __init__(
        self, settings: GeocoderSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``clock`` (seconds, monotonic) drives cache expiry; tests pass a fake one."""
        self.settings = settings
        self._search_cache: TTLCache[str, SearchOutcome] = TTLCache(
            settings.cache_size, settings.cache_ttl_s, clock
        )
        self._reverse_cache: TTLCache[tuple[float, float], ReverseOutcome] = TTLCache(
            settings.cache_size, settings.cache_ttl_s, clock
        )
        self._geolocator: Any = None
        self._limited: Any = None
        self._geocode: Any = None
        self._reverse: Any = None
        self.requests_sent = 0
        """How many HTTP requests were attempted (cache hits and disabled calls excluded)."""

    # -- lifecycle ---------------------------------------------------------------

    def _client(self) -> None:
        if self._geolocator is not None:
            return
        # geopy (every geocoder it knows) is loaded only for a geocoder that is used.
        from geopy.adapters import AioHTTPAdapter
        from geopy.extra.rate_limiter import AsyncRateLimiter
        from geopy.geocoders import Nominatim

        s = self.settings
        self._geolocator = Nominatim(
            user_agent=s.user_agent,
            domain=s.domain,
            scheme=s.scheme,
            timeout=s.timeout_s,
            adapter_factory=AioHTTPAdapter,
        )
        # No retries: a failed call reports "unavailable" at once instead of waiting.
        limiter = {
            "min_delay_seconds": s.min_delay_s,
            "max_retries": 0,
            "error_wait_seconds": s.min_delay_s,
        }
        # One limiter for both kinds of request: the server's limit is per client.
        self._limited = AsyncRateLimiter(self._call, swallow_exceptions=False, **limiter)
        self._geocode = partial(self._limited, "geocode")
        self._reverse = partial(self._limited, "reverse")

    async def _call(self, kind: str, *args: Any, **kwargs: Any) -> Any:
        assert self._geolocator is not None
        return await getattr(self._geolocator, kind)(*args, **kwargs)

    async def aclose(self) -> None:
        """Close the HTTP session (if one was opened). Safe to call twice."""
        geolocator, self._geolocator = self._geolocator, None
        if geolocator is not None:
            try:
                await geolocator.__aexit__(None, None, None)
            except Exception:  # closing must not fail the shutdown
                log.debug("closing the geocoder session failed", exc_info=True)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- search ------------------------------------------------------------------

    async def lookup(self, text: str) -> SearchOutcome:
        """Search the words ``text`` within the city; never raises."""
        if not self.settings.enabled:
            return SearchOutcome(GeocodeStatus.DISABLED, error="geocoding is disabled")
        key = _query_key(text)[:MAX_QUERY_CHARS]
        if not any(c.isalnum() for c in key):
            return SearchOutcome(GeocodeStatus.INVALID, error="empty query")
        hit = self._search_cache.get(key)
        if hit is not None:
            return SearchOutcome(hit.status, hit.candidates, hit.error, cached=True)
        s = self.settings
        south, west, north, east = s.viewbox
        try:
            self._client()
            self.requests_sent += 1
            async with asyncio.timeout(s.effective_deadline_s):
                found = await self._geocode(
                    key,
                    exactly_one=False,
                    limit=s.max_results,
                    language=s.language,
                    country_codes=s.country_codes,
                    viewbox=[(north, west), (south, east)],
                    bounded=True,
                )
        except Exception as exc:
            log.warning("geocoding search unavailable: %s", _describe(exc))
            return SearchOutcome(GeocodeStatus.UNAVAILABLE, error=_describe(exc))
        candidates = tuple(
            c for c in (_candidate(loc.raw) for loc in (found or ())) if c is not None
        )
        outcome = SearchOutcome(GeocodeStatus.OK if candidates else GeocodeStatus.EMPTY, candidates)
        self._search_cache.put(key, outcome)
        return outcome

    async def search(self, text: str) -> list[GeocodeCandidate]:
        """Candidates for ``text`` within the city; ``[]`` when none or unavailable."""
        return list((await self.lookup(text)).candidates)

    # -- reverse -----------------------------------------------------------------

    async def reverse_lookup(self, lat: float, lon: float) -> ReverseOutcome:
        """Address of a point; never raises (invalid coordinates → ``invalid``)."""
        if not self.settings.enabled:
            return ReverseOutcome(GeocodeStatus.DISABLED, error="geocoding is disabled")
        if (
            isinstance(lat, bool)
            or isinstance(lon, bool)
            or not isinstance(lat, int | float)
            or not isinstance(lon, int | float)
            or not (math.isfinite(lat) and math.isfinite(lon))
            or not (-90 <= lat <= 90 and -180 <= lon <= 180)
        ):
            return ReverseOutcome(GeocodeStatus.INVALID, error="invalid coordinates")
        key = (round(float(lat), 5), round(float(lon), 5))  # ~1 m
        hit = self._reverse_cache.get(key)
        if hit is not None:
            return ReverseOutcome(hit.status, hit.address, hit.error, cached=True)
        s = self.settings
        try:
            self._client()
            self.requests_sent += 1
            async with asyncio.timeout(s.effective_deadline_s):
                found = await self._reverse(key, exactly_one=True, language=s.language)
        except Exception as exc:
            log.warning("reverse geocoding unavailable: %s", _describe(exc))
            return ReverseOutcome(GeocodeStatus.UNAVAILABLE, error=_describe(exc))
        address = getattr(found, "address", None) or None
        outcome = ReverseOutcome(
            GeocodeStatus.OK if address else GeocodeStatus.EMPTY, str(address) if address else None
        )
        self._reverse_cache.put(key, outcome)
        return outcome

    @property
    def enabled(self) -> bool:
        """Whether geocoding is switched on in the settings."""
        return self.settings.enabled

    async def reverse(self, lat: float, lon: float) -> str | None:
        """Address of a point, or None when unknown, unavailable or disabled."""
        return (await self.reverse_lookup(lat, lon)).address
