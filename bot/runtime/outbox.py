"""The delivery worker: drains the durable outbox (``storage/outbox.py``) to Telegram.

It honours ``retry_after`` per chat, backs off on server errors, time-outs and network
errors, sends the most urgent rows first and records what was sent. Only a request whose
fate is unknown (a time-out, or a crash while it was in flight) is ever sent again, and
that copy is marked as a possible repeat.

Chats are served in parallel, one message in flight per chat (so each chat's order
holds). Before each message the chat's budget is asked (:class:`bot.domain.pacing.Pacer`):
a row waits for its slot instead of being sent into a 429. In a group, new cards go
before everything else waiting there; at each free slot two or more waiting cards go as
one digest, several waiting reminders as one message, a reporter's piled-up relayed
texts as one (:mod:`bot.services.surge`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.domain.chats import ChatMoves
from bot.domain.clock import Clock
from bot.domain.pacing import Pacer
from bot.runtime.stored_files import uploads
from bot.services import chats, delivery
from bot.services.surge import SurgeGuard
from storage import outbox as queue
from storage.db import Database

log = logging.getLogger(__name__)

# Methods the outbox may call (python-telegram-bot names) and whether they carry text.
SEND_METHODS = {
    "send_message": "text",
    "send_photo": "caption",
    "send_voice": "caption",
    "send_video": "caption",
    "send_document": "caption",
    "send_video_note": None,
    "send_location": None,
    "send_venue": None,
    "copy_message": "caption",
}
EDIT_METHODS = {"edit_message_text", "edit_message_reply_markup", "edit_message_live_location"}
REPEAT_MARK = "🔁 <i>(dikirim ulang — mungkin duplikat / resent, may be a duplicate)</i>\n"
MAX_BACKOFF = timedelta(seconds=10)  # a recovered Telegram is noticed within seconds
MAX_READ_TIMEOUT = 120.0
MAX_LANES = 16
"""Private chats served at once (one message in flight in each); groups always."""


def reply_markup_from_json(data: dict[str, Any] | None) -> Any:
    """Rebuild a stored reply markup as python-telegram-bot's object."""
    if data is None:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.de_json(data, None)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.de_json(data, None)
    if data.get("remove_keyboard"):
        return ReplyKeyboardRemove()
    if data.get("force_reply"):
        return ForceReply()
    raise ValueError(f"unknown reply markup {data!r}")


WRITE_REFUSALS = (
    "not enough rights to send",
    "have no rights to send",
    "chat_write_forbidden",
    "chat_restricted",
    "chat_send_plain_forbidden",
)
"""How Telegram words a 400 for a bot that is in a group but may not write there."""


def refuses_writing(message: str) -> bool:
    """Whether a Bad Request says the bot may not write in the chat (not a flaw of the
    message itself)."""
    lowered = message.lower()
    return any(marker in lowered for marker in WRITE_REFUSALS)


def backoff(failures: int) -> timedelta:
    """1 s, 2 s, 4 s, 8 s, then every 10 s."""
    return min(timedelta(seconds=2 ** max(failures - 1, 0)), MAX_BACKOFF)


class OutboxWorker:
    """Delivers queued messages, chats in parallel, one at a time per chat, most urgent
    first, each in its chat's paced slot."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        *,
        read_timeout: float = 15,
        surge: SurgeGuard | None = None,
        pacer: Pacer | None = None,
        chats: ChatMoves | None = None,
        on_chat_moved: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> None:
        self._db = db
        self._chats = chats or ChatMoves()
        self.on_chat_moved = on_chat_moved
        self.on_chat_refused: Callable[[int, str], Awaitable[None]] | None = None
        """A group refuses the bot (removed, kicked): hold its messages, tell people."""
        self.on_bad_request: Callable[[queue.QueuedMessage, str], Awaitable[bool]] | None = None
        """Telegram refused a row (400): True if handled (a lost forum topic: the row goes
        to General), False to give the row up."""
        self.on_reply_target_gone: Callable[[queue.QueuedMessage], Awaitable[None]] | None = None
        """A reply went out without the message it answers: that message is gone (deleted)."""
        self._bot = bot
        self._clock = clock
        self._read_timeout = read_timeout
        self._surge = surge
        self.pacer = pacer or Pacer(enabled=False)
        self.flood_waits = 0
        """429 answers met (each honoured: its chat waits ``retry_after``)."""
        self._lanes: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._idle = asyncio.Event()
        self._stop_requested = asyncio.Event()
        self._failures = 0  # consecutive network / server failures
        self._paused_until: datetime | None = None

    def _failed(self) -> None:
        self._failures += 1
        self._paused_until = self._clock.now() + backoff(self._failures)
        log.warning("outbox: Telegram unreachable or failing; pausing %s", backoff(self._failures))

    def wake(self) -> None:
        """Something was queued: look now instead of at the next scheduled time."""
        self._wake.set()

    async def start(self) -> None:
        """Recover rows a crash left in flight, then run in the background."""
        recovered = await delivery.recover_inflight(self._db)
        if recovered:
            log.warning("outbox: %d message(s) were in flight at the last stop", recovered)
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self) -> None:
        """Finish the request in flight, then stop; queued rows stay for the next start."""
        self._stopping = True
        self._stop_requested.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._lanes:
            await asyncio.gather(*self._lanes.values(), return_exceptions=True)

    async def wait_idle(self) -> None:
        """Wait until nothing is due or in flight (for the demo and tests; wrap it in
        ``asyncio.timeout``)."""
        while True:
            self._idle.clear()
            self._wake.set()
            await self._idle.wait()
            if not await queue.busy(self._db, self._clock.now()):
                return

    async def _pause(self) -> None:
        """Wait out a pause after failures (a stop ends it early)."""
        if self._paused_until is None:
            return
        delay = (self._paused_until - self._clock.now()).total_seconds()
        self._paused_until = None
        if delay > 0 and not self._stopping:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stop_requested.wait()

    async def _run(self) -> None:
        while not self._stopping:
            await self._pause()
            self._wake.clear()  # before reading: a wake during the read is not lost
            now = self._clock.now()
            try:
                heads = await queue.heads(self._db, now)
            except Exception:  # the database is gone or broken: retry, never die silently
                log.exception("outbox: cannot read the queue")
                await asyncio.sleep(1)
                continue
            if not heads and not self._lanes:
                self._idle.set()
            next_slot: datetime | None = None
            regrouped = False
            for row in heads:
                if self._stopping or self._paused_until is not None:
                    break
                if row.chat_id in self._lanes:
                    continue  # one message in flight per chat
                if len(self._lanes) >= MAX_LANES and row.chat_id >= 0:
                    continue  # groups (a few) always get their lane
                edit = row.method in EDIT_METHODS
                slot = self.pacer.slot(row.chat_id, now, edit=edit)
                if slot > now:
                    next_slot = slot if next_slot is None else min(next_slot, slot)
                    continue
                combined = await self._regroup(row, now)
                if combined is False:
                    regrouped = True  # a combined message replaced rows: read again
                    break
                if isinstance(combined, queue.QueuedMessage):
                    row = combined  # a digest packed now goes in this slot
                self.pacer.take(row.chat_id, now, edit=edit)
                self._lanes[row.chat_id] = asyncio.create_task(
                    self._lane(row), name=f"outbox-chat-{row.chat_id}"
                )
            if regrouped:
                continue
            await self._sleep_until_due(now, next_slot)

    async def _lane(self, row: queue.QueuedMessage) -> None:
        """Deliver one row; its chat is free again afterwards."""
        try:
            await self._deliver(row)
        except Exception:
            log.exception("outbox: delivering #%d failed unexpectedly", row.id)
            with contextlib.suppress(Exception):
                await delivery.retry_later(
                    self._db,
                    row.id,
                    self._clock.now() + backoff(self._failures + 1),
                    "unexpected error",
                )
        finally:
            self._lanes.pop(row.chat_id, None)
            self._wake.set()

    async def _regroup(
        self, row: queue.QueuedMessage, now: datetime
    ) -> queue.QueuedMessage | bool | None:
        """At a group's free slot: waiting cards become a digest (returned, to go now);
        waiting reminders or a reporter's piled-up relays become one message (False: read
        the queue again). None: send ``row`` as it is."""
        if self._surge is None or row.chat_id >= 0:
            return None
        try:
            if row.role == "card":
                return await self._surge.pack_waiting(row.chat_id, now)
            if row.role == "reminder" and await self._surge.merge_reminders(row.chat_id, now):
                return False
            if (
                row.role == "relay"
                and row.method == "send_message"
                and await self._surge.batch_relays(row.chat_id, row.report_id, now)
            ):
                return False
        except Exception:
            log.exception(
                "outbox: could not combine rows for chat %s; sending one by one", row.chat_id
            )
        return None

    async def _sleep_until_due(self, now: datetime, next_slot: datetime | None) -> None:
        """Until a row falls due, a chat's slot comes, a lane finishes or something is
        queued (at most 30 s)."""
        wake_at = await queue.next_wakeup(self._db, after=now)
        if next_slot is not None and (wake_at is None or next_slot < wake_at):
            wake_at = next_slot
        timeout = 30.0
        if wake_at is not None:
            timeout = max(0.01, min(timeout, (wake_at - self._clock.now()).total_seconds()))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()

    def _timeout_for(self, row: queue.QueuedMessage) -> float:
        """After a time-out, wait longer each try: a slow server must not earn a copy per try."""
        if not row.uncertain:
            return self._read_timeout
        return min(self._read_timeout * float(2 ** max(row.attempts, 1)), MAX_READ_TIMEOUT)

    def _kwargs(self, row: queue.QueuedMessage) -> dict[str, Any]:
        kwargs = uploads(dict(row.payload))  # a stored file (summary picture) is read now
        kwargs["chat_id"] = row.chat_id
        if row.edit_message_id is not None:
            kwargs["message_id"] = row.edit_message_id
        if "reply_markup" in kwargs:
            kwargs["reply_markup"] = reply_markup_from_json(kwargs["reply_markup"])
        if row.reply_to_message_id is not None:
            kwargs["reply_parameters"] = ReplyParameters(
                message_id=row.reply_to_message_id, allow_sending_without_reply=True
            )
        if row.method == "send_message" or row.method == "edit_message_text":
            kwargs["link_preview_options"] = LinkPreviewOptions(is_disabled=True)
        text_field = SEND_METHODS.get(row.method)
        if row.uncertain and text_field and kwargs.get(text_field) is not None:
            kwargs[text_field] = REPEAT_MARK + kwargs[text_field]
        return kwargs

    async def _deliver(self, row: queue.QueuedMessage) -> None:
        if row.edit_outbox_id is not None and row.edit_message_id is None:
            # The message to edit was never delivered; its own row carries the news.
            await delivery.give_up(self._db, row.id, "the message to edit was not delivered")
            return
        await delivery.start_sending(self._db, row.id)
        method = getattr(self._bot, row.method)
        now = self._clock.now
        try:
            result = await method(**self._kwargs(row), read_timeout=self._timeout_for(row))
        except RetryAfter as exc:
            wait = exc.retry_after
            delay = wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))
            log.warning("outbox: flood limit in chat %s, waiting %s", row.chat_id, delay)
            self.flood_waits += 1
            self.pacer.hold(row.chat_id, now() + delay)
            await delivery.flood_wait(self._db, row.id, row.chat_id, now() + delay)
            return
        except TimedOut as exc:
            # The request may have arrived: a repeat must say it may be a duplicate.
            self._failed()
            await delivery.retry_later(
                self._db,
                row.id,
                now() + backoff(self._failures),
                f"timed out: {exc}",
                uncertain=row.method in SEND_METHODS,
            )
            return
        except ChatMigrated as exc:
            await self._chat_moved(row.chat_id, exc.new_chat_id)
            return
        except Forbidden as exc:
            if row.chat_id < 0 and self.on_chat_refused is not None:
                # A group the bot serves: an incident; its messages wait for it.
                await self.on_chat_refused(row.chat_id, exc.message)
                return
            log.warning("outbox: chat %s refuses messages (%s)", row.chat_id, exc.message)
            await delivery.give_up(self._db, row.id, f"forbidden: {exc.message}")
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                await delivery.unchanged(self._db, row.id, now())
                return
            if (
                row.chat_id < 0
                and row.method in SEND_METHODS
                and self.on_chat_refused is not None
                and refuses_writing(exc.message)
            ):
                # The bot is in the group but may not write (restricted, or only admins
                # may post): as good as removed — an incident, its messages wait.
                await self.on_chat_refused(row.chat_id, exc.message)
                return
            if self.on_bad_request is not None and await self.on_bad_request(row, exc.message):
                return
            log.error("outbox: Telegram refused #%d %s: %s", row.id, row.method, exc.message)
            await delivery.give_up(self._db, row.id, f"bad request: {exc.message}")
            return
        except (NetworkError, TelegramError) as exc:
            # Telegram (or the way to it) is failing: pause the whole queue, not just this
            # row, doubling the pause while failures go on, so recovery is seen promptly.
            self._failed()
            await delivery.retry_later(
                self._db, row.id, now() + backoff(self._failures), f"{type(exc).__name__}: {exc}"
            )
            return
        self._failures = 0
        message_id = result.message_id if isinstance(result, Message) else None
        if message_id is None and hasattr(result, "message_id"):
            message_id = int(result.message_id)  # copy_message returns a MessageId
        await delivery.delivered(self._db, row, message_id, now())
        if (
            row.reply_to_message_id is not None
            and isinstance(result, Message)
            and result.reply_to_message is None
            and self.on_reply_target_gone is not None
        ):
            await self.on_reply_target_gone(row)

    async def _chat_moved(self, old: int, new: int) -> None:
        """Telegram says the chat is now another (group → supergroup): remember it, and
        send what waits for the old id to the new one, this row first."""
        if self.on_chat_moved is not None:
            await self.on_chat_moved(old, new)  # remembered, announced once
        else:
            self._chats.add(old, new)
            await chats.chat_moved(self._db, old, new, self._clock.now())
