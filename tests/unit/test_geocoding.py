"""Geocoding against the local Nominatim stand-in: success, empty, slow, 5xx, disabled."""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import ValidationError

from bot.runtime.geocoding import (
    SEMARANG_VIEWBOX,
    GeocoderSettings,
    GeocodeStatus,
    GeocodingService,
    TTLCache,
)
from emulator.geocoder import GeocoderEmulator, Mode


@pytest.fixture
async def emulator() -> AsyncIterator[GeocoderEmulator]:
    async with GeocoderEmulator(slow_delay_s=10.0) as emu:
        yield emu


def make_settings(emu: GeocoderEmulator, **changes: Any) -> GeocoderSettings:
    values: dict[str, Any] = {
        "enabled": True,
        "domain": emu.domain,
        "scheme": "http",
        "user_agent": "semarang112-tests",
        "timeout_s": 0.3,
        "min_delay_s": 0.0,
    }
    values.update(changes)
    return GeocoderSettings(**values)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- success


async def test_search_success_bounded_to_the_city(emulator: GeocoderEmulator) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        outcome = await service.lookup("Jl. Pandanaran")
    assert outcome.status is GeocodeStatus.OK and outcome.available
    assert not outcome.cached
    # The stand-in also knows a Pandanaran in Boyolali, outside the viewbox.
    assert [c.display_name.split(",")[0] for c in outcome.candidates] == ["Jalan Pandanaran"]
    (candidate,) = outcome.candidates
    assert candidate.lat == pytest.approx(-6.9885) and candidate.lon == pytest.approx(110.4155)
    assert (candidate.osm_type, candidate.category, candidate.type) == (
        "way",
        "highway",
        "secondary",
    )

    (request,) = emulator.requests_to("/search")
    assert request.query["q"] == "jl. pandanaran"
    assert request.query["bounded"] == "1"
    assert request.query["countrycodes"] == "id"
    assert request.query["format"] == "json"
    lons_lats = [float(v) for v in request.query["viewbox"].split(",")]
    south, west, north, east = SEMARANG_VIEWBOX
    assert sorted(lons_lats[0::2]) == [west, east] and sorted(lons_lats[1::2]) == [south, north]
    assert request.user_agent == "semarang112-tests"


async def test_search_short_form_returns_candidates(emulator: GeocoderEmulator) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        found = await service.search("lawang sewu")
    assert [c.display_name.split(",")[0] for c in found] == ["Lawang Sewu"]


async def test_reverse_success(emulator: GeocoderEmulator) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        address = await service.reverse(-6.9840, 110.4107)
    assert address is not None and address.startswith("Lawang Sewu, Jalan Pemuda")
    (request,) = emulator.requests_to("/reverse")
    assert float(request.query["lat"]) == pytest.approx(-6.984)


# --------------------------------------------------------------------------- empty


async def test_search_and_reverse_empty(emulator: GeocoderEmulator) -> None:
    emulator.mode = Mode.EMPTY
    async with GeocodingService(make_settings(emulator)) as service:
        outcome = await service.lookup("lawang sewu")
        assert outcome.status is GeocodeStatus.EMPTY and outcome.available
        assert outcome.candidates == ()
        assert await service.search("tawang") == []
        reverse = await service.reverse_lookup(-6.98, 110.41)
        assert reverse.status is GeocodeStatus.EMPTY and reverse.address is None
    assert len(emulator.requests) == 3


async def test_reverse_far_from_any_fixture_is_empty(emulator: GeocoderEmulator) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        assert await service.reverse(-7.1, 110.3) is None


# --------------------------------------------------------------------------- failures


async def test_slow_server_times_out_quickly(emulator: GeocoderEmulator) -> None:
    emulator.mode = Mode.SLOW
    async with GeocodingService(make_settings(emulator, timeout_s=0.2)) as service:
        start = time.monotonic()
        outcome = await service.lookup("lawang sewu")
        reverse = await service.reverse_lookup(-6.98, 110.41)
        elapsed = time.monotonic() - start
    assert outcome.status is GeocodeStatus.UNAVAILABLE and not outcome.available
    assert outcome.error and "timed out" in outcome.error.lower()
    assert reverse.status is GeocodeStatus.UNAVAILABLE and reverse.address is None
    assert elapsed < 1.5  # two calls of 0.2 s each, far below the 10 s server delay


async def test_5xx_is_unavailable_without_retries(emulator: GeocoderEmulator) -> None:
    emulator.mode = Mode.ERROR
    emulator.error_status = 502
    async with GeocodingService(make_settings(emulator)) as service:
        start = time.monotonic()
        outcome = await service.lookup("lawang sewu")
        assert await service.reverse(-6.98, 110.41) is None
        assert time.monotonic() - start < 1.0
    assert outcome.status is GeocodeStatus.UNAVAILABLE
    assert outcome.error is not None and "502" in outcome.error
    assert len(emulator.requests) == 2  # one per call: no retry


async def test_unreachable_server_is_unavailable() -> None:
    emu = GeocoderEmulator()
    await emu.start()
    await emu.stop()  # the port is now closed
    async with GeocodingService(make_settings(emu)) as service:
        start = time.monotonic()
        outcome = await service.lookup("lawang sewu")
        assert time.monotonic() - start < 1.0
    assert outcome.status is GeocodeStatus.UNAVAILABLE and outcome.error


async def test_failures_are_not_cached(emulator: GeocoderEmulator) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        emulator.mode = Mode.ERROR
        assert (await service.lookup("lawang sewu")).status is GeocodeStatus.UNAVAILABLE
        emulator.mode = Mode.NORMAL
        recovered = await service.lookup("lawang sewu")
    assert recovered.status is GeocodeStatus.OK and not recovered.cached
    assert len(emulator.requests) == 2


async def test_deadline_covers_the_rate_limiter_queue(emulator: GeocoderEmulator) -> None:
    # One request per 30 s allowed: the second search would wait in the rate limiter.
    settings = make_settings(emulator, min_delay_s=30.0, deadline_s=0.3)
    async with GeocodingService(settings) as service:
        assert (await service.lookup("lawang sewu")).status is GeocodeStatus.OK
        start = time.monotonic()
        queued = await service.lookup("tawang")
        assert time.monotonic() - start < 1.0
    assert queued.status is GeocodeStatus.UNAVAILABLE
    assert queued.error == "geocoder did not answer within the deadline"
    assert len(emulator.requests) == 1


# --------------------------------------------------------------------------- disabled


async def test_disabled_does_no_io(emulator: GeocoderEmulator) -> None:
    service = GeocodingService(make_settings(emulator, enabled=False))
    outcome = await service.lookup("lawang sewu")
    assert outcome.status is GeocodeStatus.DISABLED and not outcome.available
    assert await service.search("lawang sewu") == []
    assert await service.reverse(-6.98, 110.41) is None
    assert (await service.reverse_lookup(-6.98, 110.41)).status is GeocodeStatus.DISABLED
    assert emulator.requests == []
    assert service.requests_sent == 0
    await service.aclose()


def test_disabled_by_default() -> None:
    assert GeocoderSettings().enabled is False


# --------------------------------------------------------------------------- cache


async def test_cache_hit_does_not_call_the_server(emulator: GeocoderEmulator) -> None:
    clock = FakeClock()
    settings = make_settings(emulator, cache_ttl_s=60.0)
    async with GeocodingService(settings, clock=clock) as service:
        first = await service.lookup("Lawang Sewu")
        second = await service.lookup("  lawang   SEWU ")  # same query, other spelling
        assert second.cached and second.candidates == first.candidates
        assert await service.reverse(-6.98393, 110.41063) == await service.reverse(
            -6.983931, 110.410631
        )
        assert len(emulator.requests) == 2  # one search, one reverse

        clock.now += 61  # entries expire
        third = await service.lookup("lawang sewu")
        assert not third.cached
        assert len(emulator.requests) == 3
    assert service.requests_sent == 3


async def test_empty_answers_are_cached_too(emulator: GeocoderEmulator) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        assert await service.search("no such place") == []
        again = await service.lookup("no such place")
    assert again.status is GeocodeStatus.EMPTY and again.cached
    assert len(emulator.requests) == 1


def test_ttl_cache_is_lru() -> None:
    clock = FakeClock()
    cache: TTLCache[str, int] = TTLCache(maxsize=2, ttl_s=10, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)  # evicts "b"
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    clock.now += 11
    assert cache.get("a") is None and len(cache) == 1


# --------------------------------------------------------------------------- rate limit


async def test_rate_limiter_spaces_requests(emulator: GeocoderEmulator) -> None:
    # The limiter's own clock and sleep are replaced: it must ask to wait out the minimum
    # delay before each request after the first, searches and reverse lookups alike (no
    # wall-clock measurement involved).
    waits: list[float] = []
    async with GeocodingService(make_settings(emulator, min_delay_s=0.15)) as service:
        assert (await service.lookup("lawang sewu")).status is GeocodeStatus.OK
        limiter = service._limited
        now = [0.0]
        limiter._last_call = 0.0  # the first request's slot, on the fake clock

        async def fake_sleep(seconds: float) -> None:
            waits.append(seconds)
            now[0] += seconds

        limiter._clock = lambda: now[0]
        limiter._sleep = fake_sleep
        assert (await service.lookup("tawang")).status is GeocodeStatus.OK
        assert (await service.reverse_lookup(-6.964, 110.428)).available
    assert [round(w, 9) for w in waits] == [0.15, 0.15]
    assert len(emulator.requests) == 3


# --------------------------------------------------------------------------- inputs


@pytest.mark.parametrize(
    ("lat", "lon"), [(math.nan, 110.4), (-7.0, math.inf), (95.0, 110.4), (True, 110.4)]
)
async def test_invalid_coordinates_do_no_io(
    emulator: GeocoderEmulator, lat: float, lon: float
) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        outcome = await service.reverse_lookup(lat, lon)
    assert outcome.status is GeocodeStatus.INVALID
    assert emulator.requests == []


@pytest.mark.parametrize("text", ["", "   ", "!!!"])
async def test_empty_query_does_no_io(emulator: GeocoderEmulator, text: str) -> None:
    async with GeocodingService(make_settings(emulator)) as service:
        assert (await service.lookup(text)).status is GeocodeStatus.INVALID
    assert emulator.requests == []


@pytest.mark.parametrize(
    "changes",
    [
        {"domain": "https://nominatim.example"},
        {"domain": "host/path"},
        {"timeout_s": 0},
        {"viewbox": (-6.9, 110.2, -7.1, 110.5)},
        {"scheme": "ftp"},
        {"unknown": 1},
    ],
)
def test_settings_validation(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        GeocoderSettings(**changes)


async def test_aclose_twice_is_safe(emulator: GeocoderEmulator) -> None:
    service = GeocodingService(make_settings(emulator))
    await service.search("tawang")
    await service.aclose()
    await service.aclose()
