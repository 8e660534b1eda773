"""Wiring: build the python-telegram-bot Application and run it with its services.

:class:`BotRuntime` starts, in order, the database (migrations), the Application, the
outbox worker and polling; it stops them in reverse, letting in-flight updates finish.
The offline demo and the end-to-end tests use the same runtime as production.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Final

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationBuilder, ExtBot, TypeHandler

import handlers
from bot.config import Settings
from bot.domain.chats import ChatMoves, LostTopics
from bot.domain.clock import Clock, SystemClock
from bot.domain.geo import CityMap
from bot.domain.overview import MapPoint
from bot.domain.pacing import Budgets, Pacer
from bot.domain.routing import load_routing
from bot.domain.stats import Statistics
from bot.runtime.geocoding import GeocoderSettings, GeocodingService
from bot.runtime.health import HealthServer, HealthState
from bot.runtime.jobs import AlertScheduler, FileSweeper, SummaryJob, policy_from
from bot.runtime.metrics import InstrumentedRequest, Metrics, ResponseObserver
from bot.runtime.outbox import OutboxWorker
from bot.runtime.processor import PerChatUpdateProcessor
from bot.runtime.profile import present
from bot.runtime.startup import StartupError, check_database, connect_telegram, port_problem
from bot.runtime.stored_files import FileStore
from bot.runtime.updates import TolerantBot
from bot.runtime.watch import LinkWatch
from bot.services.summaries import SummaryKind, SummaryPicture, SummaryPictures, schedule_from
from bot.services.surge import SurgeGuard
from handlers.context import CONTEXT_TYPES, BotApplication, Services
from handlers.dispatch import members
from handlers.views.card import CardRenderer
from handlers.views.summary import render_summary
from storage.chats import moves as stored_moves
from storage.db import Database, display_url
from storage.outbox import QueuedMessage
from storage.topics import lost_topics

if TYPE_CHECKING:
    from storage.lease import Lease

log = logging.getLogger(__name__)

UPDATE_COUNTER_GROUP: Final = -1000
"""Handler group of the update counter: before every other group, so it sees each update."""


def geocoder_settings(settings: Settings) -> GeocoderSettings:
    """The geocoder's configuration from the bot's settings."""
    scheme, _, domain = settings.geocoder_url.partition("://")
    return GeocoderSettings(
        enabled=settings.geocoder_enabled,
        scheme=scheme,
        domain=domain,
        user_agent=settings.geocoder_user_agent,
        timeout_s=settings.geocoder_timeout_seconds,
    )


def build_application(
    settings: Settings, metrics: Metrics | None = None, health: HealthState | None = None
) -> BotApplication:
    """The Application pointed at the configured Bot API server, handlers registered;
    with ``metrics`` / ``health``, every Bot API answer and update is counted."""
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_url
    observer = _observer(metrics, health)
    processor = PerChatUpdateProcessor(settings.max_concurrent_updates)
    bot: ExtBot[None] = TolerantBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
        request=InstrumentedRequest(observer),
        get_updates_request=InstrumentedRequest(observer, connection_pool_size=1),
        room=processor.wait_for_room,
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(processor)
        .build()
    )
    if metrics is not None:
        count = metrics.count_update

        async def count_update(update: Update, _context: object) -> None:
            count(update)

        app.add_handler(TypeHandler(Update, count_update), group=UPDATE_COUNTER_GROUP)
    handlers.register(app)
    return app


def _observer(metrics: Metrics | None, health: HealthState | None) -> ResponseObserver | None:
    if metrics is None and health is None:
        return None

    def observe(method: str, code: int, chat_id: int | None) -> None:
        if metrics is not None:
            metrics.count_response(method, code)
            if code == 200:
                metrics.last_api_success.set_to_current_time()
        if health is not None:
            health.observe_response(method, code, chat_id)

    return observe


FILES_FOLDER = "files"
"""Generated files the outbox sends (summary pictures), beside the database."""


def summary_drawer(settings: Settings, city: CityMap) -> SummaryPictures:
    """Draws a summary's pictures (matplotlib is loaded at the first drawing)."""

    def draw(kind: SummaryKind, st: Statistics, points: Sequence[MapPoint]) -> list[SummaryPicture]:
        from handlers.views.summary_pictures import summary_pictures

        return summary_pictures(
            kind,
            st,
            points,
            city=city,
            tz=settings.tz,
            target=timedelta(minutes=settings.response_target_minutes),
            lang=settings.dispatch_language,
        )

    return draw


class BotRuntime:
    """``async with BotRuntime(settings):`` — the bot runs inside the block."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, poll_timeout: int = 10):
        self.settings = settings
        self.clock = clock or SystemClock()
        self.poll_timeout = poll_timeout
        self.db: Database | None = None
        self.app: BotApplication | None = None
        self.outbox: OutboxWorker | None = None
        self.scheduler: AlertScheduler | None = None
        self.summaries: SummaryJob | None = None
        self.sweeper: FileSweeper | None = None
        self.files = FileStore(settings.sqlite_file.parent / FILES_FOLDER)
        self.watch: LinkWatch | None = None
        self.routing = load_routing(settings.routing_path)  # validated before anything starts
        self.geocoder = GeocodingService(geocoder_settings(settings))
        self.metrics = Metrics()
        self.health = HealthState(
            self.clock,
            dispatch_chat_id=settings.dispatch_chat_id,
            mode="polling" if settings.webhook_url is None else "webhook",
            receiving=self._receiving,
        )
        self.health_server: HealthServer | None = None
        self._delivering = False  # the outbox worker runs (so a stop may wait for it)
        self.lease: Lease | None = None  # PostgreSQL: held while this process is active
        self.lost = asyncio.Event()  # set when the lease was lost and the bot stopped acting
        self._guard: asyncio.Task[None] | None = None
        self._lease_ended = asyncio.Event()  # the lease's session ended (no need to ask)

    def _receiving(self) -> bool:
        return self.app is not None and self.app.updater is not None and self.app.updater.running

    async def __aenter__(self) -> BotRuntime:
        if not self.settings.shared_database:
            await asyncio.to_thread(check_database, self.settings.sqlite_file)
            self.db = await Database.open(self.settings.database)
        else:
            self.db = await self._reach_postgres()
        try:
            if self.settings.shared_database:
                await self._wait_for_lease(self.db)
            self.app = build_application(self.settings, self.metrics, self.health)
            chats = ChatMoves(await stored_moves(self.db))
            self.health.chats = chats
            topics = LostTopics(await lost_topics(self.db))
            cards = CardRenderer(self.settings, self.routing, chats=chats, topics=topics)
            self._build_workers(self.db, self.app, cards, chats)
            assert self.outbox is not None and self.scheduler is not None
            await self._connect()
            await self.outbox.start()
            self._delivering = True
            await self.scheduler.start()
            assert self.summaries is not None and self.sweeper is not None
            await self.summaries.start()
            await self.sweeper.start()
            assert self.watch is not None
            await self.watch.start()
            await self._receive()
            if self.lease is not None:
                self._guard = asyncio.create_task(self._keep_lease(self.lease))
        except BaseException:
            await self._close()
            raise
        log.info("bot @%s is running", self.app.bot.username)
        return self

    # --- active / standby (PostgreSQL) ----------------------------------------------------

    async def _reach_postgres(self) -> Database:
        """Open DATABASE_URL, retrying for STARTUP_RETRY_SECONDS (the server may be starting
        too); then a one-line StartupError without the password."""
        from storage.postgres import PostgresError  # the driver only where it is used

        url = self.settings.database
        unreachable: tuple[type[BaseException], ...] = (OSError, TimeoutError, *PostgresError)
        deadline = asyncio.get_running_loop().time() + self.settings.startup_retry_seconds
        while True:
            try:
                return await Database.open(url)
            except unreachable as exc:
                if asyncio.get_running_loop().time() >= deadline:
                    raise StartupError(
                        f"DATABASE_URL: cannot open {display_url(url)}: {exc}"
                    ) from None
                log.warning("PostgreSQL not reachable yet (%s); retrying", exc)
                await asyncio.sleep(2)

    async def _ping_telegram(self) -> object:
        return None if self.app is None else await self.app.bot.get_me()

    async def _wait_for_lease(self, db: Database) -> None:
        """Standby until this process holds the lease: only the health server runs (it
        answers "standby"); nothing is polled, sent or timed."""
        from storage.lease import Lease

        lease = self.lease = Lease(self.settings.database, on_lost=self._lease_ended.set)
        every = self.settings.failover_check_seconds
        self.health.role = "standby"
        if self.settings.health_port is not None:
            self.health_server = HealthServer(
                self.health, self.metrics, db, self.settings, self.routing, self._ping_telegram
            )
            await self.health_server.start()
        told = False
        while not await lease.try_acquire(within=2 * every + 1):
            if not told:
                log.info("standby: another process is active; taking over when its lease ends")
                told = True
            await asyncio.sleep(every)
        db.fence_pid = lease.pid  # from now on every write checks the lease is still ours
        self.health.role = "active"
        log.warning("active: this process holds the lease (database session %s)", lease.pid)

    async def _keep_lease(self, lease: Lease) -> None:
        """Confirm the lease every FAILOVER_CHECK_SECONDS; when a confirmation does not come
        back within twice that, stop acting at once (a standby may take over as soon as the
        server ends the lease's session: storage/lease.py)."""
        every = self.settings.failover_check_seconds
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(every):
                    await self._lease_ended.wait()
            if self._lease_ended.is_set() or not await lease.confirm(within=2 * every):
                break
        log.critical("lease lost: another process may be active; this one stops acting now")
        self.health.role = "lost"
        self._delivering = False  # nothing more is sent, not even what is due
        self._guard = None  # _close must not wait for this task
        if self.app is not None and self.app.updater is not None:
            # Updates fetched but not handled are not confirmed to Telegram on the way out:
            # the process that took over receives them again (a repeat counts once).
            setattr(self.app.updater, "_Updater__polling_cleanup_cb", None)  # noqa: B010
        await self._close()
        self.lost.set()

    def _build_workers(
        self, db: Database, app: BotApplication, cards: CardRenderer, chats: ChatMoves
    ) -> None:
        """The outbox worker, the periodic jobs and the handlers' services, wired together."""
        settings = self.settings
        pacer = Pacer(
            Budgets(group_per_minute=settings.group_messages_per_minute),
            enabled=settings.telegram_flood_limits,
        )
        outbox = self.outbox = OutboxWorker(
            db,
            app.bot,
            self.clock,
            read_timeout=settings.telegram_timeout_seconds,
            surge=SurgeGuard(
                db,
                cards.digest,
                cards.reminder_board,
                cards.relay_batch,
            ),
            pacer=pacer,
            chats=chats,
        )
        self.scheduler = AlertScheduler(
            db,
            self.clock,
            policy_from(settings.claim_reminder_minutes, settings.response_target_minutes),
            cards.on_alert,
            outbox.wake,
            lambda draft, lang: cards.on_draft_expired(draft, lang, settings.draft_ttl_minutes),
            retention=timedelta(days=settings.retention_days),
        )
        services = Services(
            settings=settings,
            db=db,
            clock=self.clock,
            wake_outbox=outbox.wake,
            routing=self.routing,
            cards=cards,
            city=CityMap.load(),
            geocoder=self.geocoder,
            chats=chats,
            topics=cards.topics,
            pacer=pacer,
        )
        app.bot_data.services = services
        outbox.on_chat_moved = lambda old, new: members.follow_move(services, old, new)
        outbox.on_chat_refused = lambda chat, why: members.chat_cut_off(services, chat, why)

        async def on_bad_request(row: QueuedMessage, error: str) -> bool:
            thread = row.payload.get("message_thread_id")
            if await members.topic_refused(services, row.chat_id, thread, error):
                return True
            if members.edit_target_gone(row.role, error):
                await members.message_gone(services, row.report_id, row.edit_outbox_id, error)
            return False  # the row itself is given up: a fresh card replaces the edit

        async def on_reply_target_gone(row: QueuedMessage) -> None:
            why = "a reply to it went out alone"
            await members.message_gone(services, row.report_id, row.reply_to_outbox_id, why)

        outbox.on_bad_request = on_bad_request
        outbox.on_reply_target_gone = on_reply_target_gone
        self.watch = LinkWatch(
            db,
            self.clock,
            timedelta(seconds=settings.not_received_warning_seconds),
            lambda states: [cards.not_received(st) for st in states],
            lambda: members.alert_again(
                services, timedelta(minutes=settings.cut_off_alert_minutes)
            ),
            outbox.wake,
        )
        self.summaries = SummaryJob(
            db,
            self.clock,
            schedule_from(settings),
            lambda: cards.chat,
            outbox.wake,
            render=render_summary,
            lang=settings.dispatch_language,
            target=timedelta(minutes=settings.response_target_minutes),
            pictures=summary_drawer(settings, services.city) if settings.summary_pictures else None,
            files=self.files,
        )
        self.sweeper = FileSweeper(
            self.clock, db, self.files, timedelta(days=settings.retention_days)
        )

    async def _connect(self) -> None:
        """Reach the Bot API server (retrying a while), then present the bot and check the
        dispatch chat."""
        assert self.app is not None
        settings = self.settings
        await connect_telegram(self.app, settings.telegram_api_url, settings.startup_retry_seconds)
        await self._announce()

    async def _receive(self) -> None:
        """Start the health server (its port is checked first), then take updates (webhook
        or long polling)."""
        assert self.app is not None and self.app.updater is not None and self.db is not None
        if self.settings.health_port is not None and self.health_server is None:
            self.health_server = HealthServer(
                self.health, self.metrics, self.db, self.settings, self.routing, self.app.bot.get_me
            )
            await self.health_server.start()
        await self.app.start()
        if self.settings.webhook_url is not None:
            await self._start_webhook()
        else:
            await self.app.updater.start_polling(
                allowed_updates=Update.ALL_TYPES, timeout=self.poll_timeout
            )

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._close()

    async def _close(self) -> None:
        app, outbox = self.app, self.outbox
        if self._guard is not None:
            self._guard.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._guard
            self._guard = None
        if app is not None and app.updater is not None and app.updater.running:
            await app.updater.stop()  # first: no new updates
        if self.health_server is not None:
            await self.health_server.stop()
            self.health_server = None
        if self.watch is not None:
            await self.watch.stop()
            self.watch = None
        if self.summaries is not None:
            await self.summaries.stop()
            self.summaries = None
        if self.sweeper is not None:
            await self.sweeper.stop()
            self.sweeper = None
        if self.scheduler is not None:
            await self.scheduler.stop()
            self.scheduler = None
        if app is not None:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()  # no new updates
            if app.running:
                await app.stop()  # in-flight updates finish
        if outbox is not None:
            if self._delivering:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(5):
                        await outbox.wait_idle()  # deliver what is due, briefly
                self._delivering = False
            await outbox.stop()
        if app is not None:
            with contextlib.suppress(Exception):
                await app.shutdown()
            with contextlib.suppress(Exception):
                await app.bot.shutdown()  # an Application that never started leaves it open
        await self.geocoder.aclose()
        if self.db is not None:
            await self.db.close()
        if self.lease is not None:
            await self.lease.release()
        self.app = self.outbox = self.db = None

    async def _start_webhook(self) -> None:
        """Receive updates on WEBHOOK_URL; requests without the secret token are refused."""
        assert self.app is not None and self.app.updater is not None
        assert self.settings.webhook_url is not None and self.settings.webhook_secret is not None
        url = self.settings.webhook_url
        path = url.split("://", 1)[1].partition("/")[2]
        listen, port = self.settings.webhook_listen, self.settings.webhook_port
        try:
            await self.app.updater.start_webhook(
                listen=listen,
                port=port,
                url_path=path,
                webhook_url=url,
                secret_token=self.settings.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
            )
        except OSError as exc:
            raise StartupError(
                port_problem("WEBHOOK_PORT", "WEBHOOK_LISTEN", listen, port, exc)
            ) from None
        log.info("receiving updates by webhook on port %s", self.settings.webhook_port)

    async def _announce(self) -> None:
        """Descriptions and command menus; check the dispatch chat is reachable."""
        assert self.app is not None
        bot = self.app.bot
        settings = self.settings
        await present(
            bot,
            dispatch_chat_id=settings.dispatch_chat_id,
            default=settings.default_language,
            dispatch=settings.dispatch_language,
        )
        if settings.dispatch_chat_id is None:
            return
        try:
            chat = await bot.get_chat(settings.dispatch_chat_id)
            log.info("dispatch chat: %r (%s)", chat.title, chat.id)
        except TelegramError as exc:
            log.error(
                "DISPATCH_CHAT_ID %s is not reachable (%s): add the bot to the dispatchers' "
                "group and check the id with /chatid",
                settings.dispatch_chat_id,
                exc,
            )
            self.health.dispatch_chat_refusing(
                isinstance(exc, Forbidden) or "not found" in exc.message.lower(), exc.message
            )
