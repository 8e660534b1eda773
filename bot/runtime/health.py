"""``HEALTH_PORT``: ``/healthz`` (can the bot do its job?) and ``/metrics`` (Prometheus).

:class:`HealthState` is what the running bot tells about itself; the delivery code may
call its setters (e.g. ``health.dispatch_chat_refusing(True)`` when the dispatchers' chat
refuses messages). :func:`assess` turns it and the database's figures into the answer:
200, or 503 when the bot cannot do its job — the dispatch chat (or an agency's group)
refuses messages, no Bot
API request has succeeded for a minute, the database cannot be written, or updates are
no longer received.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.config import Settings
from bot.domain.chats import ChatMoves
from bot.domain.clock import Clock
from bot.domain.routing import Routing
from bot.runtime.metrics import CHAT_ROLES, DatabaseFigures, Metrics
from bot.runtime.startup import StartupError, port_problem
from bot.services.receipts import LOOK_BACK
from storage import health as figures
from storage.db import Database
from storage.incidents import Incident, incidents

log = logging.getLogger(__name__)

API_STALE_AFTER: Final = timedelta(minutes=1)
"""No successful Bot API request for this long: the bot cannot reach Telegram."""
PROBE_API_AFTER: Final = timedelta(seconds=30)
"""Quiet this long (e.g. webhook mode at night): /healthz asks Telegram itself (getMe)."""
DB_PROBE_TIMEOUT: Final = 5.0


@dataclass
class HealthState:
    """What the running bot knows about its own health. Setters are safe to call anytime."""

    clock: Clock
    dispatch_chat_id: int | None = None
    mode: str = "polling"
    last_api_success: datetime | None = None
    dispatch_refusing: bool = False
    dispatch_reason: str | None = None
    receiving: Callable[[], bool] = field(default=lambda: False)
    role: str = "active"
    """PostgreSQL: "standby" while another process holds the lease, "lost" once this one
    lost it; "active" otherwise (always with SQLite)."""
    chats: ChatMoves = field(default_factory=ChatMoves)
    """Where the configured chats live now (a group upgraded to a supergroup moves)."""

    @property
    def dispatch_chat(self) -> int | None:
        """The dispatch chat's id now."""
        return None if self.dispatch_chat_id is None else self.chats.current(self.dispatch_chat_id)

    def api_succeeded(self) -> None:
        """A Bot API request was answered 200."""
        self.last_api_success = self.clock.now()

    def dispatch_chat_refusing(self, refusing: bool, reason: str | None = None) -> None:
        """The dispatchers' chat refuses the bot's messages (True), or takes them again."""
        if refusing != self.dispatch_refusing:
            level = logging.ERROR if refusing else logging.INFO
            what = "refuses messages" if refusing else "takes messages again"
            log.log(level, "dispatch chat %s %s", self.dispatch_chat_id, what)
        self.dispatch_refusing = refusing
        self.dispatch_reason = reason if refusing else None

    def observe_response(self, method: str, code: int, chat_id: int | None) -> None:
        """Learn from each Bot API answer (see :class:`bot.runtime.metrics.InstrumentedRequest`)."""
        if code == 200:
            self.api_succeeded()
        if chat_id is None or chat_id != self.dispatch_chat:
            return
        if not (method.startswith(("send", "copy", "edit", "forward"))):
            return
        if code == 200 and self.dispatch_refusing:
            self.dispatch_chat_refusing(False)
        elif code == 403:
            self.dispatch_chat_refusing(True, f"{method} answered 403 Forbidden")


@dataclass
class Checks:
    """What one health check measured besides the state."""

    writable: bool
    write_error: str | None
    outbox: DatabaseFigures
    cut_off: list[Incident] = field(default_factory=list)
    """Groups that refuse the bot (removed or kicked), from the database."""
    roles: dict[int, str] = field(default_factory=dict)
    """What each of those groups is (dispatch, agency, ops)."""


def assess(state: HealthState, checks: Checks, now: datetime) -> tuple[int, dict[str, Any]]:
    """The HTTP status (200 or 503) and the JSON body of ``/healthz``."""
    problems: list[str] = []
    receiving = state.receiving()
    if not receiving:
        problems.append(f"updates are not being received ({state.mode} stopped)")
    age = None if state.last_api_success is None else (now - state.last_api_success)
    if age is None or age > API_STALE_AFTER:
        problems.append("no successful Bot API request for a minute")
    dispatch = state.dispatch_chat
    for incident in checks.cut_off:
        role = "dispatch" if incident.chat_id == dispatch else checks.roles.get(incident.chat_id)
        what = {"dispatch": "the dispatch chat", "agency": "agency chat", "ops": "the ops chat"}
        what_chat = what.get(role or "", "chat")
        problems.append(
            f"{what_chat} {incident.chat_id} refuses messages since {_iso(incident.since)}"
            f" ({incident.reason}); {incident.held} message(s) held"
        )
    dispatch_cut_off = any(i.chat_id == dispatch for i in checks.cut_off)
    if state.dispatch_refusing and not dispatch_cut_off:
        problems.append(f"the dispatch chat refuses messages ({state.dispatch_reason})")
    if not checks.writable:
        problems.append(f"the database cannot be written ({checks.write_error})")
    oldest = max(checks.outbox.outbox_oldest_age_s.values(), default=None)
    last = state.last_api_success
    body: dict[str, Any] = {
        "status": "unavailable" if problems else "ok",
        "problems": problems,
        "updates": {"mode": state.mode, "alive": receiving},
        "bot_api": {
            "last_success": None if last is None else _iso(last),
            "seconds_ago": None if age is None else round(age.total_seconds(), 1),
        },
        "dispatch_chat": {
            "id": dispatch,
            "reachable": not (state.dispatch_refusing or dispatch_cut_off),
        },
        "cut_off_chats": [
            {"id": i.chat_id, "since": _iso(i.since), "reason": i.reason, "held": i.held}
            for i in checks.cut_off
        ],
        "database": {"writable": checks.writable},
        "outbox": {
            "depth": {role: checks.outbox.outbox_depth.get(role, 0) for role in CHAT_ROLES},
            "oldest_age_seconds": None if oldest is None else round(oldest, 1),
        },
    }
    body["role"] = state.role
    return (503 if problems else 200), body


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def chat_role(chat_id: int, settings: Settings, routing: Routing) -> str:
    """Which kind of chat an outbox row goes to."""
    if chat_id == settings.dispatch_chat_id:
        return "dispatch"
    if routing.agency_by_chat(chat_id) is not None:
        return "agency"
    if chat_id == settings.ops_chat_id:
        return "ops"
    return "reporter" if chat_id > 0 else "other"


async def read_figures(
    db: Database, settings: Settings, routing: Routing, now: datetime
) -> DatabaseFigures:
    """The database's part of the metrics and of /healthz."""
    result = DatabaseFigures()
    for queued in await figures.queued_by_chat(db):
        role = chat_role(queued.chat_id, settings, routing)
        result.outbox_depth[role] = result.outbox_depth.get(role, 0) + queued.depth
        age = max((now - queued.oldest).total_seconds(), 0.0)
        result.outbox_oldest_age_s[role] = max(result.outbox_oldest_age_s.get(role, 0.0), age)
    result.reports_by_state = await figures.reports_by_state(db)
    target = timedelta(minutes=settings.response_target_minutes)
    result.reports_past_target = await figures.reports_past_target(db, now - target)
    result.digests_sent = await figures.sent_count(db, "digest")
    bound = timedelta(seconds=settings.not_received_warning_seconds)
    result.reports_not_received = await figures.reports_not_received(
        db, now - bound, now - LOOK_BACK
    )
    result.chats_cut_off = await figures.chats_cut_off(db)
    return result


async def probe_database(db: Database) -> str | None:
    """None when the database can be written, else why not."""
    try:
        async with asyncio.timeout(DB_PROBE_TIMEOUT):
            await figures.probe_write(db)
    except TimeoutError:
        return "busy for more than 5 s"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class HealthServer:
    """The small HTTP server behind ``HEALTH_PORT``."""

    def __init__(
        self,
        state: HealthState,
        metrics: Metrics,
        db: Database,
        settings: Settings,
        routing: Routing,
        ping: Callable[[], Awaitable[object]],
    ) -> None:
        self.state, self.metrics, self.db = state, metrics, db
        self.settings, self.routing = settings, routing
        self._ping = ping
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on HEALTH_LISTEN:HEALTH_PORT; a port in use is a :class:`StartupError`."""
        assert self.settings.health_port is not None
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        host, port = self.settings.health_listen, self.settings.health_port
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            await runner.cleanup()
            raise StartupError(
                port_problem("HEALTH_PORT", "HEALTH_LISTEN", host, port, exc)
            ) from None
        self._runner = runner
        log.info("health and metrics on http://%s:%s/healthz and /metrics", host, port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def standby(self) -> tuple[int, dict[str, Any]]:
        """A standby is healthy as a standby; in webhook mode it answers 503, so a load
        balancer sends Telegram's webhook to the active process."""
        webhook = self.state.mode == "webhook"
        body = {
            "status": self.state.role,
            "role": self.state.role,
            "problems": [] if self.state.role == "standby" else ["the lease was lost"],
            "updates": {"mode": self.state.mode, "alive": False},
        }
        ok = self.state.role == "standby" and not webhook
        self.metrics.healthy.set(1 if ok else 0)
        return (200 if ok else 503), body

    async def check(self) -> tuple[int, dict[str, Any]]:
        """Measure now; refresh the metrics' database figures too."""
        if self.state.role != "active":
            return self.standby()
        now = self.state.clock.now()
        last = self.state.last_api_success
        if last is None or now - last > PROBE_API_AFTER:
            try:
                async with asyncio.timeout(10):
                    await self._ping()  # a success updates last_api_success
            except Exception as exc:
                log.warning("health: Bot API check failed: %s", exc)
        write_error = await probe_database(self.db)
        try:
            self.metrics.figures = await read_figures(self.db, self.settings, self.routing, now)
        except Exception as exc:
            write_error = write_error or f"cannot read: {exc}"
        try:
            cut_off = await incidents(self.db)
        except Exception as exc:
            cut_off = []
            write_error = write_error or f"cannot read: {exc}"
        roles = {
            i.chat_id: chat_role(self.state.chats.original(i.chat_id), self.settings, self.routing)
            for i in cut_off
        }
        checks = Checks(write_error is None, write_error, self.metrics.figures, cut_off, roles)
        code, body = assess(self.state, checks, self.state.clock.now())
        self.metrics.healthy.set(1 if code == 200 else 0)
        return code, body

    async def _healthz(self, request: web.Request) -> web.Response:
        code, body = await self.check()
        return web.json_response(body, status=code)

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.check()
        return web.Response(
            body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
