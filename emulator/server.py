"""A local Telegram Bot API server for tests, the offline demo and benchmarks.

:class:`BotApiServer` is a real aiohttp HTTP server on ``127.0.0.1`` that speaks the Bot API
as python-telegram-bot 22.x uses it.  Point a bot at it with::

    async with BotApiServer() as server:
        server.register_bot(TOKEN)
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(f"{server.root_url}/bot")
            .base_file_url(f"{server.root_url}/file/bot")
            .build()
        )

Requests arrive as ``POST /bot<token>/<method>`` (files: ``GET /file/bot<token>/<path>``);
the bot may run in the same event loop or in another process.  People are simulated with
:class:`emulator.driver.Driver`.

Besides the methods themselves (see :mod:`emulator.methods`) the server offers switches for
testing a bot's robustness, all changeable at runtime:

* ``latency`` - artificial delay per API call (benchmarks);
* :meth:`BotApiServer.set_flood_limits` - Telegram-like 429 ``retry after N`` answers;
* :meth:`BotApiServer.add_fault` - error answers for chosen methods (count / probability);
* :meth:`BotApiServer.outage` / :meth:`BotApiServer.outage_until_cleared` - every request
  fails with 502 Bad Gateway (or the connection is dropped);
* :meth:`BotApiServer.add_timeout_after_delivery` - the call is carried out (the message
  *is* stored) but the answer is held back, so the client times out not knowing the fate;
* :meth:`BotApiServer.add_error_after_delivery` - the call is carried out but answered with
  a 5xx (502 Bad Gateway by default), as when Telegram's front end loses the answer;
* :meth:`BotApiServer.add_garbled_answer` - the call is carried out but the answer body is
  cut in half (``truncated``), is not JSON at all (``garbage``), or the connection drops
  before any answer (``disconnect``);
* :meth:`BotApiServer.clear_faults`.

The three "after delivery" rules return an object whose ``results`` list collects what the
hidden answers would have said (e.g. the ``Message`` that *was* sent), so a test can tell
which message the bot does not know about.

Flood limits model Telegram's published budgets per chat role: any chat at most
``per_chat_per_second`` (1/s), groups (negative ids) also at most ``per_group_per_minute``
(20 per rolling minute), and ``global_per_second`` (30/s) over all chats of one bot.
:meth:`FloodLimiter.limits_for` lists the windows that apply to a chat; 429 answers are
counted per chat in ``BotWorld.status_counts`` (``Driver.too_many_requests(chat)``).

Every API call is recorded in :attr:`BotApiServer.calls` as
``ApiCall(method, params, status, time)``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web
from aiohttp.web_request import FileField

from emulator.methods import EDIT_METHODS, SEND_METHODS, EmulatorOptions, MethodHandlers, Params
from emulator.world import JSON, ApiCall, ApiError, BotWorld, Upload

__all__ = ["BotApiServer", "DelayedResponse", "Fault", "FloodLimiter", "HiddenDelivery"]

_log = logging.getLogger(__name__)

OutageMode = Literal["502", "close"]
GarbleMode = Literal["truncated", "garbage", "disconnect"]
HiddenMode = Literal["status", "truncated", "garbage", "disconnect"]


@dataclass(slots=True)
class Fault:
    """An injected error answer (see :meth:`BotApiServer.add_fault`)."""

    method: str | None
    status: int
    description: str
    remaining: int | None
    probability: float
    rng: random.Random
    parameters: JSON | None = None
    chat_id: int | None = None
    fired: int = 0

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method.lower() == method.lower()) and (
            self.chat_id is None or self.chat_id == chat_id
        )


@dataclass(slots=True)
class DelayedResponse:
    """Carry out the call, then hold the answer back (see ``add_timeout_after_delivery``)."""

    method: str | None
    delay: float
    remaining: int | None
    probability: float
    rng: random.Random
    chat_id: int | None = None
    fired: int = 0
    results: list[Any] = field(default_factory=list)  # the answers that came late

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method.lower() == method.lower()) and (
            self.chat_id is None or self.chat_id == chat_id
        )


@dataclass(slots=True)
class HiddenDelivery:
    """Carry out the call, then hide its success behind a bad answer.

    ``mode``: ``status`` (an HTTP error ``status``), ``truncated`` (200 with half the JSON
    body), ``garbage`` (200 with a body that is not JSON) or ``disconnect`` (connection
    dropped).  ``results`` collects the ``result`` each hidden answer would have carried.
    """

    method: str | None
    mode: HiddenMode
    status: int
    description: str
    remaining: int | None
    probability: float
    rng: random.Random
    chat_id: int | None = None
    fired: int = 0
    results: list[Any] = field(default_factory=list)

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method.lower() == method.lower()) and (
            self.chat_id is None or self.chat_id == chat_id
        )


def _take(rules: list[Any], method: str, chat_id: int | None) -> Any:
    """Return the first matching rule that fires, consuming one of its uses."""
    for rule in rules:
        if not rule.matches(method, chat_id):
            continue
        if rule.probability < 1.0 and rule.rng.random() >= rule.probability:
            continue
        rule.fired += 1
        if rule.remaining is not None:
            rule.remaining -= 1
            if rule.remaining <= 0:
                rules.remove(rule)
        return rule
    return None


@dataclass(slots=True)
class FloodLimiter:
    """Sliding-window flood limits per bot: per chat, per group and overall."""

    enabled: bool = False
    per_group_per_minute: int | None = 20
    per_chat_per_second: int | None = 1
    global_per_second: int | None = 30
    include_edits: bool = False
    rejections: int = 0
    _chat: dict[tuple[str, int], deque[float]] = field(default_factory=dict)
    _group: dict[tuple[str, int], deque[float]] = field(default_factory=dict)
    _global: dict[str, deque[float]] = field(default_factory=dict)

    def applies(self, method: str) -> bool:
        return self.enabled and (
            method in SEND_METHODS or (self.include_edits and method in EDIT_METHODS)
        )

    def limits_for(self, chat_id: int | None) -> list[tuple[str, int, float]]:
        """The budgets a send to ``chat_id`` must fit: ``(name, count, seconds)`` each.

        A private chat: ``chat`` (1 per second) and ``global`` (30 per second); a group
        or channel (negative id) also ``group`` (20 per 60 s).  Disabled limits are left out.
        """
        limits: list[tuple[str, int | None, float]] = [("global", self.global_per_second, 1.0)]
        if chat_id is not None:
            limits.append(("chat", self.per_chat_per_second, 1.0))
            if chat_id < 0:
                limits.append(("group", self.per_group_per_minute, 60.0))
        return [(name, limit, window) for name, limit, window in limits if limit]

    def _windows(
        self, token: str, chat_id: int | None
    ) -> list[tuple[deque[float], int | None, float]]:
        windows = [(self._global.setdefault(token, deque()), self.global_per_second, 1.0)]
        if chat_id is not None:
            windows.append(
                (self._chat.setdefault((token, chat_id), deque()), self.per_chat_per_second, 1.0)
            )
            if chat_id < 0:
                windows.append(
                    (
                        self._group.setdefault((token, chat_id), deque()),
                        self.per_group_per_minute,
                        60.0,
                    )
                )
        return windows

    def check(self, token: str, chat_id: int | None, now: float) -> int | None:
        """Seconds to wait (``retry_after``) if a send now would exceed a limit, else None."""
        wait = 0.0
        for stamps, limit, window in self._windows(token, chat_id):
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if limit and len(stamps) >= limit:
                wait = max(wait, stamps[len(stamps) - limit] + window - now)
        if wait <= 0:
            return None
        return max(1, math.ceil(wait - 1e-9))

    def commit(self, token: str, chat_id: int | None, now: float, count: int = 1) -> None:
        for stamps, _, _ in self._windows(token, chat_id):
            stamps.extend([now] * count)

    def reset(self) -> None:
        self._chat.clear()
        self._group.clear()
        self._global.clear()


class BotApiServer:
    """Telegram Bot API emulator over HTTP (see the module docstring for an example).

    All state lives in per-token :class:`emulator.world.BotWorld` objects
    (:meth:`world`); the server must run in the event loop of whoever inspects that state
    (tests, the driver), while bots may connect from anywhere over HTTP.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        strict_ampersand: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.host = host
        self.port = port
        self.latency = latency
        self.options = EmulatorOptions(strict_ampersand=strict_ampersand)
        self.clock = clock
        self.calls: list[ApiCall] = []
        self.flood = FloodLimiter()
        self.faults: list[Fault] = []
        self.delayed_responses: list[DelayedResponse] = []
        self.hidden_deliveries: list[HiddenDelivery] = []
        self.internal_errors: list[BaseException] = []
        self._outage_until: float | None = None
        self._outage_mode: OutageMode = "502"
        self._worlds: dict[str, BotWorld] = {}
        self._handlers: dict[str, MethodHandlers] = {}
        self._runner: web.AppRunner | None = None
        self._root_url: str | None = None
        self._stopping = asyncio.Event()

    # ================================================================= lifecycle
    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT`` (available after :meth:`start`)."""
        if self._root_url is None:
            raise RuntimeError("BotApiServer is not started")
        return self._root_url

    def base_url(self, token: str | None = None) -> str:
        """``{root}/bot`` for ``ApplicationBuilder().base_url`` (with the token if given)."""
        return f"{self.root_url}/bot{token or ''}"

    def base_file_url(self, token: str | None = None) -> str:
        """``{root}/file/bot`` for ``ApplicationBuilder().base_file_url``."""
        return f"{self.root_url}/file/bot{token or ''}"

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_get("/", self._handle_root)
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self.port = int(port)
        self._root_url = f"http://{host}:{port}"
        _log.info("Bot API emulator listening on %s", self._root_url)

    async def stop(self) -> None:
        if self._runner is None:
            return
        self._stopping.set()
        for world in self._worlds.values():
            world.update_signal.notify()
        runner, self._runner = self._runner, None
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

    # ================================================================= bots
    def register_bot(
        self,
        token: str,
        *,
        username: str = "semarang112_bot",
        first_name: str = "Semarang 112",
        can_read_all_group_messages: bool = False,
    ) -> JSON:
        """Register a bot token and return its ``User`` (what ``getMe`` answers).

        Registering an already known token returns the existing bot unchanged.
        ``can_read_all_group_messages=False`` means privacy mode: in groups the bot only
        receives commands, replies to its own messages and mentions (unless it is admin).
        """
        if token in self._worlds:
            return dict(self._worlds[token].bot_user)
        prefix = token.split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else 6_000_000_000 + len(self._worlds) + 1
        bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        world = BotWorld(token, bot_user, clock=self.clock)
        self._worlds[token] = world
        self._handlers[token] = MethodHandlers(world, self.options)
        return dict(bot_user)

    def world(self, token: str) -> BotWorld:
        """The state of a registered bot."""
        try:
            return self._worlds[token]
        except KeyError:
            raise KeyError(f"bot token {token!r} is not registered") from None

    def handlers(self, token: str) -> MethodHandlers:
        return self._handlers[token]

    # ================================================================= switches
    def set_flood_limits(
        self,
        *,
        per_group_per_minute: int | None = 20,
        per_chat_per_second: int | None = 1,
        global_per_second: int | None = 30,
        enabled: bool = True,
        include_edits: bool = False,
    ) -> None:
        """Answer sends beyond these rates with 429 ``Too Many Requests: retry after N``.

        Applies to send*, copyMessage and forwardMessage (and edits if ``include_edits``);
        ``None`` disables a single limit.  Windows are sliding; rejected calls do not count.
        """
        self.flood.enabled = enabled
        self.flood.per_group_per_minute = per_group_per_minute
        self.flood.per_chat_per_second = per_chat_per_second
        self.flood.global_per_second = global_per_second
        self.flood.include_edits = include_edits
        self.flood.reset()

    def disable_flood_limits(self) -> None:
        self.flood.enabled = False
        self.flood.reset()

    @property
    def flood_rejections(self) -> int:
        """How many 429 answers the flood limits produced so far."""
        return self.flood.rejections

    def add_fault(
        self,
        *,
        method: str | None = None,
        status: int = 500,
        description: str = "Internal Server Error",
        count: int | None = 1,
        probability: float = 1.0,
        seed: int | None = None,
        parameters: JSON | None = None,
        chat_id: int | None = None,
    ) -> Fault:
        """Answer the next ``count`` matching calls (``None`` = forever) with an error.

        The call is *not* carried out.  ``method=None`` matches every method (including
        getUpdates); ``chat_id`` restricts the fault to calls aimed at one chat;
        ``probability`` < 1 fires randomly (reproducible with ``seed``); ``parameters``
        become the answer's ``parameters`` (e.g. ``{"retry_after": 3}`` with status 429).
        """
        fault = Fault(
            method=method,
            status=status,
            description=description,
            remaining=count,
            probability=probability,
            rng=random.Random(seed),
            parameters=parameters,
            chat_id=chat_id,
        )
        self.faults.append(fault)
        return fault

    def add_timeout_after_delivery(
        self,
        *,
        method: str | None = "sendMessage",
        delay: float = 30.0,
        count: int | None = 1,
        probability: float = 1.0,
        seed: int | None = None,
        chat_id: int | None = None,
    ) -> DelayedResponse:
        """Carry out the next matching calls but answer only after ``delay`` seconds.

        With a client read timeout shorter than ``delay`` the client sees a timeout although
        the message was stored: the fate-unknown case.  Only successful calls are delayed;
        ``chat_id`` restricts the rule to calls aimed at one chat.
        """
        rule = DelayedResponse(
            method=method,
            delay=delay,
            remaining=count,
            probability=probability,
            rng=random.Random(seed),
            chat_id=chat_id,
        )
        self.delayed_responses.append(rule)
        return rule

    def add_error_after_delivery(
        self,
        *,
        method: str | None = "sendMessage",
        status: int = 502,
        description: str | None = None,
        count: int | None = 1,
        probability: float = 1.0,
        seed: int | None = None,
        chat_id: int | None = None,
    ) -> HiddenDelivery:
        """Carry out the next matching calls but answer with HTTP ``status`` (5xx).

        The message *is* stored; the client sees an error (python-telegram-bot:
        ``NetworkError``).  502 and 504 come as nginx's HTML page, like Telegram's front
        end; other statuses as a JSON error with ``description`` (default: the HTTP
        phrase).  Only successful calls are hidden; ``chat_id`` restricts the rule to one
        chat.  The returned rule's ``results`` lists what the hidden answers held.
        """
        rule = HiddenDelivery(
            method=method,
            mode="status",
            status=status,
            description=description or HTTPStatus(status).phrase,
            remaining=count,
            probability=probability,
            rng=random.Random(seed),
            chat_id=chat_id,
        )
        self.hidden_deliveries.append(rule)
        return rule

    def add_garbled_answer(
        self,
        *,
        method: str | None = "sendMessage",
        mode: GarbleMode = "truncated",
        count: int | None = 1,
        probability: float = 1.0,
        seed: int | None = None,
        chat_id: int | None = None,
    ) -> HiddenDelivery:
        """Carry out the next matching calls but spoil the answer.

        ``truncated``: 200 with the first half of the JSON body (python-telegram-bot:
        ``TelegramError("Invalid server response")``); ``garbage``: 200 with a body that
        is not JSON (same error); ``disconnect``: the connection is dropped before any
        answer (``NetworkError``).  In every mode the message *is* stored; the returned
        rule's ``results`` lists what the spoilt answers held.
        """
        rule = HiddenDelivery(
            method=method,
            mode=mode,
            status=200 if mode != "disconnect" else 0,
            description="",
            remaining=count,
            probability=probability,
            rng=random.Random(seed),
            chat_id=chat_id,
        )
        self.hidden_deliveries.append(rule)
        return rule

    def outage(self, seconds: float, *, mode: OutageMode = "502") -> None:
        """Fail every request for ``seconds`` (502 Bad Gateway, or drop the connection)."""
        self._outage_until = time.monotonic() + seconds
        self._outage_mode = mode

    def outage_until_cleared(self, *, mode: OutageMode = "502") -> None:
        """Fail every request until :meth:`clear_faults`."""
        self._outage_until = math.inf
        self._outage_mode = mode

    def clear_faults(self) -> None:
        """Remove faults, delayed and hidden responses and any outage (flood limits stay)."""
        self.faults.clear()
        self.delayed_responses.clear()
        self.hidden_deliveries.clear()
        self._outage_until = None

    @property
    def in_outage(self) -> bool:
        return self._outage_until is not None and time.monotonic() < self._outage_until

    # ================================================================= HTTP
    @staticmethod
    def _json(status: int, body: Any) -> web.Response:
        return web.Response(
            status=status,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
            content_type="application/json",
        )

    @staticmethod
    def _gateway_page(status: int) -> web.Response:
        phrase = f"{status} {HTTPStatus(status).phrase}"
        return web.Response(
            status=status,
            text=f"<html><head><title>{phrase}</title></head>"
            f"<body><center><h1>{phrase}</h1></center></body></html>",
            content_type="text/html",
        )

    async def _handle_root(self, request: web.Request) -> web.Response:
        bots = ", ".join(w.bot_user.get("username", "?") for w in self._worlds.values())
        return web.Response(text=f"Telegram Bot API emulator; bots: {bots or '(none)'}\n")

    async def _read_params(self, request: web.Request) -> Params:
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            content_type = request.content_type
            if content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON body") from None
                if isinstance(body, dict):
                    raw.update(body)
            elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key in form:
                    value = form[key]
                    if isinstance(value, FileField):
                        with value.file:
                            data = value.file.read()
                        raw[key] = Upload(value.filename, value.content_type, data)
                    else:
                        raw[key] = value
        return Params(raw)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server stops."""
        if seconds <= 0:
            return
        try:
            async with asyncio.timeout(seconds):
                await self._stopping.wait()
        except TimeoutError:
            pass

    def _record(self, world: BotWorld | None, call: ApiCall) -> None:
        self.calls.append(call)
        if world is not None:
            world.record_call(call)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        started = self.clock()
        world = self._worlds.get(token)
        if self.in_outage:
            status = 502 if self._outage_mode == "502" else 0
            self._record(world, ApiCall(method, {}, status, started))
            if self._outage_mode == "close" and request.transport is not None:
                request.transport.abort()
                raise asyncio.CancelledError
            return self._gateway_page(502)
        if world is None:
            self._record(None, ApiCall(method, {}, 401, started))
            return self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        handlers = self._handlers[token]
        canonical = handlers.canonical(method) or method
        try:
            params = await self._read_params(request)
        except ApiError as exc:
            self._record(world, ApiCall(canonical, {}, exc.code, started))
            return self._json(exc.code, exc.to_json())
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        chat_id = handlers.peek_chat_id(params)
        status, body = await self._execute(world, handlers, canonical, params, chat_id)
        if status == 200 and self.hidden_deliveries:
            hidden = _take(self.hidden_deliveries, canonical, chat_id)
            if hidden is not None:
                hidden.results.append(body["result"])
                call = ApiCall(canonical, params.recordable(), hidden.status, started)
                self._record(world, call)
                return self._hidden_answer(request, hidden, body)
        self._record(world, ApiCall(canonical, params.recordable(), status, started))
        if status == 200 and self.delayed_responses:
            delayed = _take(self.delayed_responses, canonical, chat_id)
            if delayed is not None:
                delayed.results.append(body["result"])
                await self._sleep(delayed.delay)
        return self._json(status, body)

    def _hidden_answer(
        self, request: web.Request, rule: HiddenDelivery, body: JSON
    ) -> web.Response:
        """The spoilt answer to a call that was carried out (see ``HiddenDelivery``)."""
        if rule.mode == "disconnect":
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        if rule.mode == "status":
            if rule.status in (502, 504):
                return self._gateway_page(rule.status)
            error = {"ok": False, "error_code": rule.status, "description": rule.description}
            return self._json(rule.status, error)
        if rule.mode == "truncated":
            payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            data = payload[: len(payload) // 2]
        else:
            data = b"<html><body>upstream sent an invalid response</body></html>"
        return web.Response(status=200, body=data, content_type="application/json")

    async def _execute(
        self,
        world: BotWorld,
        handlers: MethodHandlers,
        method: str,
        params: Params,
        chat_id: int | None,
    ) -> tuple[int, JSON]:
        fault: Fault | None = _take(self.faults, method, chat_id) if self.faults else None
        if fault is not None:
            body: JSON = {
                "ok": False,
                "error_code": fault.status,
                "description": fault.description,
            }
            if fault.parameters:
                body["parameters"] = fault.parameters
            return fault.status, body
        try:
            if method == "getUpdates":
                result: Any = await self._get_updates(world, handlers, params)
            else:
                entry = handlers.table.get(method.lower())
                if entry is None:
                    raise ApiError(400, "Bad Request: method not found")
                if self.flood.applies(method):
                    result = self._call_limited(world, entry[1], params, chat_id)
                else:
                    result = entry[1](params)
        except ApiError as exc:
            return exc.code, exc.to_json()
        except Exception as exc:
            _log.exception("emulator bug in %s", method)
            self.internal_errors.append(exc)
            return 500, {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: emulator failed: {exc!r}",
            }
        return 200, {"ok": True, "result": result}

    def _call_limited(
        self,
        world: BotWorld,
        handler: Callable[[Params], Any],
        params: Params,
        chat_id: int | None,
    ) -> Any:
        now = time.monotonic()
        retry_after = self.flood.check(world.token, chat_id, now)
        if retry_after is not None:
            self.flood.rejections += 1
            world.flood_rejections += 1
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        result = handler(params)
        count = len(result) if isinstance(result, list) else 1
        self.flood.commit(world.token, chat_id, now, count)
        return result

    async def _get_updates(
        self, world: BotWorld, handlers: MethodHandlers, params: Params
    ) -> list[JSON]:
        if world.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.integer("offset")
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout") or 0.0, 0.0)
        handlers.set_allowed_updates(params.json("allowed_updates"))
        world.confirm_updates(offset)
        world.poll_generation += 1
        generation = world.poll_generation
        world.update_signal.notify()  # an older long poll now ends with 409
        deadline = time.monotonic() + timeout
        while True:
            batch = world.pending_updates(limit)
            if batch:
                return batch
            if generation != world.poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopping.is_set():
                return []
            await world.update_signal.wait(remaining)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        world = self._worlds.get(request.match_info["token"])
        if world is None:
            return self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        record = world.files_by_path.get(request.match_info["path"])
        if record is None:
            return self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(
            body=record.data, content_type=record.mime_type or "application/octet-stream"
        )
