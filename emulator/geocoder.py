"""A local stand-in for a Nominatim server, for tests and offline demos.

Answers ``GET /search`` and ``GET /reverse`` in Nominatim's ``format=json`` shape from a
small fixture table of Semarang places. Its :attr:`GeocoderEmulator.mode` can be switched
at any time:

* ``normal`` — answers from the fixtures;
* ``empty``  — ``/search`` returns ``[]``, ``/reverse`` returns Nominatim's
  ``{"error": "Unable to geocode"}``;
* ``slow``   — waits :attr:`GeocoderEmulator.slow_delay_s` before answering (longer than
  a client's timeout; the wait ends early when the server stops);
* ``error``  — answers with :attr:`GeocoderEmulator.error_status` (5xx).

Every request is recorded in :attr:`GeocoderEmulator.requests`.

Run standalone: ``python -m emulator.geocoder --port 8089 [--mode slow]``.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType
from typing import Any, Self

from aiohttp import web

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright"


class Mode(StrEnum):
    """How the stand-in answers."""

    NORMAL = "normal"
    EMPTY = "empty"
    SLOW = "slow"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class FixturePlace:
    """One place the stand-in knows. ``terms`` are lower-case words that find it."""

    place_id: int
    name: str
    display_name: str
    lat: float
    lon: float
    osm_type: str
    osm_id: int
    category: str
    type: str
    terms: tuple[str, ...]
    importance: float = 0.3


# Approximate positions (see bot/data/landmarks.json for their sources); the OSM ids are
# made up for the fixture.
FIXTURES: tuple[FixturePlace, ...] = (
    FixturePlace(
        1001,
        "Lawang Sewu",
        "Lawang Sewu, Jalan Pemuda, Sekayu, Semarang Tengah, Semarang, Jawa Tengah, Indonesia",
        -6.983925,
        110.410633,
        "way",
        900001,
        "tourism",
        "attraction",
        ("lawang sewu",),
        0.45,
    ),
    FixturePlace(
        1002,
        "Jalan Pemuda",
        "Jalan Pemuda, Sekayu, Semarang Tengah, Semarang, Jawa Tengah, Indonesia",
        -6.9795,
        110.4148,
        "way",
        900002,
        "highway",
        "primary",
        ("jalan pemuda", "jl pemuda", "jl. pemuda"),
    ),
    FixturePlace(
        1003,
        "Jalan Pandanaran",
        "Jalan Pandanaran, Pekunden, Semarang Tengah, Semarang, Jawa Tengah, Indonesia",
        -6.9885,
        110.4155,
        "way",
        900003,
        "highway",
        "secondary",
        ("jalan pandanaran", "jl pandanaran", "pandanaran"),
    ),
    FixturePlace(
        1004,
        "Pandanaran",
        "Pandanaran, Kabupaten Boyolali, Jawa Tengah, Indonesia",
        -7.5273,
        110.5984,
        "node",
        900004,
        "place",
        "village",
        ("pandanaran",),
        0.2,
    ),
    FixturePlace(
        1005,
        "Stasiun Semarang Tawang",
        "Stasiun Semarang Tawang, Tanjung Mas, Semarang Utara, Semarang, Jawa Tengah, Indonesia",
        -6.96444,
        110.42778,
        "way",
        900005,
        "railway",
        "station",
        ("stasiun tawang", "tawang"),
        0.4,
    ),
)
"""The default fixture table. Pandanaran (Boyolali) lies outside the Semarang viewbox:
a ``bounded=1`` search must not return it."""


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the stand-in received."""

    path: str
    query: dict[str, str]
    at: float  # time.monotonic()
    user_agent: str | None


def _viewbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        lon1, lat1, lon2, lat2 = (float(v) for v in value.split(","))
    except ValueError:
        return None
    return min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)


def _search_json(place: FixturePlace) -> dict[str, Any]:
    d = 0.0005
    return {
        "place_id": place.place_id,
        "licence": LICENCE,
        "osm_type": place.osm_type,
        "osm_id": place.osm_id,
        "lat": f"{place.lat:.7f}",
        "lon": f"{place.lon:.7f}",
        "class": place.category,
        "type": place.type,
        "place_rank": 30,
        "importance": place.importance,
        "addresstype": place.type,
        "name": place.name,
        "display_name": place.display_name,
        "boundingbox": [
            f"{place.lat - d:.7f}",
            f"{place.lat + d:.7f}",
            f"{place.lon - d:.7f}",
            f"{place.lon + d:.7f}",
        ],
    }


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    k = math.pi / 180
    x = (lon2 - lon1) * k * math.cos((lat1 + lat2) / 2 * k)
    y = (lat2 - lat1) * k
    return 6_371_000 * math.hypot(x, y)


@dataclass
class GeocoderEmulator:
    """The stand-in server. ``async with GeocoderEmulator() as geo:`` then point a client
    at ``geo.domain`` with scheme ``http``."""

    mode: Mode = Mode.NORMAL
    slow_delay_s: float = 30.0
    error_status: int = 503
    reverse_radius_m: float = 1000.0
    fixtures: Sequence[FixturePlace] = FIXTURES
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[RecordedRequest] = field(default_factory=list, repr=False)
    _runner: web.AppRunner | None = field(default=None, init=False, repr=False)
    _stopping: asyncio.Event | None = field(default=None, init=False, repr=False)

    @property
    def domain(self) -> str:
        """``host:port`` of the running server (for geopy's ``domain=``)."""
        return f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.domain}"

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Recorded requests whose path is ``path`` (e.g. ``/search``)."""
        return [r for r in self.requests if r.path == path]

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one; :attr:`port` is updated)."""
        app = web.Application()
        app.router.add_get("/search", self._search)
        app.router.add_get("/reverse", self._reverse)
        self._stopping = asyncio.Event()
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening; slow answers in progress end at once."""
        if self._stopping is not None:
            self._stopping.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- handlers ----------------------------------------------------------------

    async def _common(self, request: web.Request) -> web.Response | None:
        self.requests.append(
            RecordedRequest(
                request.path,
                dict(request.query),
                time.monotonic(),
                request.headers.get("User-Agent"),
            )
        )
        if self.mode is Mode.SLOW:
            assert self._stopping is not None
            try:
                await asyncio.wait_for(self._stopping.wait(), self.slow_delay_s)
            except TimeoutError:
                pass
        if self.mode is Mode.ERROR:
            return web.json_response(
                {"error": {"code": self.error_status, "message": "stand-in failure"}},
                status=self.error_status,
            )
        return None

    async def _search(self, request: web.Request) -> web.Response:
        failure = await self._common(request)
        if failure is not None:
            return failure
        if self.mode is Mode.EMPTY:
            return web.json_response([])
        q = " ".join(request.query.get("q", "").lower().split())
        try:
            limit = max(1, min(40, int(request.query.get("limit", "10"))))
        except ValueError:
            limit = 10
        box = _viewbox(request.query.get("viewbox"))
        bounded = request.query.get("bounded") == "1"
        found = [
            p
            for p in self.fixtures
            if q and any(t in q or q in t for t in p.terms)
            if not (
                bounded
                and box is not None
                and not (box[0] <= p.lon <= box[2] and box[1] <= p.lat <= box[3])
            )
        ]
        found.sort(key=lambda p: -p.importance)
        return web.json_response([_search_json(p) for p in found[:limit]])

    async def _reverse(self, request: web.Request) -> web.Response:
        failure = await self._common(request)
        if failure is not None:
            return failure
        unable = {"error": "Unable to geocode"}
        if self.mode is Mode.EMPTY:
            return web.json_response(unable)
        try:
            lat, lon = float(request.query["lat"]), float(request.query["lon"])
        except (KeyError, ValueError):
            return web.json_response({"error": "Parameter 'lat' / 'lon' missing"}, status=400)
        best = min(self.fixtures, key=lambda p: _distance_m(lat, lon, p.lat, p.lon), default=None)
        if best is None or _distance_m(lat, lon, best.lat, best.lon) > self.reverse_radius_m:
            return web.json_response(unable)
        body = _search_json(best)
        body["address"] = {"road": best.name, "city": "Semarang", "country_code": "id"}
        return web.json_response(body)


async def _serve(port: int, mode: Mode) -> None:
    emulator = GeocoderEmulator(mode=mode, port=port)
    async with emulator:
        print(f"Nominatim stand-in on {emulator.base_url} (mode {mode})", flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.NORMAL.value)
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args.port, Mode(args.mode)))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
