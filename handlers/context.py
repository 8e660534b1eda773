"""What every handler shares: a typed context with the services, the reporter's session,
replying.

:class:`BotContext` is python-telegram-bot's ``CallbackContext`` with a typed
``services`` property (as in its ``contexttypesbot`` example): handlers write
``context.services`` instead of looking a key up in ``bot_data`` and asserting its type.
The composition root (:mod:`bot.runtime.app`) builds the :class:`Services` and puts them
in :class:`BotData`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import LinkPreviewOptions, Message, ReplyKeyboardRemove, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.domain import lifecycle
from bot.domain.chats import ChatMoves, LostTopics
from bot.domain.clock import Clock
from bot.domain.geo import CityMap
from bot.domain.messages import OutboundMessage
from bot.domain.models import Draft, Language, Reporter, clean_text
from bot.domain.pacing import Pacer
from bot.domain.routing import Routing
from bot.services import drafts, reports
from handlers.views.card import CardRenderer
from storage.db import Database

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class GeocodeHit(Protocol):
    """One place a geocoder found."""

    @property
    def display_name(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


class Geocoder(Protocol):
    """What the handlers need of a geocoding client (:mod:`bot.runtime.geocoding`)."""

    @property
    def enabled(self) -> bool: ...
    async def search(self, text: str) -> Sequence[GeocodeHit]: ...
    async def reverse(self, lat: float, lon: float) -> str | None: ...


BACKUP_QUIET_SECONDS = 180.0
"""An agency's repeated "need backup" for one report within this is one alert, not many."""


@dataclass
class Memo:
    """Short-lived answers kept per running bot (never across a restart)."""

    admins: dict[tuple[int, int], tuple[bool, float]] = field(default_factory=dict)
    """(chat id, user id) → (is an admin, monotonic time it expires)."""
    refused: dict[tuple[int, int], float] = field(default_factory=dict)
    """(chat id, user id) → monotonic time until which a refusal is not repeated."""
    backups: dict[tuple[int, str], float] = field(default_factory=dict)
    """(report id, agency) → monotonic time until which another "need backup" is the same."""
    albums: dict[tuple[int, str], int] = field(default_factory=dict)
    """(chat id, media group id) → photos of that album seen (one answer per album)."""

    def backup_due(self, key: tuple[int, str], quiet_seconds: float = BACKUP_QUIET_SECONDS) -> bool:
        """Whether an agency's "need backup" for a report is news (one per few minutes)."""
        now = time.monotonic()
        if self.backups.get(key, 0.0) > now:
            return False
        self.backups[key] = now + quiet_seconds
        return True

    def album_seen(self, chat_id: int, album: str | None) -> int:
        """Count one more message of an album; how many came before it (0: the first).
        Not an album: always 0."""
        if album is None:
            return 0
        if len(self.albums) > 1000:  # albums finish within seconds: forget the oldest
            for key in list(self.albums)[:500]:
                del self.albums[key]
        seen = self.albums.get((chat_id, album), 0)
        self.albums[(chat_id, album)] = seen + 1
        return seen


@dataclass
class Services:
    """Long-lived objects the handlers use; kept in ``application.bot_data``."""

    settings: Settings
    db: Database
    clock: Clock
    wake_outbox: Callable[[], None]
    routing: Routing
    cards: CardRenderer
    city: CityMap
    geocoder: Geocoder
    chats: ChatMoves = field(default_factory=ChatMoves)
    memo: Memo = field(default_factory=Memo)
    topics: LostTopics = field(default_factory=LostTopics)
    """Forum topics Telegram refused (their messages go to General)."""
    pacer: Pacer = field(default_factory=lambda: Pacer(enabled=False))
    """Telegram's flood budgets, shared with the outbox (direct prompts use them too)."""

    @property
    def draft_ttl(self) -> timedelta:
        """How long an idle draft lives."""
        return timedelta(minutes=self.settings.draft_ttl_minutes)

    @property
    def dispatch_chat(self) -> int:
        """The dispatch chat's id now (``DISPATCH_CHAT_ID``, or the supergroup it became)."""
        assert self.settings.dispatch_chat_id is not None
        return self.chats.current(self.settings.dispatch_chat_id)

    @property
    def response_target(self) -> timedelta:
        """The 10-minute target (RESPONSE_TARGET_MINUTES)."""
        return timedelta(minutes=self.settings.response_target_minutes)

    async def act(self, report_id: int, action: lifecycle.Action) -> None:
        """Apply a lifecycle action to a report — its event, the card's redraw and the
        notices, in one transaction — and wake the outbox.

        Raises :class:`bot.domain.lifecycle.IllegalTransition` when refused (nothing is
        written), LookupError for an unknown report.
        """
        now = self.clock.now()
        await reports.apply_action(
            self.db,
            report_id,
            action,
            now,
            lambda state, step: self.cards.on_transition(state, step, now),
            strikes=self.settings.strike_policy,
        )
        self.wake_outbox()


class BotData:
    """``application.bot_data``: the services, set once by the composition root."""

    def __init__(self) -> None:
        self.services: Services | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives."""

    @property
    def services(self) -> Services:
        """The application's services (set before the first update is processed)."""
        found = self.bot_data.services
        if found is None:
            raise RuntimeError("services are not set: start the bot through bot.runtime.app")
        return found

    @property
    def words(self) -> list[str]:
        """A command's non-blank arguments."""
        return [a for a in (self.args or []) if a.strip()]


Context = BotContext
CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]


def reporter_of(update: Update) -> Reporter:
    """The person behind an update, as Telegram describes them."""
    user = update.effective_user
    assert user is not None
    # Names are shown on cards: no bidirectional overrides or invisible characters that
    # could disguise them (details are cleaned the same way).
    first = clean_text(user.first_name or "")
    last = clean_text(user.last_name or "")
    return Reporter(
        user_id=user.id,
        first_name=first or str(user.id),
        last_name=last or None,
        username=user.username,
        client_language=user.language_code,
    )


@dataclass
class Session:
    """One update's view of a reporter: who, which language, which draft."""

    svc: Services
    reporter: Reporter
    draft: Draft | None
    expired: Draft | None = None  # a draft found idle past its expiry (already removed)

    @property
    def lang(self) -> Language:
        """The reporter's language."""
        return self.reporter.lang

    async def save(self) -> None:
        """Persist the draft after an answer."""
        assert self.draft is not None
        await drafts.save_draft(self.svc.db, self.draft, self.svc.clock.now(), self.svc.draft_ttl)

    async def submit(
        self, draft: Draft, *, confirmed_new: bool = False
    ) -> reports.Submitted | reports.Refused:
        """File a draft as a report — the guided path and SOS alike: the service checks who
        may file, stores it and queues its card and receipt in one transaction."""
        svc = self.svc
        now = svc.clock.now()
        result = await reports.submit_report(
            svc.db,
            draft,
            self.reporter,
            reports.Intake.from_settings(svc.settings),
            now,
            lambda state: svc.cards.on_submit(state, now),
            confirmed_new=confirmed_new,
        )
        if isinstance(result, reports.Submitted):
            svc.wake_outbox()
        return result


async def open_session(update: Update, context: Context) -> Session:
    """Record the reporter, load their draft; an expired draft is removed and reported."""
    svc = context.services
    chat = update.effective_chat
    assert chat is not None
    opened = await drafts.open_session(svc.db, reporter_of(update), chat.id, svc.clock.now())
    return Session(svc, opened.reporter, opened.draft, expired=opened.expired)


PROMPT_ATTEMPTS = 3
MAX_SLOT_WAIT = 10.0
"""A private chat's prompt waits at most this long for its paced slot (a second, or a
few when the reporter's answers come in a burst); later (held after a 429), it goes to
the outbox."""


async def edit_tolerantly(edit: Awaitable[object], *also: str) -> None:
    """Run one edit of a message; Telegram's "message is not modified" (a double press
    redrawing the same thing) — and any of ``also`` — is not an error."""
    try:
        await edit
    except BadRequest as exc:
        text = exc.message.lower()
        if not any(phrase in text for phrase in ("not modified", *also)):
            raise


def thread_of(update: Update) -> int | None:
    """The forum topic an update came from (None: General, or not a forum)."""
    msg = update.effective_message
    return msg.message_thread_id if msg is not None and msg.is_topic_message else None


async def answer(
    update: Update,
    context: Context,
    text: str,
    reply_markup: Any = None,
    *,
    report_id: int | None = None,
) -> Message | None:
    """Answer in the chat — and the forum topic — the update came from."""
    chat = update.effective_chat
    assert chat is not None
    return await send(
        context, chat.id, text, reply_markup, thread_id=thread_of(update), report_id=report_id
    )


async def send(
    context: Context,
    chat_id: int,
    text: str,
    reply_markup: Any = None,
    *,
    thread_id: int | None = None,
    report_id: int | None = None,
) -> Message | None:
    """Send one HTML message: a conversation prompt (state changes go through the outbox).

    It takes the chat's next paced slot first (:class:`bot.domain.pacing.Pacer`, shared
    with the outbox), so it is not sent into a 429. A private chat's slot is a second or
    so away: the prompt waits for it (the conversation's order holds). A group's may be
    seconds away (and a private chat's, after a 429): the answer goes to the outbox,
    which sends it in that slot, and the chat's turn is not held meanwhile (None is
    returned). A passing server or network
    error is retried at once (a repeated prompt after a time-out is harmless; a lost one
    leaves a reporter stuck). A flood wait is never slept out here either: the prompt
    goes to the outbox, which sends it once the chat may be written to again (None).
    ``report_id``: the message shows that report (replies to it reach it).
    """
    svc = context.services
    now = svc.clock.now()
    slot = svc.pacer.slot(chat_id, now)
    wait = (slot - now).total_seconds()
    if wait > 0 and (chat_id < 0 or wait > MAX_SLOT_WAIT):
        await _queue_prompt(svc, chat_id, text, reply_markup, thread_id, now, report_id)
        return None
    svc.pacer.take(chat_id, slot)
    if wait > 0:
        await asyncio.sleep(wait)
    for attempt in range(1, PROMPT_ATTEMPTS + 1):
        try:
            return await context.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=reply_markup,
                link_preview_options=NO_PREVIEW,
                message_thread_id=thread_id,
            )
        except RetryAfter as exc:
            wait_for = exc.retry_after
            seconds = wait_for.total_seconds() if isinstance(wait_for, timedelta) else wait_for
            until = svc.clock.now() + timedelta(seconds=float(seconds))
            svc.pacer.hold(chat_id, until)
            await _queue_prompt(svc, chat_id, text, reply_markup, thread_id, until, report_id)
            return None
        except (Forbidden, BadRequest):
            raise
        except NetworkError:  # includes 5xx answers and time-outs
            if attempt == PROMPT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _queue_prompt(
    svc: Services,
    chat_id: int,
    text: str,
    reply_markup: Any,
    thread_id: int | None,
    not_before: datetime,
    report_id: int | None,
) -> None:
    """A prompt that cannot go now: the outbox sends it in the chat's next slot."""
    payload: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
    if reply_markup is not None:
        payload["reply_markup"] = reply_markup.to_dict()
    if thread_id is not None:
        payload["message_thread_id"] = thread_id
    message = OutboundMessage(
        chat_id,
        "send_message",
        payload,
        role="prompt" if report_id is None else "card_copy",
        priority=15,
        report_id=report_id,
    )
    await reports.queue_later(svc.db, [message], svc.clock.now(), not_before)
    svc.wake_outbox()


REMOVE_KEYBOARD = ReplyKeyboardRemove()
