"""Prometheus metrics (``/metrics``) and the Bot API request layer that feeds them.

Counted as they happen, in this process: updates by type, Bot API requests and errors by
method and HTTP code, flood waits (429). Read from the database at each scrape, so they
survive restarts and need no hook in the code that changes them: outbox depth and oldest
age per chat role, reports by state, reports past the response target, digests sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.runtime.http import AiohttpRequest

log = logging.getLogger(__name__)

PREFIX: Final = "semarang112"
CHAT_ROLES: Final = ("dispatch", "agency", "ops", "reporter", "other")

ResponseObserver = Callable[[str, int, int | None], None]
"""Called after each Bot API request: (method, HTTP code or 0 for no answer, chat id)."""


def api_method(url: str) -> str:
    """The Bot API method of a request URL (``sendMessage``); ``file`` for downloads."""
    if "/file/bot" in url:
        return "file"
    return url.rsplit("/", 1)[-1] or "unknown"


def update_type(update: object) -> str:
    """Which kind of update this is (``message``, ``callback_query``, …)."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


@dataclass
class DatabaseFigures:
    """What the last scrape read from the database."""

    outbox_depth: dict[str, int] = field(default_factory=dict)
    outbox_oldest_age_s: dict[str, float] = field(default_factory=dict)
    reports_by_state: dict[str, int] = field(default_factory=dict)
    reports_past_target: int = 0
    digests_sent: int = 0
    reports_not_received: int = 0
    chats_cut_off: int = 0


class _DatabaseCollector(Collector):
    def __init__(self, figures: Callable[[], DatabaseFigures]) -> None:
        self._figures = figures

    def collect(self) -> Iterable[Metric]:
        f = self._figures()
        depth = GaugeMetricFamily(
            f"{PREFIX}_outbox_depth",
            "Messages waiting in the outbox, by the role of the chat they go to",
            labels=["chat_role"],
        )
        age = GaugeMetricFamily(
            f"{PREFIX}_outbox_oldest_age_seconds",
            "Age of the oldest waiting message, by chat role (0 when none waits)",
            labels=["chat_role"],
        )
        for role in CHAT_ROLES:
            depth.add_metric([role], f.outbox_depth.get(role, 0))
            age.add_metric([role], f.outbox_oldest_age_s.get(role, 0.0))
        states = GaugeMetricFamily(
            f"{PREFIX}_reports", "Reports by lifecycle state", labels=["state"]
        )
        for state, count in sorted(f.reports_by_state.items()):
            states.add_metric([state], count)
        late = GaugeMetricFamily(
            f"{PREFIX}_reports_past_target",
            "Open reports past the response target (RESPONSE_TARGET_MINUTES) with nobody on scene",
        )
        late.add_metric([], f.reports_past_target)
        unseen = GaugeMetricFamily(
            f"{PREFIX}_reports_not_received",
            "Reports whose card is not in the dispatch group NOT_RECEIVED_WARNING_SECONDS"
            " after they were sent",
        )
        unseen.add_metric([], f.reports_not_received)
        cut_off = GaugeMetricFamily(
            f"{PREFIX}_chats_cut_off", "Configured groups that refuse the bot (removed, kicked)"
        )
        cut_off.add_metric([], f.chats_cut_off)
        digests = CounterMetricFamily(
            f"{PREFIX}_digests_sent",
            "Surge digests delivered (since the database began)",
        )
        digests.add_metric([], f.digests_sent)
        yield from (depth, age, states, late, unseen, cut_off, digests)


class Metrics:
    """One registry per running bot (tests run many in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.figures = DatabaseFigures()
        self.updates = Counter(
            f"{PREFIX}_updates", "Updates handled, by type", ["type"], registry=self.registry
        )
        self.api_requests = Counter(
            f"{PREFIX}_bot_api_requests",
            "Bot API requests by method and HTTP code (0: no answer, e.g. a time-out)",
            ["method", "code"],
            registry=self.registry,
        )
        self.api_errors = Counter(
            f"{PREFIX}_bot_api_errors",
            "Bot API requests that failed, by method and HTTP code (0: no answer)",
            ["method", "code"],
            registry=self.registry,
        )
        self.flood_waits = Counter(
            f"{PREFIX}_flood_waits",
            "Bot API answers 429 Too Many Requests (retry_after), by method",
            ["method"],
            registry=self.registry,
        )
        self.last_api_success = Gauge(
            f"{PREFIX}_bot_api_last_success_timestamp_seconds",
            "Unix time of the last successful Bot API request",
            registry=self.registry,
        )
        self.healthy = Gauge(
            f"{PREFIX}_healthy", "1 when /healthz answers 200, else 0", registry=self.registry
        )
        self.registry.register(_DatabaseCollector(lambda: self.figures))

    def count_response(self, method: str, code: int) -> None:
        """One Bot API request answered with ``code`` (0: no answer)."""
        self.api_requests.labels(method, str(code)).inc()
        if code != 200:
            self.api_errors.labels(method, str(code)).inc()
        if code == 429:
            self.flood_waits.labels(method).inc()

    def count_update(self, update: object) -> None:
        """One update arrived."""
        self.updates.labels(update_type(update)).inc()

    def exposition(self) -> bytes:
        """The Prometheus text format of everything."""
        return generate_latest(self.registry)


class InstrumentedRequest(AiohttpRequest):
    """The bot's HTTP client (``bot.runtime.http``), telling an observer how each request
    ended."""

    def __init__(self, observer: ResponseObserver | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.observer = observer

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except Exception:  # time-out or network error: no answer
            self._observe(url, 0, request_data)
            raise
        self._observe(url, code, request_data)
        return code, payload

    def _observe(self, url: str, code: int, request_data: RequestData | None) -> None:
        if self.observer is None:
            return
        try:
            self.observer(api_method(url), code, _chat_id(request_data))
        except Exception:  # counting must never fail a request
            log.exception("could not record a Bot API request")


def _chat_id(request_data: RequestData | None) -> int | None:
    if request_data is None:
        return None
    value = request_data.parameters.get("chat_id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
